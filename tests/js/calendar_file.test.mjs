// node --test tests/js/: the name a hearing's calendar file is saved under
// (components/calendar-file.js calendarFileName): its title, cut at a word with "…" when long,
// never in half a character, as the server names it (gateway/api/hearing_calendar.py).
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en"]);

const { calendarFileName } = await import("../../gateway/webclient/js/components/calendar-file.js");

const LONG = "Chan v. Wong; Mong Kok shop lease, day 1 — 陳氏與黃氏商舖租約調解 (first session, with a deliberately long title)";

test("a long title is cut at a word, with an ellipsis", () => {
  assert.equal(calendarFileName(LONG), "Chan v. Wong; Mong Kok shop lease, day 1 — 陳氏與黃氏商舖租約調解 (first session, with a….ics");
  assert.equal(calendarFileName("x".repeat(80)), `${"x".repeat(80)}.ics`);
});

test("a title without spaces is cut at a character, never half of one", () => {
  assert.equal(calendarFileName("陳".repeat(100)), `${"陳".repeat(79)}….ics`);
  const name = calendarFileName("😀".repeat(60));
  assert.equal(name, `${"😀".repeat(39)}….ics`);
  assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(name));
});

test("characters a file name cannot hold are spaces; nothing left is \"hearing\"", () => {
  assert.equal(calendarFileName('a/b:c*d?"e"<f>|g\th'), "a b c d e f g h.ics");
  assert.equal(calendarFileName("  /  "), "hearing.ics");
  assert.equal(calendarFileName("Chan v. Lee"), "Chan v. Lee.ics");
});
