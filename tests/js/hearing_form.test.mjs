// node --test tests/js/: a new hearing's date already past is said before saving, with the
// server's own grace (services/signalling/schedule.py): a start "now", picked to the minute and
// sent a while later, is no slip; yesterday, or the wrong AM/PM, is.
import assert from "node:assert/strict";
import test from "node:test";

Object.defineProperty(globalThis, "navigator", { value: { languages: ["en"], language: "en" }, configurable: true });
globalThis.document = { documentElement: {} };

const { PAST_GRACE_MS, startIsPast, zonedToUtc } = await import("../../gateway/webclient/js/components/hearing-form.js");

// 2026-12-01 09:30 in Hong Kong (UTC+8) is 01:30 UTC.
const NINE_THIRTY_HK = Date.UTC(2026, 11, 1, 1, 30);

test("a wall-clock time is read in the hearing's own zone", () => {
  assert.equal(zonedToUtc("2026-12-01T09:30", "Asia/Hong_Kong"), NINE_THIRTY_HK);
  assert.equal(zonedToUtc("2026-12-01T09:30", "Europe/London"), Date.UTC(2026, 11, 1, 9, 30));
});

test("a start beyond the grace in the past is past; now, the grace, and later are not", () => {
  const at = "2026-12-01T09:30";
  const zone = "Asia/Hong_Kong";
  assert.equal(PAST_GRACE_MS, 15 * 60 * 1000);
  assert.equal(startIsPast(at, zone, NINE_THIRTY_HK + PAST_GRACE_MS + 60_000), true);
  assert.equal(startIsPast(at, zone, NINE_THIRTY_HK + 86_400_000), true);
  assert.equal(startIsPast(at, zone, NINE_THIRTY_HK + PAST_GRACE_MS), false);
  assert.equal(startIsPast(at, zone, NINE_THIRTY_HK), false);
  assert.equal(startIsPast(at, zone, NINE_THIRTY_HK - 86_400_000), false);
  // The same wall-clock time is past in one zone and not yet in another (London is 8 h behind).
  assert.equal(startIsPast(at, "Europe/London", NINE_THIRTY_HK + 60 * 60_000), false);
  // Nothing picked: nothing to say.
  assert.equal(startIsPast("", zone, NINE_THIRTY_HK), false);
  assert.equal(startIsPast(at, null, NINE_THIRTY_HK + 86_400_000), false);
});

// "Edit details": the fields filled in with the hearing's time, in its own zone; only what the
// mediator changed is sent, and the time only when the date, the time or the zone was touched.
const { hearingChange, utcToZoned } = await import("../../gateway/webclient/js/components/hearing-form.js");

test("a start is shown as the wall clock in its zone reads it, to the minute", () => {
  assert.equal(utcToZoned(NINE_THIRTY_HK, "Asia/Hong_Kong"), "2026-12-01T09:30");
  assert.equal(utcToZoned(NINE_THIRTY_HK, "Europe/London"), "2026-12-01T01:30");
  assert.equal(zonedToUtc(utcToZoned(NINE_THIRTY_HK, "America/New_York"), "America/New_York"), NINE_THIRTY_HK);
});

test("an edit sends what changed: the title alone, the time with its zone, or no time at all", () => {
  const shown = { title: "Chan v. Lee", local: "2026-12-01T09:30", zone: "Asia/Hong_Kong" };
  assert.deepEqual(hearingChange(shown, { ...shown }), {});
  assert.deepEqual(hearingChange(shown, { ...shown, title: "Chan v. Lee (adjourned)" }), { title: "Chan v. Lee (adjourned)" });
  assert.deepEqual(hearingChange(shown, { ...shown, local: "2026-12-08T10:00" }),
    { scheduled_at: Date.UTC(2026, 11, 8, 2, 0), time_zone: "Asia/Hong_Kong" });
  // The same wall clock in another zone is another moment.
  assert.deepEqual(hearingChange(shown, { ...shown, zone: "Europe/London" }),
    { scheduled_at: Date.UTC(2026, 11, 1, 9, 30), time_zone: "Europe/London" });
  // The date emptied: no start yet (its zone goes with it on the server).
  assert.deepEqual(hearingChange(shown, { ...shown, local: "" }), { scheduled_at: null });
  // A hearing without a start stays without one when only the zone picker moves.
  const unscheduled = { title: "Chan v. Lee", local: "", zone: "Asia/Hong_Kong" };
  assert.deepEqual(hearingChange(unscheduled, { ...unscheduled, zone: "UTC" }), {});
});

test("a zone picked alone keeps the moment: only the zone is sent, so an open hearing is not refused", () => {
  // Under way since 09:30 Hong Kong, now held from Tokyo: the dialog reads the same moment
  // there (10:30), and saving sends no start at all (the server keeps it as it is).
  const shown = { title: "Chan v. Lee", local: "2026-12-01T09:30", zone: "Asia/Hong_Kong" };
  const tokyo = { ...shown, local: utcToZoned(zonedToUtc(shown.local, shown.zone), "Asia/Tokyo"), zone: "Asia/Tokyo" };
  assert.equal(tokyo.local, "2026-12-01T10:30");
  assert.deepEqual(hearingChange(shown, tokyo), { time_zone: "Asia/Tokyo" });
  assert.deepEqual(hearingChange(shown, { ...tokyo, title: "Chan v. Lee (Tokyo)" }),
    { title: "Chan v. Lee (Tokyo)", time_zone: "Asia/Tokyo" });
  // A new time in the new zone is a new start, sent with its zone.
  assert.deepEqual(hearingChange(shown, { ...tokyo, local: "2026-12-01T11:00" }),
    { scheduled_at: Date.UTC(2026, 11, 1, 2, 0), time_zone: "Asia/Tokyo" });
  // A start first given: sent with its zone.
  const unscheduled = { title: "Chan v. Lee", local: "", zone: "Asia/Hong_Kong" };
  assert.deepEqual(hearingChange(unscheduled, { ...unscheduled, local: "2026-12-01T09:30" }),
    { scheduled_at: NINE_THIRTY_HK, time_zone: "Asia/Hong_Kong" });
});
