// node --test tests/js/: what a camera sends each peer of a mesh (media/send-budget.js): the copies
// share one upstream, each within its floor and ceiling, and send fewer frames as they grow.
import assert from "node:assert/strict";
import test from "node:test";

import {
  MAX_BPS, MIN_BPS, UPSTREAM_BPS, budgeted, cameraBudget,
} from "../../gateway/webclient/js/media/send-budget.js";

test("the copies of a camera share one upstream, each between its floor and its ceiling", () => {
  // Alone with one other, or none yet: the ceiling, at the camera's full rate.
  assert.deepEqual(cameraBudget(0), { maxBitrate: MAX_BPS, maxFramerate: 30 });
  assert.deepEqual(cameraBudget(1), { maxBitrate: MAX_BPS, maxFramerate: 30 });
  assert.deepEqual(cameraBudget(2), { maxBitrate: MAX_BPS, maxFramerate: 30 });
  // Four people with you: a quarter each; a full room of 8 (7 copies): the same upstream.
  assert.deepEqual(cameraBudget(4), { maxBitrate: 625_000, maxFramerate: 24 });
  assert.deepEqual(cameraBudget(7), { maxBitrate: 357_143, maxFramerate: 15 });
  for (let peers = 3; peers <= 7; peers += 1) {
    const { maxBitrate } = cameraBudget(peers);
    assert.ok(maxBitrate * peers <= UPSTREAM_BPS + peers, `${peers} copies overrun the upstream`);
    assert.ok(maxBitrate >= MIN_BPS && maxBitrate <= MAX_BPS);
  }
  // Past what a mesh carries (an SFU's job, DESIGN §10): never below the floor.
  assert.equal(cameraBudget(20).maxBitrate, MIN_BPS);
  // More copies never send more each, nor more often.
  for (let peers = 1; peers < 12; peers += 1) {
    assert.ok(cameraBudget(peers + 1).maxBitrate <= cameraBudget(peers).maxBitrate);
    assert.ok(cameraBudget(peers + 1).maxFramerate <= cameraBudget(peers).maxFramerate);
  }
});

test("a sender's parameters take the budget on every encoding, once", () => {
  const budget = cameraBudget(4);
  const params = { transactionId: "t1", encodings: [{ active: true, rid: "h" }, { active: true, rid: "l" }] };
  const next = budgeted(params, budget);
  assert.equal(next.transactionId, "t1"); // setParameters needs the getParameters it answers
  assert.deepEqual(next.encodings, [{ active: true, rid: "h", ...budget }, { active: true, rid: "l", ...budget }]);
  assert.deepEqual(params.encodings[0], { active: true, rid: "h" }); // the given ones untouched
  // Already carried: nothing to set (no needless setParameters on every plan).
  assert.equal(budgeted(next, budget), null);
  // Carried, then the room grows: set again.
  assert.deepEqual(budgeted(next, cameraBudget(6)).encodings[0].maxFramerate, 15);
  // Not negotiated yet (no encodings): nothing now, set once stable.
  assert.equal(budgeted({ encodings: [] }, budget), null);
  assert.equal(budgeted({}, budget), null);
});
