// node --test tests/js/: an error becomes one sentence in the reader's language; a finer reason
// the server names picks its own sentence where the action has one ("too_large" may mean the
// file, or the hearing having as many documents as it may).
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);

const { initI18n, t } = await import("../../gateway/webclient/js/core/i18n.js");
const { describe } = await import("../../gateway/webclient/js/core/errors.js");

test("a reason with a sentence of its own beats the code's; without one, the code's stands", async () => {
  await initI18n("en");
  const file = describe({ code: "too_large", reason: "document_too_large" }, "participant.docs_upload");
  const full = describe({ code: "too_large", reason: "documents_limit" }, "participant.docs_upload");
  const busy = describe({ code: "too_large", reason: "uploads_limit" }, "participant.docs_upload");
  assert.equal(file, t("participant.error.docs_upload.too_large"));
  assert.equal(full, t("participant.error.docs_upload.documents_limit"));
  assert.equal(busy, t("participant.error.docs_upload.uploads_limit"));
  assert.equal(new Set([file, full, busy]).size, 3);
  assert.match(full, /as many documents/);
  // No action: the common sentence for the code; an unknown code: the internal one.
  assert.equal(describe({ code: "too_large", reason: "documents_limit" }), t("common.error.too_large"));
  assert.equal(describe({ code: "nonsense" }, "participant.docs_upload"), t("common.error.internal"));
});

test("the reason's sentence is in the reader's language", async () => {
  await initI18n("zh-Hant");
  assert.match(describe({ code: "too_large", reason: "documents_limit" }, "participant.docs_upload"), /文件數量已達上限/);
  await initI18n("zh-Hans");
  assert.match(describe({ code: "too_large", reason: "uploads_limit" }, "participant.docs_upload"), /正在上传/);
});
