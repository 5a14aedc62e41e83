// node --test tests/js/: the board's buttons named for screen readers with more than they show
// ("Move to…" is "Move A1 to…") keep the words they show in that name (WCAG 2.5.3, label in
// name), in every language: someone using voice control says what they see. A walkthrough found
// "Go here" named "Go to Claimant caucus" and "Caucus…" named "Timer and closing for …".
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);

const { initI18n, t } = await import("../../gateway/webclient/js/core/i18n.js");

// [what the button shows, what it is named, the name's parameters]
const BUTTONS = [
  ["mediator.board.go", "mediator.board.go_named", { room: "Claimant caucus" }],
  ["mediator.board.move", "mediator.board.move_named", { name: "Ms Anna Chan" }],
  ["mediator.board.admit", "mediator.board.admit_named", { name: "Ms Anna Chan" }],
  ["mediator.board.admit", "mediator.board.admit_side_named", { side: "Claimant", count: 2 }],
  ["mediator.board.caucus_menu", "mediator.board.caucus_menu_named", { room: "Claimant caucus" }],
  ["mediator.board.move_side", "mediator.board.move_side_named", { side: "Claimant" }],
];

// The words, without the ellipsis or punctuation a voice command does not say, in lower case.
const words = (text) => text.replace(/[…:：,，.。()（）]/g, " ").replace(/\s+/g, " ").trim().toLowerCase();

for (const lang of ["en", "zh-Hant", "zh-Hans"]) {
  test(`the board's buttons are named with the words they show (${lang})`, async () => {
    await initI18n(lang);
    for (const [shown, named, params] of BUTTONS) {
      const label = words(t(shown));
      const name = words(t(named, params));
      assert.ok(label && name.includes(label),
        `${lang}: "${t(named, params)}" does not hold "${t(shown)}"`);
    }
  });
}
