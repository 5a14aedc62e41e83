// node --test tests/js/: when the room banner tells someone in plenary that the mediator is away
// (components/room-banner.js mediatorAway): from their own room's people alone (the RoomView the
// server sends them, services/signalling/view.py room_view), so it says nothing they could not
// see already: not where the mediator is, nor with whom.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);

const { initI18n, t } = await import("../../gateway/webclient/js/core/i18n.js");
const { mediatorAway, mediatorWords } = await import("../../gateway/webclient/js/components/room-banner.js");

const party = { id: "a1", role: "party", side: "sA" };
const mediator = { id: "m", role: "mediator", name: "Ms Anna Lee" };
const plenary = (...members) => ({ id: "plenary", kind: "plenary", name: "Plenary", epoch: 3, members });

test("a party alone in plenary is told the mediator is away; with the mediator, nothing", async () => {
  assert.equal(mediatorAway(party, plenary(party)), true);
  assert.equal(mediatorAway(party, plenary(party, { id: "b1", role: "party", side: "sB" })), true);
  assert.equal(mediatorAway(party, plenary(party, mediator)), false);
  // Offline but still in the room: not away meeting someone (the tiles say the rest).
  assert.equal(mediatorAway(party, plenary(party, { ...mediator, connected: false })), false);
  // In a caucus (the side's own time), in the lobby, between rooms: nothing said.
  const caucus = { id: "c1", kind: "caucus", name: "", side: "sA", side_name: "Claimant", members: [party] };
  assert.equal(mediatorAway(party, caucus), false);
  assert.equal(mediatorAway(party, null), false);
  assert.equal(mediatorAway(null, plenary(party)), false);
  // The mediator's own screen never says it of itself.
  assert.equal(mediatorAway({ id: "m", role: "mediator" }, plenary()), false);
  // Counsel and observers are told too.
  assert.equal(mediatorAway({ id: "o1", role: "observer" }, plenary({ id: "o1", role: "observer" })), true);
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
  // …and comes back: the notice that said they were away goes, and nothing says away.
  assert.deepEqual(mediatorWords({ away: false, wasAway: true, notice: "moved_away" }),
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
