// node --test tests/js/: what the waiting room says the mediator changed, derived from the
// details now against those first shown (components/lobby-changes.js): every part named, the
// start dropped once the hearing has opened, nothing said when the details are back as shown.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en", "zh-Hans", "zh-Hant"]);

const { initI18n } = await import("../../gateway/webclient/js/core/i18n.js");
const { changedSentence, detailsChanged, detailsOf } = await import("../../gateway/webclient/js/components/lobby-changes.js");

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

test("the start is no news once the hearing has opened; a title is, while it differs", () => {
  const seen = detailsOf(waiting);
  const moved = { ...waiting, scheduled_at: DUE + 3_600_000, time_zone: "Asia/Tokyo" };
  assert.deepEqual(detailsChanged(seen, moved), ["start", "zone"]);
  assert.deepEqual(detailsChanged(seen, { ...moved, hearing_state: "open" }), []);
  assert.deepEqual(detailsChanged(seen, { ...moved, title: "Renamed", hearing_state: "open" }), ["title"]);
});

test("a change undone while the page was away says nothing (derived, not replayed)", () => {
  const seen = detailsOf(waiting);
  // Renamed, then renamed back during a long drop: the snapshot after it shows what was seen.
  assert.deepEqual(detailsChanged(seen, { ...waiting, title: "Renamed" }), ["title"]);
  assert.deepEqual(detailsChanged(seen, { ...waiting }), []);
  assert.deepEqual(detailsChanged(null, waiting), []);
});
