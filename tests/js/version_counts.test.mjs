// node --test tests/js/: what a document's row says of its versions (components/version-list.js
// `versionsCountWords`, documents/versions.js `versionCounts`): the count every reader of the
// document shares, then the reader's own narrower versions in words, so counsel of two sides
// comparing notes never read "3 versions" against "2 versions" for the same document.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en"]);

const { initI18n } = await import("../../gateway/webclient/js/core/i18n.js");
const { versionsCountWords } = await import("../../gateway/webclient/js/components/version-list.js");
const { versionCounts } = await import("../../gateway/webclient/js/documents/versions.js");

// A joint document as the listing gives it to each reader: side P kept a draft to itself
// (side:P), shared one with the mediator in confidence (confidential:P), then two for everyone.
const P = { document: "d1", compartment: "joint", versions: 4, side_versions: 1, confidential_versions: 1 };
const MEDIATOR = { document: "d1", compartment: "joint", versions: 3, confidential_versions: 1 };
const Q = { document: "d1", compartment: "joint", versions: 2 };

test("every reader of a document counts the versions they share alike", () => {
  assert.deepEqual(versionCounts(P), { all: 4, shared: 2, side: 1, confidential: 1 });
  assert.deepEqual(versionCounts(MEDIATOR), { all: 3, shared: 2, side: 0, confidential: 1 });
  assert.deepEqual(versionCounts(Q), { all: 2, shared: 2, side: 0, confidential: 0 });
  assert.deepEqual(versionCounts({ versions: 1 }), { all: 1, shared: 1, side: 0, confidential: 0 });
  assert.deepEqual(versionCounts({}), { all: 1, shared: 1, side: 0, confidential: 0 });
});

test("a side's row says the shared count, then its own extra in words", async () => {
  await initI18n("en");
  assert.equal(versionsCountWords(Q, "party"), "2 versions");
  assert.equal(versionsCountWords({ ...P, confidential_versions: 0, versions: 3 }, "counsel"),
    "2 versions (+1 of your side only)");
  assert.equal(versionsCountWords(P, "party"),
    "2 versions (+1 of your side only, +1 of your side and the mediator only)");
  assert.equal(versionsCountWords(MEDIATOR, "mediator"), "2 versions (+1 shared with you in confidence)");
  // In the side's confidential tab: the mediator and the side share the confidential ones.
  const confidential = { compartment: "confidential:P", versions: 2, side_versions: 1 };
  assert.equal(versionsCountWords(confidential, "party"), "1 version (+1 of your side only)");
  assert.equal(versionsCountWords({ compartment: "confidential:P", versions: 1 }, "mediator"), "1 version");
});

test("the counts read alike in Chinese, and the reader is 您", async () => {
  for (const [lang, side, mediator] of [
    ["zh-Hant", "2 個版本（另有 1 個版本只有您方能看到；另有 1 個版本只有您方及調解員能看到）",
      "2 個版本（另有 1 個版本是保密提供給您的）"],
    ["zh-Hans", "2 个版本（另有 1 个版本只有您方能看到；另有 1 个版本只有您方及调解员能看到）",
      "2 个版本（另有 1 个版本是保密提供给您的）"],
  ]) {
    await initI18n(lang);
    assert.equal(versionsCountWords(P, "party"), side);
    assert.equal(versionsCountWords(MEDIATOR, "mediator"), mediator);
    assert.ok(versionsCountWords(Q, "party").startsWith("2 "), lang);
    assert.ok(!/你/.test(side + mediator), lang);
  }
  await initI18n("en");
});
