// The lobby: a clear waiting screen. The hearing's name, who will admit you, what happens next,
// and your own camera and microphone with pickers, so you can fix them while you wait.

import { t } from "../core/i18n.js";
import { h, mount, uid } from "../core/render.js";

export class LobbyView {
  // onDevices({camera, microphone}) → Promise<MediaStream|null>: the screen swaps its stream.
  constructor({ onDevices }) {
    this.onDevices = onDevices;
    this.preview = h("video", { class: "lobby-preview", autoplay: true, playsInline: true, muted: true,
      "aria-label": t("participant.lobby.preview") });
    const camId = uid("cam");
    const micId = uid("mic");
    this.camera = h("select", { id: camId, onchange: () => this.pick() });
    this.microphone = h("select", { id: micId, onchange: () => this.pick() });
    this.title = h("h1", { class: "lobby-title" });
    this.waiting = h("p", { class: "lobby-waiting", role: "status" });
    this.status = h("p", { class: "lobby-device-status" });
    this.el = h("section", { class: "lobby" },
      h("div", { class: "lobby-text" },
        h("p", { class: "lobby-kicker" }, t("participant.lobby.kicker")),
        this.title, this.waiting,
        h("h2", null, t("participant.lobby.next_heading")),
        h("ol", { class: "lobby-steps" },
          h("li", null, t("participant.lobby.next_1")),
          h("li", null, t("participant.lobby.next_2")),
          h("li", null, t("participant.lobby.next_3")))),
      h("div", { class: "lobby-media" },
        this.preview,
        h("div", { class: "field" }, h("label", { for: camId }, t("participant.lobby.camera")), this.camera),
        h("div", { class: "field" }, h("label", { for: micId }, t("participant.lobby.microphone")), this.microphone),
        this.status));
  }

  update(you) {
    this.title.textContent = you.title;
    this.waiting.textContent = you.locked
      ? t("participant.lobby.locked")
      : t("participant.lobby.waiting", { name: you.mediator_name || t("participant.lobby.the_mediator") });
  }

  async setStream(stream) {
    this.preview.srcObject = stream;
    this.status.textContent = stream ? "" : t("participant.lobby.no_devices");
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
  }

  async pick() {
    const stream = await this.onDevices({ camera: this.camera.value, microphone: this.microphone.value });
    if (stream) await this.setStream(stream);
  }
}
