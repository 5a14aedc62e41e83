// node --test tests/js/: a participant's camera and microphone once in a room. A counsel whose
// browser blocked both read three names under "Who can hear you" while sending no sound, lost
// the sentence and Try again on admission, and the tech check told her sound and picture
// should be smooth though it had sent neither.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);

const { initI18n } = await import("../../gateway/webclient/js/core/i18n.js");
const { unheardWords } = await import("../../gateway/webclient/js/components/hearers.js");
const { deviceNoticeKey } = await import("../../gateway/webclient/js/components/device-notice.js");
const { adoptTracks } = await import("../../gateway/webclient/js/components/device-notice.js");
const { Mesh } = await import("../../gateway/webclient/js/media/mesh.js");
const { judgeConnection, levelOf } = await import("../../gateway/webclient/js/media/techcheck-verdict.js");

const room = { members: [
  { id: "me", name: "Ho Mei Ling", role: "counsel" },
  { id: "m", name: "Dr Chan", role: "mediator" },
  { id: "a", name: "Chan Tai Man", role: "party", links: ["me"] },
] };

test("with the microphone blocked, nobody hears you: the others are named as in the room", async () => {
  await initI18n("en");
  const said = unheardWords(room, "me", "blocked");
  assert.match(said, /^In this room: .*Chan Tai Man\. They cannot hear you: your browser is blocking your microphone\.$/);
  assert.ok(!said.includes("Ho Mei Ling"), said);
  assert.equal(unheardWords({ members: [room.members[0]] }, "me", "in_use"),
    "Nobody: another app is using your microphone.");
  assert.equal(unheardWords(room, "me", "none").endsWith("no microphone was found."), true);
  await initI18n("zh-Hant");
  const zh = unheardWords(room, "me", "blocked");
  assert.ok(zh.startsWith("此房間內有：") && zh.includes("他們聽不到您"), zh);
  await initI18n("en");
});

const stream = (id, kinds) => {
  const tracks = kinds.map((kind) => ({ kind, stopped: false, stop() { this.stopped = true; } }));
  return {
    id,
    getTracks: () => [...tracks],
    getVideoTracks: () => tracks.filter((x) => x.kind === "video"),
    getAudioTracks: () => tracks.filter((x) => x.kind === "audio"),
    addTrack: (x) => tracks.push(x),
    removeTrack: (x) => tracks.splice(tracks.indexOf(x), 1),
  };
};

test("the room says what the others do not get, and nothing once both are sent", () => {
  assert.equal(deviceNoticeKey(null, "blocked"), "participant.room.devices_blocked");
  assert.equal(deviceNoticeKey(null, "in_use"), "participant.room.devices_in_use");
  assert.equal(deviceNoticeKey(null, null), "participant.room.devices_none");
  assert.equal(deviceNoticeKey(stream("s", ["audio"]), "blocked"), "participant.room.camera_blocked");
  assert.equal(deviceNoticeKey(stream("s", ["audio"]), "none"), "participant.room.camera_none");
  assert.equal(deviceNoticeKey(stream("s", ["audio", "video"]), null), null);
});

test("tracks opened by Try again join the stream already sent, which keeps its id", () => {
  const current = stream("camera-stream", ["audio"]);
  const [oldAudio] = current.getAudioTracks();
  const next = stream("new", ["audio", "video"]);
  const kept = adoptTracks(current, next);
  assert.equal(kept.id, "camera-stream");
  assert.deepEqual(kept.getTracks(), next.getTracks());
  assert.ok(oldAudio.stopped);
  assert.equal(adoptTracks(null, next), next);
});

test("every connection sends the new tracks: replaced where sent, added where not, screens untouched", () => {
  const mesh = new Mesh({ send: () => {}, localStream: null, cert: null, fingerprint: "" });
  clearInterval(mesh.statsTimer);
  const screenTrack = { kind: "video" };
  const screenSender = { track: screenTrack };
  const oldAudio = { kind: "audio" };
  const audioSender = { track: oldAudio, replaceTrack: async (x) => { audioSender.track = x; } };
  const added = [];
  const pc = {
    senders: [audioSender, screenSender, { track: null }],
    getSenders() { return this.senders; },
    addTrack(track, s) { added.push([track, s.id]); },
  };
  mesh.peers.set("a", { id: "a", pc, screenSenders: [screenSender] });
  const local = stream("camera-stream", ["audio", "video"]);
  mesh.useLocalStream(local);
  assert.equal(audioSender.track, local.getAudioTracks()[0]); // no renegotiation for sound
  assert.deepEqual(added, [[local.getVideoTracks()[0], "camera-stream"]]); // the camera, in its stream
  assert.equal(screenSender.track, screenTrack);
  assert.equal(mesh.localStream, local); // connections opened later send it too
  mesh.stopped = true;
});

test("with nothing sent, the tech check says the service is reachable, never smooth", () => {
  const seconds = [{ rtt: 1, loss: null, jitter: null }, { rtt: 2, loss: null, jitter: null }];
  assert.equal(judgeConnection(seconds, { sending: false }), "reachable");
  assert.equal(levelOf("reachable"), "good");
  assert.equal(judgeConnection(seconds), "good");
  // A slow round trip is still said as such: that much was measured.
  assert.equal(judgeConnection([{ rtt: 900, loss: null, jitter: null }], { sending: false }), "poor");
});
