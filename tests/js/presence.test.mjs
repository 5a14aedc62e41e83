// node --test tests/js/: when the participant's page says someone is offline
// (components/presence.js). A reconnect of a few seconds once flashed "The mediator, Dr Chan, is
// offline and cannot hear you"; now the line waits out OFFLINE_GRACE_MS, and meanwhile the person
// is shown as connecting: never as hearing you.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);

const { MEDIATOR_KEY, OFFLINE_GRACE_MS, offlineSince, presencePeople, saidOffline, shownPresence } =
  await import("../../gateway/webclient/js/components/presence.js");
const { mediatorOffline } = await import("../../gateway/webclient/js/components/room-banner.js");
const { whoHears } = await import("../../gateway/webclient/js/components/hearers.js");

const me = { id: "a1", role: "party", side: "sA", connected: true, links: ["m"] };
const chan = (connected, links = connected ? ["a1"] : []) =>
  ({ id: "m", role: "mediator", name: "Dr Chan", connected, links });
const plenary = (...members) => ({ id: "plenary", kind: "plenary", name: "", epoch: 1, members });
const you = (online) => ({ id: "a1", role: "party", room: "plenary", mediator_online: online });

// The page's steps: each view tracked at its time, then shown at `now`.
function seen(steps) {
  let since = new Map();
  for (const [at, y, room] of steps) since = offlineSince(since, presencePeople(y, room), at);
  return since;
}

test("the grace is a few seconds", () => {
  assert.equal(OFFLINE_GRACE_MS, 4000);
});

test("someone this page saw connected is said offline only once the grace ran out", () => {
  const since = seen([[0, you(true), plenary(me, chan(true))], [1000, you(false), plenary(me, chan(false))]]);
  assert.equal(since.get("m"), 1000);
  assert.equal(since.get(MEDIATOR_KEY), 1000);
  assert.equal(saidOffline(since, "m", 1000), false);
  assert.equal(saidOffline(since, "m", 4999), false);
  assert.equal(saidOffline(since, "m", 5000), true);
  // Still offline at a later view: the grace counts from the first, not restarted.
  const later = offlineSince(since, presencePeople(you(false), plenary(me, chan(false))), 3000);
  assert.equal(later.get("m"), 1000);
});

test("during the grace the banner says nothing, nobody offline is said to hear you, and when it ends", () => {
  const room = plenary(me, chan(false));
  const since = seen([[0, you(true), plenary(me, chan(true))], [1000, you(false), room]]);
  const during = shownPresence(you(false), room, since, 2000);
  assert.equal(mediatorOffline(during.you, during.room), false);
  assert.equal(during.you.mediator_online, true);
  const heard = whoHears(during.room, "a1");
  assert.deepEqual(heard.hear, []); // never hearing you while not connected
  assert.deepEqual(heard.away, []);
  assert.deepEqual(heard.waiting.map((m) => m.id), ["m"]); // connecting
  assert.equal(during.recheckAt, 1000 + OFFLINE_GRACE_MS);
  // The views as the server sent them are left alone.
  assert.equal(room.members[1].connected, false);

  const after = shownPresence(you(false), room, since, 1000 + OFFLINE_GRACE_MS);
  assert.equal(mediatorOffline(after.you, after.room), true);
  assert.equal(after.you.mediator_online, false);
  assert.deepEqual(whoHears(after.room, "a1").away.map((m) => m.id), ["m"]);
  assert.equal(after.recheckAt, null);
});

test("back within the grace: nothing was said, and a later drop starts a new grace", () => {
  const since = seen([[0, you(true), plenary(me, chan(true))], [1000, you(false), plenary(me, chan(false))],
    [3000, you(true), plenary(me, chan(true))]]);
  assert.equal(since.get("m"), null);
  const shown = shownPresence(you(true), plenary(me, chan(true)), since, 9000);
  assert.deepEqual(whoHears(shown.room, "a1").hear.map((m) => m.id), ["m"]);
  assert.equal(shown.recheckAt, null);
  const again = offlineSince(since, presencePeople(you(false), plenary(me, chan(false))), 10_000);
  assert.equal(saidOffline(again, "m", 13_999), false);
  assert.equal(saidOffline(again, "m", 14_000), true);
});

test("someone already offline when first seen is said offline at once", () => {
  const room = plenary(me, chan(false));
  const since = seen([[0, you(false), room]]);
  assert.equal(saidOffline(since, "m", 0), true);
  assert.equal(saidOffline(since, MEDIATOR_KEY, 0), true);
  const shown = shownPresence(you(false), room, since, 0);
  assert.equal(mediatorOffline(shown.you, shown.room), true);
  assert.equal(shown.you.mediator_online, false);
  assert.equal(shown.recheckAt, null);
});

test("the waiting room alone (no room view) tracks the mediator's connection", () => {
  const lobby = { ...you(true), room: "lobby" };
  const since = seen([[0, lobby, null], [500, { ...lobby, mediator_online: false }, null]]);
  const shown = shownPresence({ ...lobby, mediator_online: false }, null, since, 600);
  assert.equal(shown.you.mediator_online, true);
  assert.equal(shown.room, null);
  assert.equal(shown.recheckAt, 500 + OFFLINE_GRACE_MS);
});

test("members who leave the room are forgotten; their return, offline, is said at once", () => {
  const b1 = { id: "b1", role: "party", side: "sB", name: "Bo", connected: true, links: [] };
  const since = seen([[0, you(true), plenary(me, b1)], [100, you(true), plenary(me)],
    [200, you(true), plenary(me, { ...b1, connected: false })]]);
  assert.equal(saidOffline(since, "b1", 200), true);
});
