// node --test tests/js/: when the mediator's console says a party is offline
// (screens/console-presence.js, by components/presence.js's rule). The console once marked a
// party offline on the board, and in "who can hear you", the moment their connection dropped;
// now a drop shorter than OFFLINE_GRACE_MS shows them reconnecting (never hearing the mediator),
// and offline only after it.
import assert from "node:assert/strict";
import test from "node:test";

const { OFFLINE_GRACE_MS } = await import("../../gateway/webclient/js/components/presence.js");
const { ConsolePresence, shownBoard, boardPeople, sameDrop } =
  await import("../../gateway/webclient/js/screens/console-presence.js");
const { offlineSince } = await import("../../gateway/webclient/js/components/presence.js");

const GRACE = OFFLINE_GRACE_MS;
const ho = (connected) => ({ id: "a1", role: "party", name: "Mr Ho", connected, links: connected ? ["m"] : [] });
const chan = { id: "m", role: "mediator", name: "Dr Chan", connected: true, links: ["a1"] };
const ng = (connected) => ({ id: "b1", role: "party", name: "Ms Ng", connected, links: [] });
const board = (plenary, lobby = []) => ({ sides: [], rooms: [
  { id: "lobby", kind: "lobby", members: lobby },
  { id: "plenary", kind: "plenary", members: plenary },
] });
const room = (...members) => ({ id: "plenary", kind: "plenary", epoch: 1, members });
const person = (b, id) => b.rooms.flatMap((r) => r.members).find((m) => m.id === id);

test("a party who drops is shown reconnecting on the board until the grace runs out", () => {
  const presence = new ConsolePresence(() => {});
  presence.board(board([chan, ho(true)]), 0);
  const dropped = board([chan, ho(false)]);
  const soon = presence.board(dropped, 1000);
  assert.deepEqual(person(soon, "a1"), { ...ho(false), connected: true, links: [], reconnecting: true });
  assert.equal(person(presence.board(dropped, 1000 + GRACE - 1), "a1").connected, true);
  assert.equal(person(presence.board(dropped, 1000 + GRACE), "a1").connected, false);
  assert.equal(person(presence.board(dropped, 1000 + GRACE), "a1").reconnecting, undefined);
  // Back within the grace: connected again, as the server says.
  presence.board(board([chan, ho(true)]), 2000);
  assert.deepEqual(person(presence.board(dropped, 3000), "a1").reconnecting, true);
  presence.stop();
});

test("someone offline when the console first sees them is said offline at once", () => {
  const presence = new ConsolePresence(() => {});
  const shown = presence.board(board([chan], [ng(false)]), 0);
  assert.equal(person(shown, "b1").connected, false);
  assert.equal(person(shown, "b1").reconnecting, undefined);
  presence.stop();
});

test("in the mediator's room, a party reconnecting never hears the mediator", () => {
  const presence = new ConsolePresence(() => {});
  presence.room(room(chan, ho(true)), 0);
  const dropped = { ...room(chan, { ...ho(false), links: ["m"] }) }; // a stale link
  const shown = presence.room(dropped, 500);
  const a1 = shown.members.find((m) => m.id === "a1");
  assert.equal(a1.connected, true);
  assert.deepEqual(a1.links, []);
  assert.equal(presence.room(dropped, 500 + GRACE).members.find((m) => m.id === "a1").connected, false);
  assert.equal(presence.room(null, 600), null);
  presence.stop();
});

test("the board and the room view keep their own record of who dropped when", () => {
  const presence = new ConsolePresence(() => {});
  presence.board(board([chan, ho(true)]), 0);
  presence.room(room(chan, ho(true)), 0);
  // The room view says it first; the board, still saying connected, is no reason to say offline.
  const shown = presence.room(room(chan, ho(false)), 100);
  assert.equal(shown.members.find((m) => m.id === "a1").connected, true);
  presence.stop();
});

test("shownBoard says when it next changes", () => {
  const since = offlineSince(offlineSince(new Map(), boardPeople(board([ho(true)]).rooms), 0),
    boardPeople(board([ho(false)]).rooms), 700);
  assert.equal(shownBoard(board([ho(false)]), since, 800).recheckAt, 700 + GRACE);
  assert.equal(shownBoard(board([ho(false)]), since, 700 + GRACE).recheckAt, null);
  assert.equal(shownBoard(board([ho(true)]), new Map([["a1", null]]), 800).recheckAt, null);
});

test("the console is drawn again once a grace runs out", async () => {
  let drawn = 0;
  const presence = new ConsolePresence(() => { drawn += 1; });
  const now = Date.now();
  const dropped = board([chan, ho(false)]);
  presence.board(board([chan, ho(true)]), now - GRACE);
  presence.follow("board", dropped, boardPeople(dropped.rooms), now - GRACE + 30); // ends in 30 ms
  assert.equal(person(presence.board(dropped, now), "a1").reconnecting, true);
  assert.equal(drawn, 0);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(drawn, 1);
  presence.stop();
});

test("once both views say a party dropped, the card and the room say offline together", () => {
  const presence = new ConsolePresence(() => {});
  presence.board(board([chan, ho(true)]), 0);
  presence.room(room(chan, ho(true)), 0);
  presence.room(room(chan, ho(false)), 1000); // the room view says it first
  const dropped = board([chan, ho(false)]);
  presence.board(dropped, 1030); // the board 30 ms later
  const at = 1000 + GRACE;
  assert.equal(presence.room(room(chan, ho(false)), at).members.find((m) => m.id === "a1").connected, false);
  assert.equal(person(presence.board(dropped, at), "a1").connected, false);
  assert.equal(person(presence.board(dropped, at - 1), "a1").connected, true);
  presence.stop();
});

test("a drop one view saw before the console knew the person is not taken up by the other", () => {
  const since = sameDrop(new Map([["a1", 500], ["b1", null]]), new Map([["a1", -Infinity], ["b1", 200]]));
  assert.deepEqual([...since], [["a1", 500], ["b1", null]]);
  assert.deepEqual([...sameDrop(new Map([["a1", 500]]), new Map([["a1", 300]]))], [["a1", 300]]);
});
