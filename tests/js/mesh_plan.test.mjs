// node --test tests/js/: a peer plan is the whole set of peers to hold (media/mesh-plan.js), and
// the mesh (media/mesh.js) closes, and leaves out of the verification code, anyone it does not
// name, after any sequence of plans: a reconnect's plan (a new client: `connect` only, no
// `drop`), a drop missed while the socket was down, plans superseding one another.
import assert from "node:assert/strict";
import test from "node:test";

import { planCloses, planOpens, plannedLinks } from "../../gateway/webclient/js/media/mesh-plan.js";

const link = (peer, offerer = false) => ({ peer, offerer });

test("a plan closes its drops first, then anyone it does not name, then those to connect anew", () => {
  // After a reconnect in the same room: the server's plan for a new client lists the room's
  // live members to connect, nothing to drop; "gone" left while the socket was down.
  const reconnect = { room: "plenary", epoch: 12, drop: [], connect: [link("b", true)], keep: [] };
  assert.deepEqual(planCloses(["gone", "b"], reconnect), ["gone", "b"]);
  assert.deepEqual(planOpens([], reconnect), { open: [link("b", true)], resume: [] });
  // A drop missed, the next plan keeps the others: the one not named goes all the same.
  const later = { room: "plenary", epoch: 13, drop: ["x"], connect: [link("c")], keep: [link("b")] };
  assert.deepEqual(planCloses(["b", "gone", "x"], later), ["x", "gone"]);
  assert.deepEqual(planOpens(["b"], later), { open: [link("c")], resume: [link("b")] });
  assert.deepEqual([...plannedLinks(later).keys()].sort(), ["b", "c"]);
  // The same plan twice, or a lobby's: nothing named, nothing held.
  assert.deepEqual(planCloses(["b", "c"], { room: "lobby", epoch: 0 }), ["b", "c"]);
  assert.deepEqual(planCloses([], later), []);
  assert.deepEqual(planCloses(["b", "c"], { ...later, drop: [] }), ["c"]);
});

const FP = (n) => `sha-256 ${Array(32).fill(n).join(":")}`;
const sdp = (n) => `v=0\r\na=fingerprint:sha-256 ${Array(32).fill(n).join(":")}\r\n`;

// A camera's sender on a negotiated connection: what it was last set to send is in `params`.
function videoSender(log, id) {
  const sender = { track: { kind: "video" }, params: { encodings: [{ active: true }] },
    getParameters: () => structuredClone(sender.params),
    setParameters: async (p) => {
      sender.params = p;
      log.push(`budget ${id} ${p.encodings[0].maxBitrate}`);
    } };
  return sender;
}

// A connection as the mesh holds it, already negotiated with a peer whose certificate is `n`.
function held(id, n, log) {
  const senders = [videoSender(log, id), { track: null }];
  return { id, pc: { remoteDescription: { sdp: sdp(n) }, connectionState: "connected",
    getSenders: () => senders },
    neg: { offerer: false, established: true, silence: () => log.push(`silence ${id}`),
      close: () => log.push(`close ${id}`) }, touched: performance.now() };
}

test("after a reconnect, the mesh holds, shows and verifies only the peers the plan names", async () => {
  globalThis.requestAnimationFrame ??= (fn) => setTimeout(fn, 0);
  const { Mesh } = await import("../../gateway/webclient/js/media/mesh.js");
  const log = [];
  const codes = [];
  const mesh = new Mesh({ send: () => {}, localStream: null, cert: null, fingerprint: FP("AA"),
    onRemoteGone: (id, stream) => log.push(`gone ${id} ${stream}`),
    onVerification: (v) => codes.push(v) });
  clearInterval(mesh.statsTimer);
  mesh.room = "plenary";
  mesh.epoch = 10;
  mesh.peers.set("gone", held("gone", "BB", log));
  mesh.peers.set("b", held("b", "CC", log));
  mesh.peers.set("c", held("c", "DD", log));
  mesh.open = (l) => log.push(`open ${l.peer}`);
  // The socket came back: "gone" was moved out meanwhile, "b" is a new client too.
  mesh.applyPlan({ room: "plenary", epoch: 12, drop: [], connect: [link("b", true)],
    keep: [link("c")] });
  assert.deepEqual([...mesh.peers.keys()], ["c"]); // at once, before any frame
  // The camera's one copy left takes the ceiling at once; set once, not again on each plan.
  assert.deepEqual(log.filter((x) => x.startsWith("budget")), ["budget c 1200000"]);
  assert.deepEqual(log.filter((x) => x.startsWith("gone")), ["gone gone null", "gone b null"]);
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.ok(log.includes("close gone") && log.includes("close b")); // released
  assert.deepEqual(log.filter((x) => x.startsWith("open")), ["open b"]);
  // The code covers this page and "c" (its fingerprint seen); "b" is still connecting.
  const last = codes.at(-1);
  assert.deepEqual(last.members, ["c"]);
  assert.equal(last.waiting, 1);
  const { verificationCode } = await import("../../gateway/webclient/js/media/verification.js");
  assert.equal(last.code, await verificationCode("plenary", [FP("AA"), FP("DD")]));
  mesh.stop();
});

test("a plan superseded before it opened leaves no connection it had asked to renew", async () => {
  globalThis.requestAnimationFrame ??= (fn) => setTimeout(fn, 0);
  const { Mesh } = await import("../../gateway/webclient/js/media/mesh.js");
  const log = [];
  const mesh = new Mesh({ send: () => {}, localStream: null, cert: null, fingerprint: FP("AA") });
  clearInterval(mesh.statsTimer);
  mesh.room = "plenary";
  mesh.peers.set("b", held("b", "CC", log));
  mesh.open = (l) => { log.push(`open ${l.peer}`); mesh.peers.set(l.peer, held(l.peer, "EE", log)); };
  // "b" reloaded (connect anew), then someone else arrived (keep "b") before the next frame.
  mesh.applyPlan({ room: "plenary", epoch: 3, connect: [link("b")] });
  mesh.applyPlan({ room: "plenary", epoch: 4, keep: [link("b")], connect: [link("d", true)] });
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.ok(log.includes("close b")); // the connection to b's old page is gone
  assert.deepEqual(log.filter((x) => x.startsWith("open")), ["open b", "open d"]);
  mesh.stop();
});

test("a plan's connections open one per task, so what arrives meanwhile is handled between them", async () => {
  globalThis.requestAnimationFrame ??= (fn) => setTimeout(fn, 0);
  const { Mesh } = await import("../../gateway/webclient/js/media/mesh.js");
  const log = [];
  const codes = [];
  const mesh = new Mesh({ send: () => {}, localStream: null, cert: null, fingerprint: FP("AA"),
    onVerification: (v) => codes.push(v) });
  clearInterval(mesh.statsTimer);
  // Each open queues a task (as the room's view arriving meanwhile would be): it runs before the next open.
  mesh.open = (l) => {
    log.push(`open ${l.peer}`);
    mesh.peers.set(l.peer, held(l.peer, "EE", log));
    setTimeout(() => log.push(`task after ${l.peer}`), 0);
  };
  mesh.applyPlan({ room: "plenary", epoch: 1, connect: [link("b", true), link("c"), link("d", true)] });
  assert.equal(mesh.opening, true);
  await new Promise((resolve) => setTimeout(resolve, 120));
  const opened = log.filter((x) => !x.startsWith("budget"));
  assert.deepEqual(opened, ["open b", "task after b", "open c", "task after c", "open d", "task after d"]);
  // Once all are open, each of the three copies of the camera takes a third of the upstream.
  assert.deepEqual(log.slice(-3), ["budget b 833333", "budget c 833333", "budget d 833333"]);
  assert.equal(mesh.opening, false);
  assert.deepEqual(codes.at(-1).members.sort(), ["b", "c", "d"]); // verified once all are open
  mesh.stop();
});
