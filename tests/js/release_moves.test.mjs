// node --test tests/js/: a release's confirmation says the document leaves its tab for the one
// of its new audience (a document is where its latest version is), in the dialog and on its
// button, in every language (components/release-audience.js releaseWords).
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles();
const { initI18n, t } = await import("../../gateway/webclient/js/core/i18n.js");
const { releaseWords } = await import("../../gateway/webclient/js/components/release-audience.js");

test("sharing with the mediator moves the file to that tab, and says so", async () => {
  await initI18n("en");
  const body = t("participant.docs.release_confidential_body", { name: "Offer.pdf" });
  const words = releaseWords(body, "confidential:sA");
  assert.equal(words.body, "The mediator will be able to read “Offer.pdf”. The other sides will not. This cannot be "
    + "undone. Once shared, it moves from this tab to “Shared with the mediator in confidence”.");
  assert.equal(words.confirm, "Share and move to “Shared with the mediator in confidence”");
  assert.equal(releaseWords("x", "joint").confirm, "Share and move to “Joint”");
  for (const [lang, tab] of [["zh-Hant", "「共同」"], ["zh-Hans", "“共同”"]]) {
    await initI18n(lang);
    const joint = releaseWords("B。", "joint");
    assert.ok(joint.body.startsWith("B。") && joint.body.endsWith(`${tab}。`), joint.body);
    assert.ok(joint.confirm.endsWith(tab), joint.confirm);
    assert.ok(releaseWords("B。", "confidential:sA").confirm.includes(t("participant.docs.tab_confidential")));
  }
  await initI18n("en");
});
