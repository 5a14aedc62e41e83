// In a room, what of your camera and microphone the others do not get, why, and "Try again":
// the waiting room and the tech check said it, but once admitted the sentence and the way to
// fix it were gone, while the room went on without your sound or picture. Try again asks the
// browser again (`onRetry`, which sends what opened to everyone in the room); the sentence
// stays until it worked.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";

// Into the stream in use, the tracks of one just opened, kind by kind (the old track of that
// kind stopped), so it keeps its id: the others' pages know that id as this person's camera
// (mesh.js onTrack: any other stream of theirs is a shared screen). Without a stream in use,
// the new one as it is.
export function adoptTracks(current, next) {
  if (!current) return next;
  for (const track of next.getTracks()) {
    for (const old of current.getTracks().filter((x) => x.kind === track.kind)) {
      current.removeTrack(old);
      old.stop();
    }
    current.addTrack(track);
  }
  return current;
}

// Pure: the sentence for a stream (null: neither opened) and why not all of it did (`trouble`:
// media/devices.js mediaTrouble), or null when both camera and microphone are sent.
export function deviceNoticeKey(stream, trouble) {
  const video = Boolean(stream && stream.getVideoTracks().length);
  const audio = Boolean(stream && stream.getAudioTracks().length);
  if (video && audio) return null;
  const why = ["blocked", "in_use"].includes(trouble) ? trouble : "none";
  return audio ? `participant.room.camera_${why}` : `participant.room.devices_${why}`;
}

export class DeviceNotice {
  // onRetry() → Promise: asks for the camera and microphone again.
  constructor({ onRetry }) {
    this.text = h("p", { class: "device-notice-text" });
    this.retry = h("button", { type: "button", class: "button", dataset: { action: "retry-devices" },
      onclick: () => this.tryAgain(onRetry) });
    this.el = h("div", { class: "notice warn device-notice", role: "status", hidden: true },
      this.text, this.retry);
    this.key = null;
  }

  async tryAgain(onRetry) {
    this.retry.disabled = true;
    try {
      await onRetry();
    } finally {
      this.retry.disabled = false;
    }
  }

  update(stream, trouble) {
    this.key = deviceNoticeKey(stream, trouble);
    this.el.hidden = !this.key;
    this.el.dataset.trouble = this.key ? trouble || "none" : "";
    this.relabel();
  }

  relabel() {
    this.text.textContent = this.key ? t(this.key) : "";
    this.retry.textContent = t("participant.lobby.try_again");
  }
}
