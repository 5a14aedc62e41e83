// Video tiles for one room: your own camera and each peer's, named from the room view, with
// what actually arrives (frames decoded) kept on the tile for the "who can see whom" display.
// A remote video whose sound the browser holds back (autoplay policy) plays muted until "Turn
// on sound" (media/autoplay.js, as on the participant's page): `onSound(held)` says when some
// sound is held back, and when none is.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { SoundHolds, playRemote } from "../media/autoplay.js";
import { fullscreenButton, relabelFullscreen } from "./fullscreen.js";

// A remote tile's key among the sound holds: the participant and what it shows.
const soundKey = (tile) => `${tile.dataset.participant}:${tile.dataset.kind}`;

export class VideoTiles {
  constructor() {
    this.onSound = null;
    this.sound = new SoundHolds((held) => { if (this.onSound) this.onSound(held); });
    this.names = new Map();
    this.grid = h("div", { class: "videos console-videos", role: "group", "aria-label": t("mediator.video.label") });
    this.self = h("figure", { class: "tile self", "data-participant": "" },
      h("video", { autoplay: true, playsInline: true, muted: true }),
      h("figcaption", null, t("mediator.video.you")));
    this.grid.append(this.self);
  }

  showSelf(id, stream) {
    this.self.dataset.participant = id;
    if (stream) this.self.querySelector("video").srcObject = stream;
  }

  // A participant's camera tile, or (kind "screen") their screen share's own tile.
  tile(id, kind = "camera") {
    let tile = this.grid.querySelector(
      `figure.remote[data-participant="${CSS.escape(id)}"][data-kind="${kind}"]`);
    if (!tile) {
      tile = h("figure", { class: "tile remote", "data-participant": id, "data-kind": kind,
        "data-frames-decoded": "0" },
      h("video", { autoplay: true, playsInline: true }),
      h("figcaption"));
      this.name(tile);
      const full = kind === "screen" ? fullscreenButton(tile) : null;
      if (full) tile.append(full);
      this.grid.append(tile);
    }
    return tile;
  }

  caption(id, kind) {
    const name = this.names.get(id) || t("mediator.video.someone");
    return kind === "screen" ? t("participant.grid.screen_of", { name }) : name;
  }

  // A remote tile's caption: one line, cut with an ellipsis when long (css), whole as its title.
  name(tile) {
    const caption = tile.querySelector("figcaption");
    caption.textContent = this.caption(tile.dataset.participant, tile.dataset.kind);
    caption.title = caption.textContent;
  }

  // A new stream (a reconnect's) is tried with its sound again: a page the mediator has touched
  // since plays it, and its earlier hold goes.
  showRemote(id, stream, kind = "camera") {
    const tile = this.tile(id, kind);
    const video = tile.querySelector("video");
    if (video.srcObject === stream) return;
    video.srcObject = stream;
    playRemote(video).then((heard) => {
      if (tile.isConnected && video.srcObject === stream) this.sound.set(soundKey(tile), !heard);
    });
  }

  // Everything of `id` (streamId null: the peer is gone), or the screen share of that stream.
  remove(id, streamId = null) {
    for (const tile of this.grid.querySelectorAll(`figure.remote[data-participant="${CSS.escape(id)}"]`)) {
      const video = tile.querySelector("video");
      if (streamId === null || (tile.dataset.kind === "screen" && video.srcObject
          && video.srcObject.id === streamId)) {
        tile.remove();
        this.sound.set(soundKey(tile), false);
      }
    }
  }

  // "Turn on sound" (a click: the browser now allows it): every held-back sound plays; one
  // still refused stays held (and the offer with it).
  async unmuteAll() {
    await Promise.all([...this.grid.querySelectorAll("figure.remote")].filter((tile) => this.sound.has(soundKey(tile)))
      .map(async (tile) => this.sound.set(soundKey(tile), !(await playRemote(tile.querySelector("video"))))));
  }

  stats(id, stats) {
    const tile = this.tile(id, "camera");
    tile.dataset.framesDecoded = String(stats.framesDecoded);
    tile.dataset.state = stats.state;
  }

  // Every caption and label in the current language (names stay as they are).
  relabel() {
    this.grid.setAttribute("aria-label", t("mediator.video.label"));
    this.self.querySelector("figcaption").textContent = t("mediator.video.you");
    for (const tile of this.grid.querySelectorAll("figure.remote")) this.name(tile);
    relabelFullscreen(this.grid);
  }

  setRoom(room) {
    for (const member of (room && room.members) || []) {
      this.names.set(member.id, member.name);
      for (const tile of this.grid.querySelectorAll(`figure.remote[data-participant="${CSS.escape(member.id)}"]`)) {
        this.name(tile);
      }
    }
  }
}
