// node --test tests/js/: what the waiting room says the mediator changed, derived from the
// details now against those first shown (components/lobby-changes.js): every part named, the
// start moved before the hearing opened dropped once it has, nothing said when the details are back as shown;
// once open, when the hearing is scheduled, and its calendar file offered while the start is ahead.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en", "zh-Hans", "zh-Hant"]);

const { initI18n } = await import("../../gateway/webclient/js/core/i18n.js");
const { baseline, changedSentence, detailsChanged, detailsOf, offersLobbyCalendar, scheduleLine } = await import("../../gateway/webclient/js/components/lobby-changes.js");

const DUE = Date.UTC(2026, 11, 1, 1, 30);
const waiting = { title: "Chan v. Lee", scheduled_at: DUE, time_zone: "Asia/Hong_Kong", hearing_state: "scheduled" };

test("every part that changed is named, in one sentence", async () => {
  await initI18n("en");
  const seen = detailsOf(waiting);
  assert.deepEqual(detailsChanged(seen, waiting), []);
  assert.equal(changedSentence([]), null);
  const both = { ...waiting, title: "Chan v. Lee (adjourned)", scheduled_at: DUE + 7 * 86_400_000 };
  assert.deepEqual(detailsChanged(seen, both), ["title", "start"]);
  assert.equal(changedSentence(detailsChanged(seen, both)), "The mediator has changed the title and the start time.");
  assert.equal(changedSentence(detailsChanged(seen, { ...waiting, scheduled_at: null, time_zone: null })),
    "The mediator has changed the start time.");
  assert.equal(changedSentence(detailsChanged(seen, { ...waiting, time_zone: "Asia/Tokyo" })),
    "The mediator has changed the time zone.");
  await initI18n("zh-Hant");
  assert.equal(changedSentence(["title", "start"]), "調解員已更改調解會議的標題和開始時間。");
  await initI18n("zh-Hans");
  assert.equal(changedSentence(["title"]), "调解员已更改调解会议的标题。");
});

test("a start moved before the hearing opened is no news once it has; a title is, and so is an adjournment", () => {
  const seen = detailsOf(waiting);
  assert.equal(baseline(seen, waiting), seen);
  const moved = { ...waiting, scheduled_at: DUE + 3_600_000, time_zone: "Asia/Tokyo" };
  assert.deepEqual(detailsChanged(baseline(seen, moved), moved), ["start", "zone"]);
  const opened = { ...moved, hearing_state: "open" };
  const atOpening = baseline(seen, opened);
  assert.deepEqual(detailsChanged(atOpening, opened), []);
  const renamed = { ...waiting, title: "Renamed", hearing_state: "open" };
  assert.deepEqual(detailsChanged(baseline(seen, renamed), renamed), ["title"]);
  // Adjourned to next week while open: news, compared with the start when it opened.
  const adjourned = { ...opened, scheduled_at: DUE + 7 * 86_400_000 };
  assert.deepEqual(detailsChanged(baseline(atOpening, adjourned), adjourned), ["start"]);
  assert.deepEqual(baseline(null, waiting), seen);
});

test("a change undone while the page was away says nothing (derived, not replayed)", () => {
  const seen = detailsOf(waiting);
  // Renamed, then renamed back during a long drop: the snapshot after it shows what was seen.
  assert.deepEqual(detailsChanged(seen, { ...waiting, title: "Renamed" }), ["title"]);
  assert.deepEqual(detailsChanged(seen, { ...waiting }), []);
  assert.deepEqual(detailsChanged(null, waiting), []);
});

test("once open, the waiting room says when the hearing is scheduled, and offers its calendar while ahead", async () => {
  await initI18n("en");
  const open = { ...waiting, hearing_state: "open" };
  const line = scheduleLine(open);
  assert.ok(line.startsWith("The hearing is scheduled for 1 Dec 2026, 09:30 "), line);
  assert.equal(scheduleLine(waiting), null); // the waiting line says when it is due
  assert.equal(scheduleLine({ ...open, scheduled_at: null }), null);
  assert.equal(offersLobbyCalendar(open, DUE - 1), true);
  assert.equal(offersLobbyCalendar(open, DUE + 1), false);
  assert.equal(offersLobbyCalendar({ ...open, hearing_state: "closed" }, DUE - 1), false);
  assert.equal(offersLobbyCalendar({ ...open, scheduled_at: null }, 0), false);
  await initI18n("zh-Hant");
  assert.ok(scheduleLine(open).startsWith("調解會議預定於 "), scheduleLine(open));
});
