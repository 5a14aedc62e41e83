// node --test tests/js/: when the room banner tells someone in plenary that the mediator is away
// (components/room-banner.js mediatorAway): from their own room's people alone (the RoomView the
// server sends them, services/signalling/view.py room_view), so it says nothing they could not
// see already: not where the mediator is, nor with whom.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);

const { initI18n, t } = await import("../../gateway/webclient/js/core/i18n.js");
const { mediatorAway, mediatorOffline, mediatorWords } = await import("../../gateway/webclient/js/components/room-banner.js");
const { changedWords, mediatorChange, rememberMediator, seenMediator } = await import("../../gateway/webclient/js/components/mediator-change.js");

const party = { id: "a1", role: "party", side: "sA" };
const mediator = { id: "m", role: "mediator", name: "Ms Anna Lee" };
const plenary = (...members) => ({ id: "plenary", kind: "plenary", name: "Plenary", epoch: 3, members });

test("a party alone in plenary is told the mediator is away; with the mediator, nothing", async () => {
  assert.equal(mediatorAway(party, plenary(party)), true);
  assert.equal(mediatorAway(party, plenary(party, { id: "b1", role: "party", side: "sB" })), true);
  assert.equal(mediatorAway(party, plenary(party, mediator)), false);
  // Offline but still in the room: not away meeting someone (the tiles say the rest).
  assert.equal(mediatorAway(party, plenary(party, { ...mediator, connected: false })), false);
  // In the lobby, between rooms: nothing said.
  assert.equal(mediatorAway(party, null), false);
  assert.equal(mediatorAway(null, plenary(party)), false);
  // The mediator's own screen never says it of itself.
  assert.equal(mediatorAway({ id: "m", role: "mediator" }, plenary()), false);
  // Counsel and observers are told too.
  assert.equal(mediatorAway({ id: "o1", role: "observer" }, plenary({ id: "o1", role: "observer" })), true);
});

// The same rule in a caucus: a party left alone in its side's caucus (the mediator went to the
// other side's) is told, as in plenary; with the mediator there, nothing.
test("a caucus the mediator left says so too", () => {
  const caucus = (...members) => ({ id: "c1", kind: "caucus", name: "", side: "sA", side_name: "Claimant", members });
  assert.equal(mediatorAway(party, caucus(party)), true);
  assert.equal(mediatorAway(party, caucus(party, mediator)), false);
  assert.equal(mediatorAway({ id: "m", role: "mediator" }, caucus()), false);
  // The mediator leaving the caucus the move notice named makes that notice stale.
  assert.deepEqual(mediatorWords({ away: mediatorAway(party, caucus(party)),
    wasAway: mediatorAway(party, caucus(party, mediator)), notice: "moved" }),
  { notice: null, awayLine: true });
});

// Offline in the room (a dropped connection, a disabled account): what to do meanwhile.
test("a mediator offline in the room: the banner says to wait and how to come back", async () => {
  assert.equal(mediatorOffline(party, plenary(party, { ...mediator, connected: false })), true);
  assert.equal(mediatorOffline(party, plenary(party, { ...mediator, connected: true })), false);
  assert.equal(mediatorOffline(party, plenary(party)), false); // away, not offline
  assert.equal(mediatorOffline({ id: "m", role: "mediator" },
    plenary({ ...mediator, id: "m", connected: false })), false);
  await initI18n("en");
  const line = t("participant.room.mediator_offline");
  assert.match(line, /^Please wait: the hearing continues when the mediator is back\./);
  assert.match(line, /same link/);
});

// A hand-over: said once, from what the view names (SelfView.mediator), whatever replays it.
test("another mediator: said once, in place of whom; a reconnect or a rename says nothing", async () => {
  const you = (mediator, mediatorName) => ({ id: "a1", role: "party", mediator, mediator_name: mediatorName });
  let step = mediatorChange(null, you("m1", "Mr David Lam"));
  assert.equal(step.said, null); // the first view: nothing changed
  step = mediatorChange(step.seen, you("m1", "Mr David Lam")); // a reconnect's snapshot
  assert.equal(step.said, null);
  step = mediatorChange(step.seen, you("m2", "Ms Mei Chan"));
  assert.deepEqual(step.said, { name: "Ms Mei Chan", former: "Mr David Lam" });
  await initI18n("en");
  assert.equal(changedWords(step.said),
    "Ms Mei Chan is now the mediator of this hearing (in place of Mr David Lam).");
  step = mediatorChange(step.seen, you("m2", "Ms Mei Chan")); // the same again: nothing
  assert.equal(step.said, null);
  step = mediatorChange(step.seen, you("m2", "Ms Mei-Ling Chan")); // renamed, same person
  assert.equal(step.said, null);
  assert.equal(step.seen.name, "Ms Mei-Ling Chan");
  // Remembered for the tab: a reload compares against the last one seen.
  const store = new Map();
  const box = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) };
  rememberMediator("h1", step.seen, box);
  assert.deepEqual(seenMediator("h1", box), step.seen);
  assert.equal(seenMediator("h2", box), null);
  assert.equal(mediatorChange(seenMediator("h1", box), you("m2", "Ms Mei-Ling Chan")).said, null);
  for (const lang of ["zh-Hant", "zh-Hans"]) {
    await initI18n(lang);
    const line = changedWords({ name: "Ms Mei Chan", former: "Mr David Lam" });
    assert.ok(line.includes("Ms Mei Chan") && line.includes("Mr David Lam") && !/\{/.test(line), line);
  }
  await initI18n("en");
});

test("the line names no room, no side and no person", async () => {
  for (const lang of ["en", "zh-Hant", "zh-Hans"]) {
    await initI18n(lang);
    const line = t("participant.room.mediator_away");
    assert.ok(line.length > 10 && !/\{/.test(line), line);
  }
  await initI18n("en");
  assert.equal(t("participant.room.mediator_away"),
    "The mediator is meeting privately in another room and will come back to this room.");
});

// The move notice and the away line never contradict each other: one place says where the
// mediator is, and the most recent true state wins (room-banner.js mediatorWords).
test("moved into plenary without the mediator: the notice says both, the banner holds back", () => {
  assert.deepEqual(mediatorWords({ moved: true, away: true, wasAway: false, notice: null }),
    { notice: "moved_away", awayLine: false });
  assert.deepEqual(mediatorWords({ moved: true, away: false, wasAway: true, notice: null }),
    { notice: "moved", awayLine: false });
});

test("the mediator leaves after the move: the stale move notice goes, the away line shows", () => {
  assert.deepEqual(mediatorWords({ away: true, wasAway: false, notice: "moved" }),
    { notice: null, awayLine: true });
  // Moved while the mediator was away, and the mediator comes (answering a knock, following a
  // side into its caucus): the notice is old news and goes; the mediator is there to see.
  assert.deepEqual(mediatorWords({ away: false, wasAway: true, notice: "moved_away" }),
    { notice: null, awayLine: false });
  // Dismissed meanwhile: nothing comes back.
  assert.deepEqual(mediatorWords({ away: false, wasAway: true, notice: null }),
    { notice: null, awayLine: false });
});

test("nothing changed about the mediator: the notice stays as it is", () => {
  assert.deepEqual(mediatorWords({ away: true, wasAway: true, notice: "moved_away" }),
    { notice: "moved_away", awayLine: false });
  assert.deepEqual(mediatorWords({ away: true, wasAway: true, notice: null }),
    { notice: null, awayLine: true }); // dismissed: the banner says it
  assert.deepEqual(mediatorWords({ away: false, wasAway: false, notice: "moved" }),
    { notice: "moved", awayLine: false });
});
