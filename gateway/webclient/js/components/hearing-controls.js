// The hearing's controls: microphone, camera, hand, knock, screen share. Real buttons, state in
// `aria-pressed`, a one-letter shortcut (M, V, H, K, S) outside text fields; `only` picks some.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";

const CONTROLS = [
  { key: "mic", shortcut: "m" },
  { key: "camera", shortcut: "v" },
  { key: "hand", shortcut: "h" },
  { key: "knock", shortcut: "k" },
  { key: "screen", shortcut: "s" },
];

export class HearingControls {
  // actions: {mic(on), camera(on), hand(raised), knock(on), screen(on)} → may return a promise
  constructor(actions, { only = null } = {}) {
    this.actions = actions;
    this.state = { mic: true, camera: true, hand: false, knock: false, screen: false };
    this.buttons = {};
    this.controls = CONTROLS.filter((c) => !only || only.includes(c.key));
    for (const c of this.controls) {
      this.buttons[c.key] = h("button", {
        type: "button", class: `control control-${c.key}`, "aria-pressed": "false",
        "aria-keyshortcuts": c.shortcut.toUpperCase(), dataset: { control: c.key },
        onclick: () => this.toggle(c.key),
      });
    }
    this.el = h("div", { class: "controls", role: "toolbar", "aria-label": t("participant.controls.label") },
      Object.values(this.buttons));
    this.onKey = (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
      const target = event.target;
      if (target && (target.closest("input, textarea, select, [contenteditable], dialog"))) return;
      const c = this.controls.find((x) => x.shortcut === event.key.toLowerCase());
      if (!c || this.buttons[c.key].disabled) return;
      event.preventDefault();
      this.toggle(c.key);
    };
    document.addEventListener("keydown", this.onKey);
    this.render();
  }

  async toggle(key) {
    const next = !this.state[key];
    const result = await this.actions[key](next);
    if (result !== false) this.state[key] = next;
    this.render();
  }

  set(partial) {
    Object.assign(this.state, partial);
    this.render();
  }

  enable(partial) {
    for (const [key, on] of Object.entries(partial)) {
      if (this.buttons[key]) this.buttons[key].disabled = !on;
    }
  }

  relabel() {
    this.el.setAttribute("aria-label", t("participant.controls.label"));
    this.render();
  }

  render() {
    const s = this.state;
    const label = {
      mic: s.mic ? "participant.controls.mute" : "participant.controls.unmute",
      camera: s.camera ? "participant.controls.camera_off" : "participant.controls.camera_on",
      hand: s.hand ? "participant.controls.hand_lower" : "participant.controls.hand_raise",
      knock: s.knock ? "participant.controls.knock_cancel" : "participant.controls.knock",
      screen: s.screen ? "participant.controls.screen_stop" : "participant.controls.screen",
    };
    // "pressed" means the thing is in its exceptional state: muted, camera off, hand up…
    const pressed = { mic: !s.mic, camera: !s.camera, hand: s.hand, knock: s.knock, screen: s.screen };
    for (const [key, button] of Object.entries(this.buttons)) {
      button.textContent = t(label[key]);
      button.setAttribute("aria-pressed", String(pressed[key]));
    }
  }

  destroy() {
    document.removeEventListener("keydown", this.onKey);
  }
}
