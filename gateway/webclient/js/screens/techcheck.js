// The tech check page: send camera and microphone to the server-side echo peer, show what
// comes back and the link quality it measures (round-trip time, jitter, packet loss).
//
// The echo peer (aiortc) does not trickle ICE: the offer goes out with every candidate in it,
// and the answer comes back complete. Stats arrive about once a second as JSON on the "stats"
// data channel (`TechCheckStats`); the browser's own measurements fill in until they do.

import { api, rememberCsrf } from "../core/api.js";
import { t } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";
import { retranslate, said } from "../core/words.js";
import { localMedia } from "../media/devices.js";
import { iceConfiguration } from "../media/ice.js";

export const TECHCHECK_PATH = "/api/v1/techcheck";
const GATHER_TIMEOUT_MS = 5000;

const $ = (id) => document.getElementById(id);
let cleanup = () => {};

function show(id, value, text) {
  const el = $(id);
  el.dataset.value = value === null || value === undefined ? "" : String(value);
  el.textContent = text;
}

// Words that follow the language: the element keeps its key for `retranslate`.
function say(el, key) {
  el.dataset.i18n = key;
  el.textContent = t(key);
}

function setStatus(key) {
  say($("status"), key);
}

function gathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, GATHER_TIMEOUT_MS);
    pc.addEventListener("icegatheringstatechange", () => {
      if (pc.iceGatheringState === "complete") {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

function showQuality(stats) {
  if (typeof stats.rtt_ms === "number") show("rtt", stats.rtt_ms.toFixed(1), `${stats.rtt_ms.toFixed(0)} ms`);
  const streams = stats.streams || [];
  if (streams.length) {
    const jitter = Math.max(...streams.map((s) => s.jitter_ms || 0));
    const loss = Math.max(...streams.map((s) => Math.max(s.loss_fraction || 0, s.echo_loss_fraction || 0)));
    show("jitter", jitter.toFixed(2), `${jitter.toFixed(1)} ms`);
    show("loss", loss.toFixed(4), `${(loss * 100).toFixed(1)} %`);
  }
}

// Until the echo peer reports, the browser's own candidate-pair RTT is a fair first figure.
async function browserRtt(pc) {
  const report = await pc.getStats();
  let rtt = null;
  report.forEach((s) => {
    if (s.type === "candidate-pair" && s.nominated && typeof s.currentRoundTripTime === "number") {
      rtt = s.currentRoundTripTime * 1000;
    }
  });
  return rtt;
}

// How media travels: "relay" through the TURN server, or directly ("host", "srflx", "prflx").
async function route(pc) {
  const report = await pc.getStats();
  let pairId = null;
  report.forEach((s) => {
    if (s.type === "transport" && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
  });
  const pair = pairId ? report.get(pairId) : null;
  const local = pair ? report.get(pair.localCandidateId) : null;
  return local ? local.candidateType : null;
}

function countFrames(video) {
  let frames = 0;
  const tick = () => {
    frames += 1;
    show("frames", frames, String(frames));
    video.requestVideoFrameCallback(tick);
  };
  video.requestVideoFrameCallback(tick);
}

async function run() {
  setStatus("participant.techcheck.preparing");
  const me = await api("GET", "/api/v1/me", undefined, { expect401: true }).catch(() => null);
  if (!me) {
    setStatus("participant.techcheck.no_session");
    return;
  }
  rememberCsrf(me.csrf_token);
  const hearing = new URLSearchParams(location.search).get("hearing") || me.hearing;
  const [rtcConfig, stream] = await Promise.all([iceConfiguration(hearing), localMedia()]);
  if (!stream) {
    setStatus("participant.techcheck.no_devices");
    return;
  }
  $("local").srcObject = stream;
  const pc = new RTCPeerConnection(rtcConfig);
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  const channel = pc.createDataChannel("stats");
  let reported = false;
  channel.addEventListener("message", (event) => {
    try {
      const stats = JSON.parse(event.data);
      reported = true;
      showQuality(stats);
    } catch (_) { /* a malformed report is ignored */ }
  });
  pc.addEventListener("track", (event) => {
    if (event.track.kind !== "video") return;
    const echo = $("echo");
    echo.srcObject = event.streams[0] || new MediaStream([event.track]);
    echo.play().catch(() => {});
    countFrames(echo);
  });
  pc.addEventListener("connectionstatechange", () => {
    const state = pc.connectionState;
    setStatus(state === "connected" ? "participant.techcheck.connected"
      : state === "failed" ? "participant.techcheck.failed" : "participant.techcheck.connecting");
    if (state === "failed" || state === "closed") $("again").hidden = false;
  });
  setStatus("participant.techcheck.connecting");
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const answer = await api("POST", TECHCHECK_PATH, { sdp: pc.localDescription.sdp });
  await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
  const timer = setInterval(async () => {
    if (pc.connectionState === "closed") return clearInterval(timer);
    const type = await route(pc).catch(() => null);
    if (type) {
      show("route", type, "");
      say($("route"), type === "relay" ? "participant.techcheck.relay" : "participant.techcheck.direct");
    }
    if (!reported) {
      const rtt = await browserRtt(pc).catch(() => null);
      if (rtt !== null) show("rtt", rtt.toFixed(1), `${rtt.toFixed(0)} ms`);
    }
  }, 1000);
  cleanup = () => { clearInterval(timer); pc.close(); stream.getTracks().forEach((tr) => tr.stop()); };
}

function quality(id, key) {
  return [said("dt", null, key), h("dd", { id, "data-value": "" }, "–")];
}

export function mount(root) {
  mountNodes(root, h("section", { class: "techcheck" },
    h("div", { class: "page-head" },
      said("h1", null, "participant.techcheck.title"),
      h("p", { id: "status", class: "status", role: "status" }, "…")),
    said("p", { class: "lede" }, "participant.techcheck.lede"),
    h("div", { class: "videos" },
      h("figure", { class: "tile" }, h("video", { id: "local", autoplay: true, playsInline: true, muted: true }),
        said("figcaption", null, "participant.techcheck.local")),
      h("figure", { class: "tile" }, h("video", { id: "echo", autoplay: true, playsInline: true, muted: true }),
        said("figcaption", null, "participant.techcheck.echo"))),
    h("dl", { class: "quality", id: "quality" },
      quality("rtt", "participant.techcheck.rtt"),
      quality("jitter", "participant.techcheck.jitter"),
      quality("loss", "participant.techcheck.loss"),
      quality("frames", "participant.techcheck.frames"),
      quality("route", "participant.techcheck.route")),
    h("div", { class: "actions" },
      said("button", { id: "again", type: "button", class: "button", hidden: true,
        onclick: () => location.reload() }, "participant.techcheck.again"),
      // The check is a help, never a gate: the way on is always there.
      said("a", { href: "/lobby", class: "button primary", "data-action": "continue" },
        "participant.techcheck.continue"))));
  $("frames").dataset.value = "0";
  run().catch((error) => {
    console.error(error);
    setStatus("participant.techcheck.could_not_start");
  });
  // A language switch redraws the words only: the check in progress goes on.
  return { unmount: () => cleanup(), rerender: () => retranslate(root) };
}
