// node --test tests/js/: what the mediator's set-up page and console say, as pure functions.
// - After "Edit details", what people already invited need to hear is true for each change: a
//   new zone for the same moment is not "the old time" (their time is still right).
// - A person who joined and was then sent a new link reads as present first (joined, connected),
//   then with the new link's state: never "Not yet used" alone, as if they had never come.
// - A knock's line joins its parts so that a separator never ends a line.
// - The hearings list's way back to disabling a mediator names only an enabled mediator it
//   knows, and leads only to the accounts page: `then` is never an address to go to.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en"]);

const { initI18n, t } = await import("../../gateway/webclient/js/core/i18n.js");
const { resendKeys } = await import("../../gateway/webclient/js/screens/setup.js");
const { invitationStatusLines } = await import("../../gateway/webclient/js/screens/setup-people.js");
const { knockWhere } = await import("../../gateway/webclient/js/components/knocks.js");
const { disablePath, disableReturn } = await import("../../gateway/webclient/js/components/disable-return.js");

const AT = Date.UTC(2026, 10, 30, 2, 0);
const HEARING = { title: "Chan v. Wong", scheduled_at: AT, time_zone: "Asia/Hong_Kong" };
const D = "mediator.details.";

test("after the details changed, each combination says what is true for people invited", () => {
  assert.deepEqual(resendKeys(HEARING, { title: "Chan v. Wong (lease)" }), [`${D}resend_title`]);
  assert.deepEqual(resendKeys(HEARING, { scheduled_at: AT + 3_600_000, time_zone: "Asia/Hong_Kong" }), [`${D}resend_time`]);
  assert.deepEqual(resendKeys(HEARING, { title: "T", scheduled_at: AT + 3_600_000, time_zone: "Asia/Tokyo" }),
    [`${D}resend_title_time`]);
  // Another zone, the same moment (only the zone is sent): nobody has the wrong time.
  assert.deepEqual(resendKeys(HEARING, { time_zone: "Asia/Tokyo" }), [`${D}zone_kept`]);
  assert.deepEqual(resendKeys(HEARING, { title: "T", time_zone: "Asia/Tokyo" }), [`${D}resend_title`, `${D}zone_kept`]);
  // A start cleared: the time they have no longer holds; a start set where they had none.
  assert.deepEqual(resendKeys(HEARING, { scheduled_at: null }), [`${D}resend_time`]);
  const unscheduled = { title: "T", scheduled_at: null, time_zone: null };
  assert.deepEqual(resendKeys(unscheduled, { scheduled_at: AT, time_zone: "Asia/Tokyo" }), [`${D}resend_time_set`]);
  assert.deepEqual(resendKeys(unscheduled, { title: "U", scheduled_at: AT, time_zone: "Asia/Tokyo" }),
    [`${D}resend_title`, `${D}resend_time_set`]);
});

test("the sentences exist and never say the old time for a zone change", async () => {
  await initI18n("en");
  for (const lang of ["en", "zh-Hant", "zh-Hans"]) {
    await initI18n(lang);
    for (const key of ["resend_title_time", "resend_time_set", "zone_kept"]) assert.notEqual(t(`${D}${key}`), `${D}${key}`);
  }
  await initI18n("en");
  assert.match(t(`${D}zone_kept`), /still right/);
});

const S = "mediator.setup.status_";
const JOINED = Date.UTC(2026, 10, 27, 17, 12);
const VALID = Date.UTC(2026, 11, 4, 17, 11);
const keys = (lines) => lines.map(([key]) => key.replace(S, ""));

test("a person who joined and was sent a new link reads as present, then the new link", () => {
  const newLink = { status: "active", invitation: "pending", invitation_expires_at: VALID, joined_at: JOINED, redeemed_at: null };
  assert.deepEqual(invitationStatusLines(newLink, "open", true), [
    [`${S}joined_online`, { time: JOINED }], [`${S}new_link_pending`, { time: VALID }]]);
  assert.deepEqual(keys(invitationStatusLines(newLink, "open", false)), ["redeemed", "new_link_pending"]);
  assert.deepEqual(keys(invitationStatusLines({ ...newLink, invitation: "expired" }, "open")), ["redeemed", "new_link_expired"]);
  // Never invited before: the link alone, as before.
  const invited = { status: "invited", invitation: "pending", invitation_expires_at: VALID, joined_at: null };
  assert.deepEqual(invitationStatusLines(invited, "open"), [[`${S}pending`, { time: VALID }]]);
  assert.deepEqual(keys(invitationStatusLines({ ...invited, invitation: "expired" }, "open")), ["expired"]);
  // Joined with the latest link: present, connected when the page read it.
  const here = { status: "active", invitation: "redeemed", redeemed_at: JOINED, joined_at: JOINED };
  assert.deepEqual(invitationStatusLines(here, "open", true), [[`${S}joined_online`, { time: JOINED }]]);
  assert.deepEqual(keys(invitationStatusLines(here, "open", false)), ["redeemed"]);
  // Ended: what happened, never "connected"; a new link they never used is no news then.
  assert.deepEqual(keys(invitationStatusLines(here, "closed", true)), ["redeemed"]);
  assert.deepEqual(keys(invitationStatusLines({ ...newLink, invitation: "revoked" }, "closed", true)), ["redeemed"]);
  assert.deepEqual(keys(invitationStatusLines({ ...invited, invitation: "revoked" }, "closed")), ["unused_ended"]);
  assert.deepEqual(keys(invitationStatusLines({ ...newLink, status: "removed", invitation: "revoked" }, "open")), ["removed"]);
  assert.deepEqual(keys(invitationStatusLines({ ...invited, status: "removed", invitation: "revoked" }, "open")), ["withdrawn"]);
});

test("a knock's line never ends a line with a separator", () => {
  const line = knockWhere(["Respondent caucus", "just now"]);
  assert.equal(line.replace(/\u00a0/g, " "), "Respondent caucus · just now");
  // Where a line may break (an ordinary space), the text before it never ends with "·".
  const pieces = line.split(" ");
  for (const piece of pieces.slice(0, -1)) assert.ok(!piece.endsWith("·"), line);
  assert.equal(knockWhere(["Plenary", "", "3 minutes ago"]).split(" ").filter((p) => p.endsWith("·")).length, 0);
});

test("the way back to disabling a mediator is only ever to the accounts page, for a mediator", () => {
  const accounts = new Map([
    ["01MEI", { id: "01MEI", role: "mediator", disabled: false }],
    ["01OFF", { id: "01OFF", role: "mediator", disabled: true }],
    ["01ADM", { id: "01ADM", role: "admin", disabled: false }],
  ]);
  assert.equal(disableReturn("disable:01MEI", accounts), accounts.get("01MEI"));
  assert.equal(disablePath(accounts.get("01MEI")), "/admin?disable=01MEI");
  for (const then of [null, "", "01MEI", "disable:", "disable:01OFF", "disable:01ADM", "disable:nobody",
    "https://evil.example/", "disable://evil.example", "disable:01MEI/../x", "enable:01MEI"]) {
    assert.equal(disableReturn(then, accounts), null, then);
  }
});
