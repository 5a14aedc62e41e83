// The tech check's verdicts (pure: no DOM, no media): the figures measured of the echo call, as
// the echo peer reports them and as the browser's getStats sees them; the connection judged
// from the middle of the seconds measured; each item's outcome as a level; and the overall
// sentence, the first rule that holds. screens/techcheck.js measures and draws; tests/js checks
// these rules.

// The connection's verdict: the first band every figure fits, "poor" beyond the last. A round
// trip above ~300 ms is noticed in conversation and above ~800 ms breaks turn-taking (ITU-T
// G.114 on one-way delay); a few per cent of loss drops syllables and freezes video. Jitter is
// measured through the echo, whose re-encoding adds some of its own (up to ~40 ms on a
// loopback): receivers' jitter buffers absorb tens of milliseconds, so only more counts.
export const CONNECTION_BANDS = [
  { outcome: "good", rtt_ms: 300, loss: 0.02, jitter_ms: 50 },
  { outcome: "choppy", rtt_ms: 800, loss: 0.08, jitter_ms: 150 },
];

// How each item's outcome reads: its badge, and the order of worse.
const LEVEL_OF = {
  seen: "good", heard: "good", good: "good", reachable: "good",
  local: "fair", silent: "fair", choppy: "fair", untested: "fair",
  none: "poor", in_use: "poor", blocked: "poor", poor: "poor", failed: "poor",
};
const LEVELS = ["checking", "good", "fair", "poor"];
const ITEMS = ["camera", "microphone", "connection"];

// The overall verdict: the first rule that holds says what to do.
const OVERALL = [
  { key: "participant.techcheck.verdict_unreachable", when: (o) => o.connection === "failed" },
  { key: "participant.techcheck.verdict_untested", when: (o) => o.connection === "untested" },
  // The browser blocks both: allowing them is the whole fix (said first, as devices.js does).
  { key: "participant.techcheck.verdict_blocked", when: (o) => o.camera === "blocked" && o.microphone === "blocked" },
  // Another app holds the camera or microphone: closing it is the fix, not allowing or connecting.
  { key: "participant.techcheck.verdict_in_use", when: (o) => o.camera === "in_use" || o.microphone === "in_use" },
  { key: "participant.techcheck.verdict_devices",
    when: (o) => ["none", "blocked"].includes(o.camera) || ["none", "blocked"].includes(o.microphone) },
  { key: "participant.techcheck.verdict_weak",
    when: (o) => ["poor", "choppy"].includes(o.connection) || o.camera === "local" },
  { key: "participant.techcheck.verdict_silent", when: (o) => o.microphone === "silent" },
  { key: "participant.techcheck.verdict_ready", when: () => true },
];

// What opening the devices already tells of the camera and the microphone (media/devices.js
// openLocalMedia: the stream, or null, and why not all of it opened): "in_use" when another app
// holds what is missing, "blocked" when the browser refuses it (the person or the browser said
// no), "none" when it is missing otherwise, null when it opened (its echo and
// level are still to be measured). Without the camera, the microphone alone opened: the
// trouble is the camera's; without a stream at all, it may be either's, so both say it.
export function deviceOutcomes(stream, trouble) {
  const missing = trouble === "in_use" || trouble === "blocked" ? trouble : "none";
  const video = Boolean(stream && stream.getVideoTracks().length);
  const audio = Boolean(stream && stream.getAudioTracks().length);
  return { camera: video ? null : missing, microphone: audio ? null : missing };
}

// The page's opening line, once opening the devices told what this check can do (`known`:
// deviceOutcomes): "say a few words" only while a microphone is there to hear them; without
// one it says why (blocked, in use, none) and that only the connection is measured.
export function ledeKey(known) {
  const { camera, microphone } = known;
  if (microphone && camera) return `participant.techcheck.lede_${microphone}`;
  if (microphone) return "participant.techcheck.lede_camera_only";
  if (camera) return "participant.techcheck.lede_microphone_only";
  return "participant.techcheck.lede";
}

// The level an item's outcome reads as (no outcome yet: "checking").
export function levelOf(outcome) {
  return outcome ? LEVEL_OF[outcome] : "checking";
}

// Whether `outcome` reads better than `current` (after the verdict, only a better one
// replaces it: you spoke after all).
export function better(outcome, current) {
  return LEVELS.indexOf(levelOf(outcome)) < LEVELS.indexOf(levelOf(current));
}

// The whole check: the worst item's level, and the sentence that says what to do.
export function overall(outcomes) {
  const worst = ITEMS.map((i) => LEVELS.indexOf(levelOf(outcomes[i]))).reduce((a, b) => Math.max(a, b), 0);
  return { level: LEVELS[worst], key: OVERALL.find((rule) => rule.when(outcomes)).key };
}

// The larger of two figures, either of which may not be measured yet (null).
export function worse(a, b) {
  if (a === null || a === undefined) return b ?? null;
  return b === null || b === undefined ? a : Math.max(a, b);
}

// The echo peer's view: the loss of what we sent (and of its echo, from our RTCP), its jitter.
export function echoFigures(stats) {
  const streams = stats.streams || [];
  let loss = null;
  let jitter = null;
  for (const s of streams) {
    loss = worse(loss, worse(s.loss_fraction, s.echo_loss_fraction));
    jitter = worse(jitter, s.jitter_ms);
  }
  return { rtt: typeof stats.rtt_ms === "number" ? stats.rtt_ms : null, loss, jitter };
}

// The browser's view of the same call: the selected pair's round trip, the echo's loss and
// jitter as received here, and the loss the echo peer reports of ours (RTCP).
export function browserFigures(report) {
  let rtt = null;
  let loss = null;
  let jitter = null;
  let route = null;
  report.forEach((s) => {
    if (s.type === "transport" && s.selectedCandidatePairId) {
      const pair = report.get(s.selectedCandidatePairId);
      if (pair && typeof pair.currentRoundTripTime === "number") rtt = pair.currentRoundTripTime * 1000;
      const local = pair ? report.get(pair.localCandidateId) : null;
      if (local) route = local.candidateType;
    } else if (s.type === "inbound-rtp") {
      const lost = Math.max(s.packetsLost || 0, 0);
      const expected = (s.packetsReceived || 0) + lost;
      if (expected) loss = worse(loss, lost / expected);
      if (typeof s.jitter === "number") jitter = worse(jitter, s.jitter * 1000);
    } else if (s.type === "remote-inbound-rtp" && typeof s.fractionLost === "number") {
      loss = worse(loss, s.fractionLost);
    }
  });
  return { rtt, loss, jitter, route };
}

// The middle value of each figure over the samples taken while connected: one slow second (a
// busy machine, the echo peer re-encoding) does not make the verdict.
export function typical(samples) {
  const middle = (name) => {
    const values = samples.map((s) => s[name]).filter((v) => v !== null).sort((a, b) => a - b);
    return values.length ? values[Math.floor(values.length / 2)] : null;
  };
  return { rtt: middle("rtt"), loss: middle("loss"), jitter: middle("jitter") };
}

// `sending`: the call carried camera or microphone. Without either, only the round trip is
// measured (over the data channel: no loss, no jitter, no frames): a good one says the service
// is reachable, never that sound and picture will be smooth (nothing of them was tried).
export function judgeConnection(samples, { sending = true } = {}) {
  const { rtt, loss, jitter } = typical(samples);
  if (rtt === null) return "untested";
  const fits = (band) => rtt <= band.rtt_ms && (loss ?? 0) <= band.loss && (jitter ?? 0) <= band.jitter_ms;
  const band = CONNECTION_BANDS.find(fits);
  const outcome = band ? band.outcome : "poor";
  return outcome === "good" && !sending ? "reachable" : outcome;
}

