// Video tiles for one room: your own camera and each peer's, named from the room view, with
// what actually arrives (frames decoded) kept on the tile for the "who can see whom" display.
// A remote video whose sound the browser holds back (autoplay policy) plays muted until "Turn
// on sound" (media/autoplay.js, as on the participant's page): `onSound(held)` says when some
// sound is held back, and when none is. Someone reconnecting (screens/console-presence.js) keeps
// a camera tile that says so, rather than one that vanishes and comes back.
// A camera turned off shows the person's initial and says so, as a participant's tiles do.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { SoundHolds, playRemote } from "../media/autoplay.js";
import { LINK_LOST } from "../media/mesh.js";
import { fullscreenButton, relabelFullscreen } from "./fullscreen.js";
import { initialOf } from "./person.js";

// A remote tile's key among the sound holds: the participant and what it shows.
const soundKey = (tile) => `${tile.dataset.participant}:${tile.dataset.kind}`;

// What your own tile without a picture says of it (`selfPicture`), as the participant's does.
const SELF_WORDS = {
  off: "participant.grid.camera_off",
  none: "participant.grid.no_camera",
  blocked: "mediator.video.tile_blocked",
  in_use: "mediator.video.tile_in_use",
  elsewhere: "mediator.video.tile_other_tab",
  other_device: "mediator.video.tile_other_device",
  nowhere: "mediator.video.tile_not_in_use",
};

export class VideoTiles {
  constructor() {
    this.onSound = null;
    this.sound = new SoundHolds((held) => { if (this.onSound) this.onSound(held); });
    this.names = new Map();
    this.reconnecting = new Set(); // ids (setRoom)
    this.off = new Set(); // ids whose camera is off (setRoom): their initial, not black
    this.mine = null; // {stream, trouble} once this tab knows (showSelf)
    this.grid = h("div", { class: "videos console-videos", role: "group", "aria-label": t("mediator.video.label") });
    this.self = h("figure", { class: "tile self", "data-participant": "" },
      h("video", { autoplay: true, playsInline: true, muted: true }),
      h("figcaption", null, t("mediator.video.you")));
    this.grid.append(this.self);
  }

  // Your own tile: the stream (null: neither camera nor microphone opened) and why not all of
  // it did (media/devices.js mediaTrouble; "elsewhere": another tab holds the media;
  // "other_device": a console on another device does, "nowhere": none does,
  // components/console-media.js). Shown
  // again after Try again: the same stream may have gained a camera.
  showSelf(id, stream, trouble = null) {
    this.self.dataset.participant = id;
    this.mine = { stream, trouble };
    const video = this.self.querySelector("video");
    video.srcObject = null;
    video.srcObject = stream;
    this.drawSelf();
  }

  // "on", "off" (you turned the camera off), "elsewhere", or why there is no camera; "on"
  // too until this tab knows.
  selfPicture() {
    if (!this.mine) return "on";
    const { stream, trouble } = this.mine;
    if (["elsewhere", "other_device", "nowhere"].includes(trouble)) return trouble;
    const video = stream ? stream.getVideoTracks().filter((track) => track.readyState === "live") : [];
    if (video.length) return video.some((track) => track.enabled) ? "on" : "off";
    return ["blocked", "in_use"].includes(trouble) ? trouble : "none";
  }

  // Without a picture, the caption says why, never a black box that just says "You".
  drawSelf() {
    const picture = this.selfPicture();
    this.self.dataset.picture = picture;
    const you = t("mediator.video.you");
    this.self.querySelector("figcaption").textContent = picture === "on" ? you : `${you} · ${t(SELF_WORDS[picture])}`;
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

  caption(id, kind, waiting = false, lost = false) {
    const name = this.names.get(id) || t("mediator.video.someone");
    if (waiting) return `${name} · ${t("participant.grid.connecting")}`;
    if (lost) return `${name} · ${t("participant.grid.link_lost")}`;
    if (kind === "camera" && this.off.has(id)) return `${name} · ${t("participant.grid.camera_off")}`;
    return kind === "screen" ? t("participant.grid.screen_of", { name }) : name;
  }

  // A remote tile's caption: two lines at most, cut with an ellipsis when longer (css), whole as
  // the tile's tooltip (anywhere on it, not only on the caption).
  name(tile) {
    const caption = tile.querySelector("figcaption");
    tile.dataset.lost = String(tile.dataset.kind === "camera" && LINK_LOST.has(tile.dataset.state));
    caption.textContent = this.caption(tile.dataset.participant, tile.dataset.kind, tile.dataset.picture === "waiting",
      tile.dataset.lost === "true");
    caption.title = caption.textContent;
    tile.title = caption.textContent;
    tile.dataset.cameraOff = String(tile.dataset.kind === "camera" && this.off.has(tile.dataset.participant));
    tile.dataset.initial = initialOf(this.names.get(tile.dataset.participant));
  }

  // A new stream (a reconnect's) is tried with its sound again: a page the mediator has touched
  // since plays it, and its earlier hold goes.
  showRemote(id, stream, kind = "camera") {
    const tile = this.tile(id, kind);
    if (tile.dataset.picture) { delete tile.dataset.picture; this.name(tile); } // back
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
        this.sound.set(soundKey(tile), false);
        if (streamId === null && tile.dataset.kind === "camera" && this.reconnecting.has(id)) this.waiting(tile);
        else tile.remove();
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
    const changed = LINK_LOST.has(tile.dataset.state) !== LINK_LOST.has(stats.state);
    tile.dataset.state = stats.state;
    if (changed) this.name(tile); // its last frame is not a live picture (video-grid.js)
  }

  // Every caption and label in the current language (names stay as they are).
  relabel() {
    this.grid.setAttribute("aria-label", t("mediator.video.label"));
    this.drawSelf();
    for (const tile of this.grid.querySelectorAll("figure.remote")) this.name(tile);
    relabelFullscreen(this.grid);
  }

  // A camera tile without its video: "connecting…" until the person is back (or goes).
  waiting(tile) {
    tile.querySelector("video").srcObject = null;
    tile.dataset.picture = "waiting";
    this.name(tile);
  }

  // The room as the console says it (`reconnecting`: dropped a moment ago, within the grace).
  setRoom(room) {
    const members = (room && room.members) || [];
    this.reconnecting = new Set(members.filter((m) => m.reconnecting).map((m) => m.id));
    this.off = new Set(members.filter((m) => m.camera_off).map((m) => m.id));
    for (const member of members) {
      this.names.set(member.id, member.name);
      for (const tile of this.grid.querySelectorAll(`figure.remote[data-participant="${CSS.escape(member.id)}"]`)) {
        this.name(tile);
      }
    }
    for (const id of this.reconnecting) {
      const tile = this.tile(id);
      if (!tile.querySelector("video").srcObject) this.waiting(tile);
    }
    for (const tile of this.grid.querySelectorAll("figure.remote[data-picture=waiting]")) {
      if (!this.reconnecting.has(tile.dataset.participant)) tile.remove();
    }
  }
}
