// node --test tests/js/: a page whose socket has been down longer than the server's reconnection
// grace closes every peer connection itself (media/mesh.js `offline`). Before, two pages cut off
// at the same moment kept their connection to each other (neither could get the plan dropping
// the other), media flowing while both said nobody could hear them, even after the server had
// sent one of them back to the waiting room.
import assert from "node:assert/strict";
import { test } from "node:test";

// Closing waits for the next frame (mesh.js afterPaint); Node has no frames.
globalThis.requestAnimationFrame ??= (fn) => setTimeout(fn, 0);
const { Mesh } = await import("../../gateway/webclient/js/media/mesh.js");

// A mesh holding connected peers (each with the negotiation calls closing makes, recorded), on
// the test's clock.
function meshHolding(t, ids) {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  const mesh = new Mesh({ send: () => {}, cert: null, fingerprint: "sha-256 00" });
  for (const id of ids) {
    const neg = { silenced: false, closed: false, silence() { this.silenced = true; },
      close() { this.closed = true; } };
    mesh.peers.set(id, { id, neg, pc: { connectionState: "connected", remoteDescription: null } });
  }
  mesh.planned = new Set(ids);
  return mesh;
}

test("past the grace every connection is closed, and said so again at each retry", (t) => {
  const mesh = meshHolding(t, ["b1", "med"]);
  const held = [...mesh.peers.values()];
  let said = 0;
  mesh.online(6000);
  mesh.offline(() => { said += 1; });
  t.mock.timers.tick(3000);
  mesh.offline(() => { said += 1; }); // a failed retry closes again: the first close counts
  t.mock.timers.tick(2999);
  assert.deepEqual([mesh.peers.size, said], [2, 0]);
  t.mock.timers.tick(1);
  assert.deepEqual([mesh.peers.size, said, mesh.planned.size], [0, 1, 0]);
  assert.ok(held.every((peer) => peer.neg.silenced), "silenced at once");
  t.mock.timers.tick(50);
  assert.ok(held.every((peer) => peer.neg.closed), "released after the frame");
  mesh.offline(() => { said += 1; }); // still down: said over the page's own "reconnecting"
  assert.equal(said, 2);
  mesh.online(6000); // back: the next plan opens them again; nothing is said or timed any more
  t.mock.timers.tick(60000);
  assert.equal(said, 2);
  mesh.stop();
});

test("back within the grace, nothing is closed", (t) => {
  const mesh = meshHolding(t, ["b1"]);
  let said = 0;
  mesh.online(6000);
  mesh.offline(() => { said += 1; });
  t.mock.timers.tick(5999);
  mesh.online(6000);
  t.mock.timers.tick(60000);
  assert.deepEqual([mesh.peers.size, said], [1, 0]);
  mesh.stop();
});

test("before the first snapshot the grace is unknown, and nothing is timed", (t) => {
  const mesh = meshHolding(t, ["b1"]);
  let said = 0;
  mesh.offline(() => { said += 1; });
  t.mock.timers.tick(600000);
  assert.deepEqual([mesh.peers.size, said], [1, 0]);
  mesh.stop();
});

test("a stopped mesh has no timer left", (t) => {
  const mesh = meshHolding(t, ["b1"]);
  let said = 0;
  mesh.online(6000);
  mesh.offline(() => { said += 1; });
  mesh.stop();
  t.mock.timers.tick(60000);
  assert.equal(said, 0);
});
