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
