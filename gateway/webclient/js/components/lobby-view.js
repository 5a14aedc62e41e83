// The lobby: a clear waiting screen. The hearing's name, who will admit you (the mediator by
// name: text nodes only, so a name is never markup), what happens next, and your own camera and
// microphone with pickers, so you can fix them while you wait. A camera the browser blocks is
// said as blocked (allow it, then Try again, which asks again), one another app holds as in use
// (close that app, then Try again), never as "none found"; a missing camera beside a working
// microphone is said too (you will be heard, not seen), and so is a camera you turned off; a blocked device has no picker (the
// browser names none truly then: media/devices.js pickable), the sentence stands in its place,
// and the way on ("Ask for the mediator", "Leave hearing") stays in view. When the
// mediator renames or reschedules the hearing while you wait, the screen shows the new title and
// time at once and says which of them changed since you began waiting (lobby-changes.js: derived
// from the details now, so a reconnect never brings back a change the page no longer shows).
// Once the hearing has opened, when it is scheduled (in its zone and the reader's), and while
// its start is ahead, its calendar file to download (the same file the mediator sends).

import { t } from "../core/i18n.js";
import { h, mount, uid } from "../core/render.js";
import { pickable } from "../media/devices.js";
import { downloadCalendar } from "./calendar-file.js";
import { chineseSpacing } from "./chinese-spacing.js";
import { baseline, changedSentence, detailsChanged, offersLobbyCalendar, scheduleLine } from "./lobby-changes.js";
import { waitingLine } from "./person.js";

export class LobbyView {
  // onDevices({camera, microphone}) → Promise<{stream, trouble}>: the screen swaps its stream
  // when one opened (media/devices.js openLocalMedia; trouble: why not all of it did).
  constructor({ onDevices }) {
    this.onDevices = onDevices;
    this.preview = h("video", { class: "lobby-preview", autoplay: true, playsInline: true, muted: true });
    // Said over the preview while the camera is off: a black box alone reads as a broken camera.
    this.cameraOff = h("p", { class: "lobby-camera-off", hidden: true });
    const camId = uid("cam");
    const micId = uid("mic");
    this.camera = h("select", { id: camId, onchange: () => this.pick() });
    this.microphone = h("select", { id: micId, onchange: () => this.pick() });
    // Named "Waiting room" and the hearing's title, as a screen reader says it when the page
    // arrives here and focuses it (screens/hearing-stage.js).
    const kickerId = uid("kicker");
    this.title = h("h1", { class: "lobby-title", id: uid("lobby-title") });
    this.title.setAttribute("aria-labelledby", `${kickerId} ${this.title.id}`);
    this.waiting = h("p", { class: "lobby-waiting", role: "status" });
    this.changed = h("p", { class: "notice lobby-changed", hidden: true });
    this.schedule = h("p", { class: "lobby-schedule", hidden: true });
    this.calendar = h("button", { type: "button", class: "button lobby-calendar", hidden: true,
      "data-action": "calendar", onclick: () => downloadCalendar({ id: this.you.hearing, title: this.you.title }) });
    // The details as this waiting spell first showed them; forgotten when the waiting room
    // leaves the page (admitted to a room, where the header shows each change as it comes).
    this.seen = null;
    this.status = h("p", { class: "lobby-device-status", role: "status" });
    this.retry = h("button", { type: "button", class: "button", hidden: true,
      "data-action": "retry-devices", onclick: () => this.pick({}) });
    // Words by element: `relabel()` says them all again after a language switch.
    this.words = new Map([
      [h("p", { class: "lobby-kicker", id: kickerId }), "participant.lobby.kicker"],
      [h("h2"), "participant.lobby.next_heading"],
      [h("li"), "participant.lobby.next_1"],
      [h("li"), "participant.lobby.next_2"],
      [h("li"), "participant.lobby.next_3"],
      [h("label", { for: camId }), "participant.lobby.camera"],
      [h("label", { for: micId }), "participant.lobby.microphone"],
    ]);
    const [kicker, next, step1, step2, step3, camLabel, micLabel] = this.words.keys();
    this.cameraField = h("div", { class: "field" }, camLabel, this.camera);
    this.microphoneField = h("div", { class: "field" }, micLabel, this.microphone);
    this.el = h("section", { class: "lobby" },
      h("div", { class: "lobby-text" },
        kicker, this.title, this.changed, this.waiting, this.schedule, this.calendar, next,
        h("ol", { class: "lobby-steps" }, step1, step2, step3)),
      // The preview and the pickers side by side on a tablet, the pickers under it on a laptop
      // (css: .lobby-media), always in view without scrolling.
      h("div", { class: "lobby-media" },
        h("div", { class: "lobby-preview-box" }, this.preview, this.cameraOff),
        h("div", { class: "lobby-devices" }, this.cameraField, this.microphoneField, this.status, this.retry)));
    this.you = null;
    this.stream = undefined;
    this.trouble = null;
    this.relabel();
  }

  relabel() {
    for (const [el, key] of this.words) el.textContent = t(key);
    this.preview.setAttribute("aria-label", t("participant.lobby.preview"));
    this.setCameraOff(!this.cameraOff.hidden);
    if (this.you) this.update(this.you);
    if (this.stream !== undefined) this.setStream(this.stream);
  }

  update(you) {
    this.watchLeaving();
    this.seen = baseline(this.seen, you);
    const said = changedSentence(detailsChanged(this.seen, you));
    this.changed.hidden = !said;
    this.changed.textContent = said || "";
    this.you = you;
    this.title.textContent = you.title;
    this.waiting.textContent = chineseSpacing(waitingLine(you));
    const when = scheduleLine(you);
    this.schedule.hidden = !when;
    this.schedule.textContent = when ? chineseSpacing(when) : "";
    this.calendar.hidden = !offersLobbyCalendar(you);
    this.calendar.textContent = t("participant.lobby.calendar");
    // An observer has no side: the first step says what the mediator does with them instead.
    const [, , step1] = this.words.keys();
    this.words.set(step1, you.role === "observer" ? "participant.lobby.next_1_observer" : "participant.lobby.next_1");
    step1.textContent = t(this.words.get(step1));
  }

  // "Turn camera off" (or the server's word on a reload): the preview says so.
  setCameraOff(off) {
    this.cameraOff.hidden = !off;
    this.cameraOff.textContent = off ? t("participant.lobby.camera_off") : "";
  }

  // Once on the page: when the waiting room is taken off it, the next spell starts afresh.
  watchLeaving() {
    if (this.leaveWatch || !this.el.parentNode || typeof MutationObserver !== "function") return;
    this.leaveWatch = new MutationObserver(() => { if (!this.el.isConnected) this.seen = null; });
    this.leaveWatch.observe(this.el.parentNode, { childList: true });
  }

  // The stream shown, and why what is missing of it is (`trouble`: "blocked", "in_use" or
  // "none"; media/devices.js mediaTrouble).
  async setStream(stream, trouble = this.trouble) {
    this.stream = stream;
    this.trouble = trouble;
    if (this.preview.srcObject !== stream) this.preview.srcObject = stream;
    // Taken off the page (admitted to a room), the preview paused, and `autoplay` does not
    // start it again when the waiting room comes back: a frozen picture of you otherwise.
    if (stream && this.preview.paused && this.el.isConnected) this.preview.play().catch(() => {});
    const key = trouble === "blocked"
      ? (stream ? "participant.lobby.camera_blocked" : "participant.lobby.blocked")
      : trouble === "in_use" ? "participant.lobby.in_use"
        : !stream ? "participant.lobby.no_devices"
          : stream.getVideoTracks().length ? null : "participant.lobby.no_camera";
    this.status.textContent = key ? t(key) : "";
    this.status.dataset.trouble = key ? trouble || "none" : "";
    this.retry.textContent = t("participant.lobby.try_again");
    this.retry.hidden = !key;
    let devices = [];
    try {
      devices = await navigator.mediaDevices.enumerateDevices();
    } catch (_) { /* no devices API */ }
    const fill = (select, kind, track) => {
      const current = track ? track.getSettings().deviceId : "";
      const options = devices.filter((d) => d.kind === kind);
      mount(select, options.map((d, i) => h("option", { value: d.deviceId, selected: d.deviceId === current },
        d.label || t(`participant.lobby.${kind === "videoinput" ? "camera" : "microphone"}_n`, { count: i + 1 }))));
      select.disabled = options.length === 0;
    };
    fill(this.camera, "videoinput", stream && stream.getVideoTracks()[0]);
    fill(this.microphone, "audioinput", stream && stream.getAudioTracks()[0]);
    const offered = pickable(stream, trouble);
    this.cameraField.hidden = !offered.camera;
    this.microphoneField.hidden = !offered.microphone;
  }

  // The devices picked (or, from Try again, the browser's own: asked for again).
  async pick(choice = { camera: this.camera.value, microphone: this.microphone.value }) {
    const { stream, trouble } = await this.onDevices(choice);
    if (stream) await this.setStream(stream, trouble);
    else if (!this.stream) await this.setStream(null, trouble);
  }
}
