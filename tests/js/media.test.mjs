// node --test tests/js/: the pure parts of the hearing page's media and presence.
import assert from "node:assert/strict";
import test from "node:test";

import { looksLikeAiortc } from "../../gateway/webclient/js/media/negotiation.js";

test("aiortc's session origin is recognised, browsers' is not", () => {
  assert.ok(looksLikeAiortc("v=0\r\no=- 3946541224 3946541224 IN IP4 0.0.0.0\r\ns=-\r\n"));
  assert.ok(!looksLikeAiortc("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n"));
  assert.ok(!looksLikeAiortc("v=0\r\no=mozilla...THIS_IS_SDPARTA-99.0 1 0 IN IP4 0.0.0.0\r\n"));
});

test("who can hear you: exactly the members who report a connected link to you", async () => {
  const { whoHears } = await import("../../gateway/webclient/js/components/hearers.js");
  const room = { members: [
    { id: "me", links: ["a"] },
    { id: "a", links: ["me", "b"] },
    { id: "b", links: ["a"] }, // in the room, not (yet) connected to me
    { id: "c", links: [] },
    { id: "d", links: [], connected: false }, // in the room during its grace, no page open
  ] };
  const { hear, waiting, away } = whoHears(room, "me");
  assert.deepEqual(hear.map((m) => m.id), ["a"]);
  assert.deepEqual(waiting.map((m) => m.id), ["b", "c"]);
  assert.deepEqual(away.map((m) => m.id), ["d"]);
  assert.deepEqual(whoHears(null, "me"), { hear: [], waiting: [], away: [] });
});

test("a link state the server does not show is reported again, at most every few seconds", async () => {
  const { Mesh } = await import("../../gateway/webclient/js/media/mesh.js");
  const sent = [];
  const mesh = new Mesh({ send: (m) => sent.push(m), localStream: null, cert: null, fingerprint: "" });
  clearInterval(mesh.statsTimer);
  const long = performance.now() - 60_000;
  const resent = [];
  mesh.peers.set("a", { pc: { connectionState: "connected" }, neg: { offerer: false, established: true }, touched: long });
  mesh.peers.set("b", { pc: { connectionState: "connected" }, neg: { offerer: false, established: true }, touched: long });
  mesh.peers.set("c", { pc: { connectionState: "connecting" },
    neg: { offerer: true, established: false, resend: () => resent.push("c") }, touched: long });
  mesh.setServerLinks(["b"]); // the report for "a" was lost; "b" is known; "c" still connecting
  assert.deepEqual(sent, [{ type: "peer.state", peer: "a", state: "connected" }]);
  assert.deepEqual(resent, ["c"]); // its first offer, unanswered, goes out again
  mesh.setServerLinks(["b"]);
  assert.equal(sent.length, 1); // not again at once
  mesh.peers.get("b").pc.connectionState = "disconnected";
  mesh.peers.get("b").touched = long;
  mesh.setServerLinks(["b"]); // the server still shows a link that is gone: corrected
  assert.deepEqual(sent[1], { type: "peer.state", peer: "b", state: "disconnected" });
  mesh.stopped = true;
});

// A camera the browser blocks, a camera that is not there: two troubles, two fixes (the lobby
// says each in its own words, components/lobby-view.js). getUserMedia is the browser's.
const refuse = (name) => Object.assign(new Error(name), { name });
const browser = (answer) => {
  const asked = [];
  Object.defineProperty(globalThis, "navigator", { configurable: true,
    value: { mediaDevices: { getUserMedia: async (c) => { asked.push(c); return answer(c); } } } });
  return asked;
};

test("a refused camera is blocked, a missing one is none, and the microphone alone still opens", async () => {
  const { mediaTrouble, openLocalMedia } = await import("../../gateway/webclient/js/media/devices.js");
  assert.equal(mediaTrouble(refuse("NotAllowedError")), "blocked");
  assert.equal(mediaTrouble(refuse("SecurityError")), "blocked");
  assert.equal(mediaTrouble(refuse("NotFoundError")), "none");
  assert.equal(mediaTrouble(refuse("OverconstrainedError")), "none");

  const both = { id: "both" };
  browser(() => both);
  assert.deepEqual(await openLocalMedia(), { stream: both, trouble: null });

  const mic = { id: "mic" };
  const asked = browser((c) => { if (c.video) throw refuse("NotAllowedError"); return mic; });
  assert.deepEqual(await openLocalMedia(), { stream: mic, trouble: "blocked" });
  assert.deepEqual(asked.map((c) => Boolean(c.video)), [true, false]);

  browser(() => { throw refuse("NotAllowedError"); });
  assert.deepEqual(await openLocalMedia(), { stream: null, trouble: "blocked" });
  browser(() => { throw refuse("NotFoundError"); });
  assert.deepEqual(await openLocalMedia(), { stream: null, trouble: "none" });
  // No camera (none), and the microphone blocked: what allowing would fix is said.
  browser((c) => { throw refuse(c.video ? "NotFoundError" : "NotAllowedError"); });
  assert.deepEqual(await openLocalMedia(), { stream: null, trouble: "blocked" });
});

// A camera another app holds (another video call): the browser says NotReadableError (older
// Chromium: TrackStartError). Not "none found", not "blocked": close that app, then try again.
test("a camera another app holds is in use, said before none and after blocked", async () => {
  const { mediaTrouble, openLocalMedia } = await import("../../gateway/webclient/js/media/devices.js");
  assert.equal(mediaTrouble(refuse("NotReadableError")), "in_use");
  assert.equal(mediaTrouble(refuse("TrackStartError")), "in_use");
  assert.equal(mediaTrouble(null), "none");

  // The camera is held, the microphone alone opens: the trouble said is the camera's.
  const mic = { id: "mic" };
  browser((c) => { if (c.video) throw refuse("NotReadableError"); return mic; });
  assert.deepEqual(await openLocalMedia(), { stream: mic, trouble: "in_use" });
  // Both held (or the microphone too): in use.
  browser(() => { throw refuse("TrackStartError"); });
  assert.deepEqual(await openLocalMedia(), { stream: null, trouble: "in_use" });
  // No camera, and the microphone held: closing the other app brings the microphone back.
  browser((c) => { throw refuse(c.video ? "NotFoundError" : "NotReadableError"); });
  assert.deepEqual(await openLocalMedia(), { stream: null, trouble: "in_use" });
  // Blocked is still said first (allowing is a fix in the browser itself).
  browser((c) => { throw refuse(c.video ? "NotReadableError" : "NotAllowedError"); });
  assert.deepEqual(await openLocalMedia(), { stream: null, trouble: "blocked" });
});

test("a device the browser blocks gets no picker; one missing or in use keeps its own", async () => {
  const { pickable } = await import("../../gateway/webclient/js/media/devices.js");
  const stream = (video, audio) => ({ getVideoTracks: () => Array(video).fill({}), getAudioTracks: () => Array(audio).fill({}) });
  // Both blocked: a picker would list placeholders ("fake_device_0", "Camera 1"), nothing true.
  assert.deepEqual(pickable(null, "blocked"), { camera: false, microphone: false });
  assert.deepEqual(pickable(stream(0, 1), "blocked"), { camera: false, microphone: true });
  assert.deepEqual(pickable(stream(1, 1), null), { camera: true, microphone: true });
  // Held by another app, or none found: another device may do, so the picker stays.
  assert.deepEqual(pickable(null, "in_use"), { camera: true, microphone: true });
  assert.deepEqual(pickable(stream(0, 1), "none"), { camera: true, microphone: true });
});
