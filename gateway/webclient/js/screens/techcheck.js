// The tech check page: camera and microphone go to the server-side echo peer and come back, and
// about ten seconds after connecting the page says, item by item, whether others will see you
// (camera), hear you (microphone, with a live level meter) and how well the link holds
// (round trip, loss, jitter), then what to do about it. The way on to the waiting room is always
// there: the check is a help, never a gate.
//
// The echo peer (aiortc) does not trickle ICE: the offer goes out with every candidate in it,
// and the answer comes back complete. Its report arrives about once a second as JSON on the
// "stats" data channel (`TechCheckStats`); the browser's own getStats of the call measures the
// same link from this end. Each second's figure is the worse of the two; the verdict takes the
// middle of the seconds measured.

import { api, rememberCsrf } from "../core/api.js";
import { h, mount as mountNodes } from "../core/render.js";
import { retranslate, said } from "../core/words.js";
import { $, say, setStatus, show, showItem, showOverall } from "../components/techcheck-view.js";
import { openLocalMedia } from "../media/devices.js";
import { gathered, iceConfiguration } from "../media/ice.js";
import { FLOOR_DB, HEARD_DB, HEARD_SAMPLES, METER_FALL, microphone } from "../media/microphone.js";
import {
  better, browserFigures, deviceOutcomes, echoFigures, judgeConnection, ledeKey, worse,
} from "../media/techcheck-verdict.js";

export const TECHCHECK_PATH = "/api/v1/techcheck";
// Measured this long after connecting before the verdict: loss and jitter need a few seconds
// of packets to mean anything, and a party should not wait longer than that.
const MEASURE_MS = 8000;
// Not connected this long after the page opened: the network blocks the call.
const CONNECT_DEADLINE_MS = 20000;
const TICK_MS = 1000;
const METER_MS = 100;
// Echoed frames that show the picture travelled there and back (about a second of video).
const FRAMES_SEEN = 15;

// ---------------------------------------------------------------- one check

class Check {
  constructor() {
    this.outcomes = { camera: null, microphone: null, connection: null };
    this.devicesChecked = false;
    this.connected = false;
    this.decided = false;
    this.echo = { rtt: null, loss: null, jitter: null };
    this.samples = [];
    this.heardSamples = 0;
    this.timers = [];
    this.pc = null;
    this.stream = null;
    this.mic = null;
  }

  later(ms, fn) {
    this.timers.push(setTimeout(fn, ms));
  }

  every(ms, fn) {
    this.timers.push(setInterval(fn, ms));
  }

  stop() {
    this.timers.forEach((id) => { clearTimeout(id); clearInterval(id); });
    if (this.mic) this.mic.close();
    if (this.pc) this.pc.close();
    if (this.stream) this.stream.getTracks().forEach((tr) => tr.stop());
  }

  // An item's outcome; once the verdict is out, only a better one replaces it (you spoke).
  set(item, outcome) {
    const current = this.outcomes[item];
    if (this.decided && current && !better(outcome, current)) return;
    if (current === outcome) return;
    this.outcomes[item] = outcome;
    showItem(item, outcome);
    if (this.decided) showOverall(this.outcomes);
  }

  // Whether the call carries camera or microphone (else only the round trip is measured).
  sending() {
    return Boolean(this.stream && this.stream.getTracks().length);
  }

  // The verdict: whatever is still open is judged from what was measured (a check that stopped
  // before it could open the devices judges nothing about them).
  decide(connection = null) {
    if (this.decided) return;
    const o = this.outcomes;
    this.set("connection", connection || judgeConnection(this.samples, { sending: this.sending() }));
    if (!o.camera) this.set("camera", this.devicesChecked ? "local" : "untested");
    if (!o.microphone) this.set("microphone", this.devicesChecked ? "silent" : "untested");
    this.decided = true;
    showOverall(o);
    setStatus("participant.techcheck.done");
    $("again").hidden = false;
  }

  async start() {
    setStatus("participant.techcheck.preparing");
    const me = await api("GET", "/api/v1/me", undefined, { expect401: true }).catch(() => null);
    if (!me) {
      setStatus("participant.techcheck.no_session");
      $("results").hidden = true;
      return;
    }
    rememberCsrf(me.csrf_token);
    const hearing = new URLSearchParams(location.search).get("hearing") || me.hearing;
    const [rtcConfig, { stream, trouble }] = await Promise.all([iceConfiguration(hearing), openLocalMedia()]);
    this.stream = stream;
    this.later(CONNECT_DEADLINE_MS, () => { if (!this.connected) this.decide("failed"); });
    this.watchDevices(stream, trouble);
    await this.connect(rtcConfig, stream);
  }

  // `trouble`: why not all of the devices opened (media/devices.js mediaTrouble). A camera
  // another app holds, or one the browser blocks, is said as such at once, with "Run again" to
  // hand: closing that app, or allowing the camera, then running the check again is the whole
  // fix. With neither device open there is no picture to show: the page drops its two empty
  // video boxes (css: .techcheck[data-devices=none]), so the sentences and "Run again" stay in
  // view without scrolling on a laptop or a tablet.
  watchDevices(stream, trouble) {
    this.devicesChecked = true;
    const known = deviceOutcomes(stream, trouble);
    // "Say a few words" only while a microphone can hear them.
    say($("lede"), ledeKey(known));
    if (known.camera) this.set("camera", known.camera);
    if (known.microphone && known.microphone !== "none") this.set("microphone", known.microphone);
    if (stream) $("local").srcObject = stream;
    else $("techcheck").dataset.devices = "none";
    if (trouble === "in_use" || trouble === "blocked") $("again").hidden = false;
    this.mic = microphone(stream, () => this.pc);
    if (!this.mic) {
      this.set("microphone", known.microphone || "none");
      return;
    }
    const meter = $("mic-level");
    this.every(METER_MS, async () => {
      const db = await this.mic.db();
      if (db === null) return;
      const level = Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB));
      meter.value = Math.max(level, meter.value * METER_FALL);
      this.heardSamples += db >= HEARD_DB ? 1 : 0;
      if (this.heardSamples >= HEARD_SAMPLES) this.set("microphone", "heard");
    });
  }

  // The call to the echo peer: our tracks (if any: with none, the link is still measured over
  // the data channel) go out, the echo comes back.
  async connect(rtcConfig, stream) {
    const pc = new RTCPeerConnection(rtcConfig);
    this.pc = pc;
    if (stream) for (const track of stream.getTracks()) pc.addTrack(track, stream);
    pc.createDataChannel("stats").addEventListener("message", (event) => {
      try {
        this.echo = echoFigures(JSON.parse(event.data));
      } catch (_) { /* a malformed report is ignored */ }
    });
    pc.addEventListener("track", (event) => {
      if (event.track.kind !== "video") return;
      const echo = $("echo");
      // The picture only. Rendered (even muted), the echoed sound is what the browser's echo
      // cancellation cancels: in Chromium your own microphone fell silent two seconds in.
      echo.srcObject = new MediaStream([event.track]);
      echo.play().catch(() => {});
      this.countFrames(echo);
    });
    pc.addEventListener("connectionstatechange", () => this.onState(pc.connectionState));
    setStatus("participant.techcheck.connecting");
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const answer = await api("POST", TECHCHECK_PATH, { sdp: pc.localDescription.sdp });
    await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
    this.every(TICK_MS, () => this.measure().catch(() => {}));
  }

  onState(state) {
    if (state === "connected" && !this.connected) {
      this.connected = true;
      if (!this.decided) setStatus("participant.techcheck.connected");
      // Connected only after the deadline: judged all the same, and replaces "failed".
      this.later(MEASURE_MS, () => (this.decided
        ? this.set("connection", judgeConnection(this.samples, { sending: this.sending() })) : this.decide()));
    } else if (state === "failed" && !this.decided) {
      this.decide("failed");
    }
  }

  async measure() {
    if (this.pc.connectionState === "closed") return;
    const here = browserFigures(await this.pc.getStats());
    const m = {
      rtt: here.rtt ?? this.echo.rtt,
      loss: worse(here.loss, this.echo.loss),
      jitter: worse(here.jitter, this.echo.jitter),
    };
    if (this.connected) this.samples.push(m);
    if (m.rtt !== null) show("rtt", m.rtt.toFixed(1), `${m.rtt.toFixed(0)} ms`);
    if (m.jitter !== null) show("jitter", m.jitter.toFixed(2), `${m.jitter.toFixed(1)} ms`);
    if (m.loss !== null) show("loss", m.loss.toFixed(4), `${(m.loss * 100).toFixed(1)} %`);
    if (here.route) {
      show("route", here.route, "");
      say($("route"), here.route === "relay" ? "participant.techcheck.relay" : "participant.techcheck.direct");
    }
  }

  countFrames(video) {
    let frames = 0;
    const tick = () => {
      frames += 1;
      show("frames", frames, String(frames));
      if (frames >= FRAMES_SEEN) this.set("camera", "seen");
      video.requestVideoFrameCallback(tick);
    };
    video.requestVideoFrameCallback(tick);
  }
}

// ---------------------------------------------------------------- drawing

// One item's verdict: a badge (and `extra`, the microphone's meter), then its sentence.
function item(name, ...extra) {
  return [said("dt", null, `participant.techcheck.${name}`),
    h("dd", { id: `verdict-${name}`, "data-outcome": "", "data-level": "checking" },
      said("span", { class: "badge" }, "participant.techcheck.level_checking"), " ", ...extra, h("br"),
      said("span", { class: "verdict-text" }, `participant.techcheck.${name}_checking`))];
}

function quality(id, key) {
  return [said("dt", null, key), h("dd", { id, "data-value": "" }, "–")];
}

export function mount(root) {
  const meterLabel = said("span", { id: "mic-level-label", class: "visually-hidden" }, "participant.techcheck.mic_level");
  mountNodes(root, h("section", { class: "techcheck", id: "techcheck" },
    h("div", { class: "page-head" },
      said("h1", null, "participant.techcheck.title"),
      h("p", { id: "status", class: "status", role: "status" }, "…")),
    said("p", { class: "lede", id: "lede" }, "participant.techcheck.lede"),
    // Videos and results side by side (one above the other on a narrow screen); the figures
    // behind the verdict come after both.
    h("div", { class: "two-col" },
      h("div", { class: "videos" },
        h("figure", { class: "tile" }, h("video", { id: "local", autoplay: true, playsInline: true, muted: true }),
          said("figcaption", null, "participant.techcheck.local")),
        h("figure", { class: "tile" }, h("video", { id: "echo", autoplay: true, playsInline: true, muted: true }),
          said("figcaption", null, "participant.techcheck.echo"))),
      h("section", { class: "panel", id: "results", "aria-labelledby": "results-title" },
        said("h2", { id: "results-title" }, "participant.techcheck.results"),
        h("dl", { class: "quality", id: "verdicts" },
          item("camera"),
          // Green from where it counts as hearing you (HEARD_DB), amber if it clips.
          item("microphone", meterLabel,
            h("meter", { id: "mic-level", min: "0", max: "1", low: String((HEARD_DB - FLOOR_DB) / -FLOOR_DB),
              high: "0.95", optimum: "0.6", value: "0", "aria-labelledby": "mic-level-label" })),
          item("connection")),
        // Present from the start (a live region must exist before it speaks), saying when.
        said("p", { id: "verdict", class: "notice", role: "status", "data-level": "" }, "participant.techcheck.verdict_pending"),
        h("div", { class: "actions" },
          said("button", { id: "again", type: "button", class: "button", hidden: true,
            onclick: () => location.reload() }, "participant.techcheck.again"),
          // The check is a help, never a gate: the way on is always there.
          said("a", { href: "/lobby", class: "button primary", "data-action": "continue" },
            "participant.techcheck.continue")))),
    said("h2", null, "participant.techcheck.measurements"),
    h("dl", { class: "quality", id: "quality" },
      quality("rtt", "participant.techcheck.rtt"),
      quality("jitter", "participant.techcheck.jitter"),
      quality("loss", "participant.techcheck.loss"),
      quality("frames", "participant.techcheck.frames"),
      quality("route", "participant.techcheck.route"))));
  $("frames").dataset.value = "0";
  const check = new Check();
  check.start().catch((error) => {
    console.error(error);
    check.decide("untested");
  });
  // A language switch redraws the words only: the check in progress goes on.
  return { unmount: () => check.stop(), rerender: () => retranslate(root) };
}
