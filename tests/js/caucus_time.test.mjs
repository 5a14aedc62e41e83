// node --test tests/js/: what a caucus's timer says once it changes. A party once read "The time
// set for this caucus is up." right above "4:56 left in this caucus" after the mediator added
// time, and nothing when the mediator removed the limit (components/caucus-time.js); the
// console kept "Time is up… Add 5 minutes" on a caucus everyone had left (components/board.js
// TimeUps), and its timer chip said only "4:57".
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);
globalThis.document.addEventListener = () => {}; // components/menu.js listens at import

const { initI18n, t } = await import("../../gateway/webclient/js/core/i18n.js");
const { timerNews } = await import("../../gateway/webclient/js/components/caucus-time.js");
const { TimeUps } = await import("../../gateway/webclient/js/components/board.js");
const { timerMinutes } = await import("../../gateway/webclient/js/screens/console-commands.js");
const { describe } = await import("../../gateway/webclient/js/core/errors.js");

const NOW = 1_000_000;
const MIN = 60_000;

test("time added after time up replaces the time-up notice, in minutes", () => {
  assert.deepEqual(timerNews({ before: null, after: NOW + 5 * MIN - 40, showing: "time_up", now: NOW }),
    { say: "time_added", count: 5 });
  assert.deepEqual(timerNews({ before: null, after: NOW + 20_000, showing: "time_up", now: NOW }),
    { say: "time_added", count: 1 }); // never "0 minutes"
});

test("a deadline gone without time up said is the mediator removing the limit", () => {
  assert.deepEqual(timerNews({ before: NOW + 3 * MIN, after: null, showing: null, now: NOW }),
    { say: "time_removed", count: 0 });
  assert.deepEqual(timerNews({ before: NOW + 3 * MIN, after: null, showing: "time_added", now: NOW }),
    { say: "time_removed", count: 0 });
  // Time up was said first (the server's notice precedes the room view): that is why it went.
  assert.equal(timerNews({ before: NOW, after: null, showing: "time_up", now: NOW }), null);
});

test("a timer set, or nothing changed: the countdown says it, an earlier word goes", () => {
  assert.equal(timerNews({ before: null, after: NOW + 10 * MIN, showing: null, now: NOW }), null);
  assert.equal(timerNews({ before: NOW + MIN, after: NOW + MIN, showing: "time_up", now: NOW }), null);
  assert.equal(timerNews({ before: null, after: null, showing: "time_removed", now: NOW }), null);
  assert.deepEqual(timerNews({ before: null, after: NOW + 10 * MIN, showing: "time_removed", now: NOW }),
    { say: null, count: 0 });
});

test("the notices say what happens next, and who did what", async () => {
  await initI18n("en");
  assert.equal(t("participant.notice.time_up"), "The time set for this caucus is up. "
    + "The mediator will decide whether to continue; you can keep talking meanwhile.");
  assert.equal(t("participant.notice.time_added", { count: 5 }), "The mediator added 5 minutes to this caucus.");
  assert.equal(t("participant.notice.time_removed"), "The mediator removed the time limit for this caucus.");
  assert.equal(t("mediator.timer.left", { time: "4:57" }), "4:57 left");
});

const party = { id: "a1", role: "party" };
const med = { id: "m", role: "mediator" };
const caucus = (deadline, ...members) => ({ id: "c1", kind: "caucus", deadline, members });

function store() {
  const kept = new Map();
  return { getItem: (k) => kept.get(k) ?? null, setItem: (k, v) => kept.set(k, v) };
}

test("the console's time up goes once everyone it was for has left the caucus", () => {
  const s = store();
  const ups = new TimeUps(s, "k");
  ups.up("c1", caucus(NOW, party, med));
  assert.equal(ups.follow([caucus(null, party, med)]), false);
  assert.ok(ups.has("c1"));
  assert.equal(ups.follow([caucus(null, med)]), true); // called back: the mediator alone
  assert.equal(ups.has("c1"), false);
  assert.equal(s.getItem("k"), "{}");
});

test("a time up on a caucus nobody had entered stays until someone comes and goes", () => {
  const s = store();
  const ups = new TimeUps(s, "k");
  ups.up("c1", caucus(NOW));
  assert.equal(ups.follow([caucus(null, med)]), false);
  assert.ok(ups.has("c1"));
  assert.equal(ups.follow([caucus(null, party)]), true);
  const reloaded = new TimeUps(s, "k"); // what came since is kept across a reload
  assert.equal(reloaded.follow([caucus(null)]), true);
  assert.equal(reloaded.has("c1"), false);
  // What an older page kept (the deadline alone) is still read.
  s.setItem("k", JSON.stringify({ c1: NOW }));
  const old = new TimeUps(s, "k");
  assert.ok(old.has("c1"));
  assert.equal(old.follow([caucus(NOW + 5 * MIN, party)]), true); // time added: it goes
});

test("a timer of any length is typed in whole minutes, 1 to 240; anything else is refused", () => {
  for (const [typed, minutes] of [["20", 20], ["45", 45], [" 1 ", 1], ["240", 240], ["007", 7]]) {
    assert.equal(timerMinutes(typed), minutes, typed);
  }
  for (const typed of ["", "0", "241", "1.5", "20.0", "-5", "1e2", "twenty", null]) {
    assert.equal(timerMinutes(typed), null, String(typed));
  }
});

test("a timer the server refuses is said as a sentence the mediator can act on", async () => {
  for (const lang of ["en", "zh-Hans", "zh-Hant"]) {
    await initI18n(lang);
    // As the console names the last action (screens/console.js): "mediator.ws.timer".
    const long = describe({ code: "invalid", reason: "timer_too_long" }, "mediator.ws.timer");
    const bounds = describe({ code: "invalid", message: "Expected `int` >= 0 - at `$.seconds`" }, "mediator.ws.timer");
    assert.equal(long, t("mediator.error.ws.timer.timer_too_long"), lang);
    assert.equal(bounds, t("mediator.error.ws.timer.invalid"), lang);
    assert.ok(/24/.test(long) && /24/.test(bounds) && long !== bounds, `${lang}: ${long} / ${bounds}`);
  }
  await initI18n("en");
});
