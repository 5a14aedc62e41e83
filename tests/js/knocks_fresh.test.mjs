// node --test tests/js/: a knock shown on the console keeps its "n minutes ago" true (it once read
// "just now" four minutes on): every shown knock's line is said again on a timer, which stops
// once no knock is shown (components/knocks.js keepFresh).
import assert from "node:assert/strict";
import { mock, test } from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);
const { initI18n } = await import("../../gateway/webclient/js/core/i18n.js");
const { keepFresh } = await import("../../gateway/webclient/js/components/knocks.js");

test("a shown knock's age is said again as time passes, and the timer stops with no knock", async () => {
  await initI18n("en");
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const T0 = 1_800_000_000_000;
    let now = T0;
    const line = { dataset: { at: String(T0), room: "Plenary" }, textContent: "Plenary ·\u00a0just now" };
    let shown = [line];
    globalThis.document.querySelectorAll = (selector) => {
      assert.equal(selector, ".knock-where[data-at]");
      return shown;
    };
    keepFresh(() => now);
    keepFresh(() => now); // one timer, however often the list is drawn
    now = T0 + 4 * 60_000 + 5_000;
    mock.timers.tick(20_000);
    assert.equal(line.textContent, "Plenary ·\u00a04 minutes ago");
    now = T0 + 5 * 60_000;
    mock.timers.tick(20_000);
    assert.equal(line.textContent, "Plenary ·\u00a05 minutes ago");
    shown = [];
    mock.timers.tick(20_000); // none shown: the timer stops
    shown = [line];
    now = T0 + 9 * 60_000;
    mock.timers.tick(60_000);
    assert.equal(line.textContent, "Plenary ·\u00a05 minutes ago", "no timer runs with no knock shown");
    keepFresh(() => now); // a knock drawn again starts it again
    mock.timers.tick(20_000);
    assert.equal(line.textContent, "Plenary ·\u00a09 minutes ago");
  } finally {
    mock.timers.reset();
  }
});
