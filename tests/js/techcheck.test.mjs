// node --test tests/js/: the tech check's verdicts (js/media/techcheck-verdict.js), from figures
// as the echo peer and the browser report them.
import assert from "node:assert/strict";
import test from "node:test";

const {
  better, browserFigures, deviceOutcomes, echoFigures, judgeConnection, ledeKey, levelOf, overall, typical,
} = await import("../../gateway/webclient/js/media/techcheck-verdict.js");

const second = (rtt, loss = 0, jitter = 5) => ({ rtt, loss, jitter });

test("the connection is judged from the middle second, against the bands", () => {
  assert.equal(judgeConnection([second(40), second(60), second(50)]), "good");
  // One slow second (a busy machine) does not make the verdict; most slow seconds do.
  assert.equal(judgeConnection([second(40), second(2000), second(50)]), "good");
  assert.equal(judgeConnection([second(500), second(600), second(50)]), "choppy");
  assert.equal(judgeConnection([second(900), second(1000), second(950)]), "poor");
  assert.equal(judgeConnection([second(50, 0.05), second(50, 0.05)]), "choppy"); // 5 % loss
  assert.equal(judgeConnection([second(50, 0.2), second(50, 0.2)]), "poor");
  assert.equal(judgeConnection([second(50, 0, 120), second(50, 0, 120)]), "choppy"); // jitter
  assert.equal(judgeConnection([]), "untested"); // never connected: nothing measured
  assert.deepEqual(typical([second(10, null, null), second(30, 0.01, 7)]),
    { rtt: 30, loss: 0.01, jitter: 7 });
});

test("each figure is the worse of the echo peer's view and the browser's", () => {
  const echo = echoFigures({ rtt_ms: 42, streams: [
    { loss_fraction: 0.01, echo_loss_fraction: 0.03, jitter_ms: 12 },
    { loss_fraction: 0.02, jitter_ms: 30 },
  ] });
  assert.deepEqual(echo, { rtt: 42, loss: 0.03, jitter: 30 });
  const report = new Map([
    ["T", { type: "transport", selectedCandidatePairId: "P" }],
    ["P", { type: "candidate-pair", currentRoundTripTime: 0.08, localCandidateId: "L" }],
    ["L", { type: "local-candidate", candidateType: "relay" }],
    ["I", { type: "inbound-rtp", packetsReceived: 90, packetsLost: 10, jitter: 0.004 }],
    ["R", { type: "remote-inbound-rtp", fractionLost: 0.05 }],
  ]);
  const here = browserFigures(report);
  assert.equal(here.route, "relay");
  assert.ok(Math.abs(here.rtt - 80) < 1e-9 && Math.abs(here.loss - 0.1) < 1e-9 && Math.abs(here.jitter - 4) < 1e-9, here);
});

test("the overall sentence: the first rule that holds, the worst item's level", () => {
  const ok = { camera: "seen", microphone: "heard", connection: "good" };
  assert.deepEqual(overall(ok), { level: "good", key: "participant.techcheck.verdict_ready" });
  assert.equal(overall({ ...ok, connection: "failed" }).key, "participant.techcheck.verdict_unreachable");
  assert.equal(overall({ ...ok, camera: "none" }).key, "participant.techcheck.verdict_devices");
  assert.equal(overall({ ...ok, connection: "choppy" }).key, "participant.techcheck.verdict_weak");
  assert.equal(overall({ ...ok, connection: "choppy" }).level, "fair");
  assert.equal(overall({ ...ok, microphone: "silent" }).key, "participant.techcheck.verdict_silent");
  // A weak link is said before a silent microphone (it is the one to fix first).
  assert.equal(overall({ ...ok, microphone: "silent", connection: "poor" }).key,
    "participant.techcheck.verdict_weak");
  assert.equal(overall({ ...ok, connection: "poor" }).level, "poor");
  // After the verdict, only a better outcome replaces one: speaking turns "silent" into "heard".
  assert.ok(better("heard", "silent"));
  assert.ok(!better("silent", "heard") && !better("heard", "heard"));
});

// A stream as getUserMedia gives it: its video and audio tracks.
const streamOf = (video, audio) => ({ getVideoTracks: () => Array(video).fill({}), getAudioTracks: () => Array(audio).fill({}) });

test("a camera another app holds is said as in use, with its own sentence, never as none", () => {
  // media/devices.js openLocalMedia: the microphone alone opened, the camera held elsewhere.
  assert.deepEqual(deviceOutcomes(streamOf(0, 1), "in_use"), { camera: "in_use", microphone: null });
  assert.deepEqual(deviceOutcomes(null, "in_use"), { camera: "in_use", microphone: "in_use" });
  // Missing for another reason: none, as before; both opened: both still to be measured.
  assert.deepEqual(deviceOutcomes(streamOf(0, 1), "none"), { camera: "none", microphone: null });
  // Blocked by the browser: said as blocked (allowing them is the fix), never as "none".
  assert.deepEqual(deviceOutcomes(null, "blocked"), { camera: "blocked", microphone: "blocked" });
  assert.deepEqual(deviceOutcomes(streamOf(0, 1), "blocked"), { camera: "blocked", microphone: null });
  assert.deepEqual(deviceOutcomes(streamOf(1, 1), null), { camera: null, microphone: null });
  const ok = { camera: "seen", microphone: "heard", connection: "good" };
  assert.equal(levelOf("in_use"), "poor");
  assert.equal(levelOf("blocked"), "poor");
  assert.equal(overall({ ...ok, camera: "blocked", microphone: "blocked" }).key, "participant.techcheck.verdict_blocked");
  assert.equal(overall({ ...ok, camera: "blocked" }).key, "participant.techcheck.verdict_devices");
  assert.deepEqual(overall({ ...ok, camera: "in_use" }), { level: "poor", key: "participant.techcheck.verdict_in_use" });
  assert.equal(overall({ ...ok, camera: "in_use", microphone: "in_use" }).key, "participant.techcheck.verdict_in_use");
  // An unreachable test service is still said first.
  assert.equal(overall({ ...ok, camera: "in_use", connection: "failed" }).key, "participant.techcheck.verdict_unreachable");
});

test("the opening line asks for a few words only while a microphone can hear them", () => {
  const lede = (stream, trouble) => ledeKey(deviceOutcomes(stream, trouble));
  assert.equal(lede(streamOf(1, 1), null), "participant.techcheck.lede");
  // Both blocked (the browser said no): only the connection is measured, and it says why.
  assert.equal(lede(null, "blocked"), "participant.techcheck.lede_blocked");
  assert.equal(lede(null, "in_use"), "participant.techcheck.lede_in_use");
  assert.equal(lede(null, "none"), "participant.techcheck.lede_none");
  // The microphone alone opened: it is still asked to speak; a camera alone is not.
  assert.equal(lede(streamOf(0, 1), "blocked"), "participant.techcheck.lede_microphone_only");
  assert.equal(lede(streamOf(1, 0), "blocked"), "participant.techcheck.lede_camera_only");
});
