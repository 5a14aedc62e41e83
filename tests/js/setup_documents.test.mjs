// node --test tests/js/: the set-up page's documents before the hearing (screens/setup-documents.js).
// - Every tab a mediator's panel shows, with the hearing's sides or before it has any, has a
//   line saying what it means before the hearing, and a side's tab names that side.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en"]);

const { initI18n, t } = await import("../../gateway/webclient/js/core/i18n.js");
const { tabMeaning } = await import("../../gateway/webclient/js/screens/setup-documents.js");
const { compartmentTabs } = await import("../../gateway/webclient/js/documents/transfer.js");

const SIDES = [{ id: "s1", name: "Claimant", colour: "teal" }, { id: "s2", name: "Respondent", colour: "amber" }];

test("every tab of the mediator's panel says what it means before the hearing", async () => {
  await initI18n("en");
  for (const sides of [SIDES, []]) {
    for (const tab of compartmentTabs("mediator", null, sides)) {
      const meaning = tabMeaning(tab);
      assert.ok(meaning, `no line for ${tab.key}`);
      const words = t(...meaning);
      assert.notEqual(words, meaning[0], `${meaning[0]} is not in the catalogue`);
      if (tab.side) assert.match(words, new RegExp(tab.side.name));
    }
  }
  assert.equal(t(...tabMeaning({ key: "joint" })),
    "Joint documents are shown to everyone in the hearing once they join.");
  // A tab this page knows nothing of says nothing rather than something wrong.
  assert.equal(tabMeaning({ key: "side" }), null);
});
