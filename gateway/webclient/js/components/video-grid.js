// The video grid: one tile per person (and one per shared screen), 1–8 people laid out by
// count (css: .video-grid[data-count]), the active speaker highlighted, your own tile mirrored
// (as in a mirror: what people expect of their own picture; others see it unmirrored).
// Each tile says who it is and shows their microphone, camera and hand state. Every member of
// the room has a tile from the room view on, whether or not any video of theirs arrives (a
// counsel whose browser blocks the camera was invisible to the parties, though the mediator
// saw her): without a picture the tile shows the person's initial and why (`picture`). A remote video
// whose sound the browser holds back (autoplay policy) plays muted until "Turn on sound"
// (media/autoplay.js): `onSound(held)` says when some sound is held back, and when none is.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { SoundHolds, playRemote } from "../media/autoplay.js";
import { LINK_LOST } from "../media/mesh.js";
import { fullscreenButton, relabelFullscreen } from "./fullscreen.js";
import { initialOf, personLabel, personName } from "./person.js";
import { sideOf, sideRole } from "./person-side.js";

// What a tile without a picture says of it.
const PICTURE_WORDS = {
  off: "participant.grid.camera_off",
  none: "participant.grid.no_camera",
  offline: "participant.grid.offline",
  waiting: "participant.grid.connecting",
  lost: "participant.grid.link_lost",
};

export class VideoGrid {
  constructor() {
    this.el = h("div", { class: "video-grid", role: "region", "aria-label": t("participant.grid.label") });
    this.tiles = new Map(); // key → tile element; key = peer id or `${peer}:screen`
    this.members = new Map();
    this.onSound = null;
    this.sound = new SoundHolds((held) => { if (this.onSound) this.onSound(held); });
  }

  tile(key, { self = false, screen = false } = {}) {
    let tile = this.tiles.get(key);
    if (tile) return tile;
    const video = h("video", { autoplay: true, playsInline: true, muted: self });
    const name = h("span", { class: "tile-name" });
    const role = h("span", { class: "tile-role" });
    const state = h("span", { class: "tile-state" });
    tile = h("figure", {
      class: `tile${self ? " self" : ""}${screen ? " screen" : ""}`,
      dataset: { participant: key.split(":")[0], receiving: "no", kind: screen ? "screen" : "camera" },
    }, video, h("figcaption", null, name, role, state));
    const full = screen ? fullscreenButton(tile) : null;
    if (full) tile.append(full);
    this.tiles.set(key, tile);
    tile.dataset.picture = screen ? "on" : "waiting";
    if (self) this.el.prepend(tile);
    else this.el.append(tile);
    this.layout();
    return tile;
  }

  // Your own tile, with or without a stream (null: the browser gave neither camera nor
  // microphone). Set again after Try again: the same stream may have gained a camera.
  setLocal(id, stream) {
    this.selfId = id;
    const tile = this.tile(id, { self: true });
    const video = tile.querySelector("video");
    video.srcObject = null;
    video.srcObject = stream || null;
    this.label(id);
  }

  upsertRemote(peer, stream, kind) {
    const key = kind === "screen" ? `${peer}:screen` : peer;
    const tile = this.tile(key, { screen: kind === "screen" });
    const video = tile.querySelector("video");
    // A new stream (a reconnect's) is tried with its sound again: a page the person has
    // touched since plays it, and its earlier hold goes.
    if (video.srcObject !== stream) {
      video.srcObject = stream;
      playRemote(video).then((heard) => {
        if (this.tiles.get(key) === tile && video.srcObject === stream) this.sound.set(key, !heard);
      });
    }
    this.label(peer);
  }

  // A peer's connection closed (streamId null) or its screen share stopped. A member of the
  // room keeps a camera tile, without a picture, until the room view says they left.
  removeRemote(peer, streamId) {
    for (const [key, tile] of [...this.tiles]) {
      if (key === this.selfId) continue;
      const [id, kind] = key.split(":");
      if (id !== peer) continue;
      const video = tile.querySelector("video");
      if (streamId === null && !kind && this.members.has(id)) {
        video.srcObject = null;
        tile.dataset.state = "closed";
        tile.dataset.receiving = "no";
        this.sound.set(key, false);
        this.label(id);
      } else if (streamId === null || (kind === "screen" && video.srcObject && video.srcObject.id === streamId)) {
        this.drop(key);
      }
    }
    this.layout();
  }

  drop(key) {
    this.tiles.get(key).remove();
    this.tiles.delete(key);
    this.sound.set(key, false);
  }

  relabel() {
    this.el.setAttribute("aria-label", t("participant.grid.label"));
    for (const key of this.tiles.keys()) this.label(key.split(":")[0]);
    relabelFullscreen(this.el);
  }

  // Everyone in the room (RoomView members): a tile each, names, sides and states on the tiles
  // (`you`, the SelfView: whose side is yours). A tile of someone no longer listed goes, unless
  // their video still plays: that goes with their connection (removeRemote), which the server
  // closes as it moves them.
  setMembers(members, you = this.you) {
    this.you = you;
    this.members = new Map(members.map((m) => [m.id, m]));
    for (const m of members) if (m.id !== this.selfId) this.tile(m.id);
    for (const [key, tile] of [...this.tiles]) {
      const id = key.split(":")[0];
      if (id !== this.selfId && !this.members.has(id) && !tile.querySelector("video").srcObject) this.drop(key);
    }
    this.layout();
    for (const key of this.tiles.keys()) this.label(key.split(":")[0]);
  }

  // What the tile shows: "on" (a picture), "lost" (the link to them dropped: no frozen frame),
  // "off" (the person turned the camera off), "none" (connected, or your own, and no camera:
  // blocked, missing or in use), "offline" (in the room during their lost connection to the
  // server) or "waiting" (not connected yet).
  picture(key, tile, m) {
    if (key.endsWith(":screen")) return "on";
    if (key !== this.selfId && LINK_LOST.has(tile.dataset.state)) return "lost";
    if (m && m.camera_off) return "off";
    const stream = tile.querySelector("video").srcObject;
    // A remote picture counts once frames are decoded: until then the initial, not black.
    if (stream && stream.getVideoTracks().some((track) => track.readyState === "live")) {
      return key === this.selfId || tile.dataset.receiving === "yes" ? "on" : "waiting";
    }
    if (key === this.selfId || tile.dataset.state === "connected") return "none";
    return m && m.connected === false ? "offline" : "waiting";
  }

  label(id) {
    const m = this.members.get(id);
    for (const [key, tile] of this.tiles) {
      if (key.split(":")[0] !== id) continue;
      const screen = key.endsWith(":screen");
      const name = id === this.selfId ? t("participant.grid.you") : (m ? personLabel(m) : t("participant.grid.someone"));
      const caption = tile.querySelector(".tile-name");
      caption.textContent = screen ? t("participant.grid.screen_of", { name }) : name;
      const role = tile.querySelector(".tile-role");
      role.textContent = screen || id === this.selfId ? "" : sideRole(m, this.you);
      role.dataset.side = screen ? "" : sideOf(m, this.you);
      // the whole name and side, when a long one is cut to one line
      caption.title = [caption.textContent, role.textContent].filter(Boolean).join(" · ");
      const picture = this.picture(key, tile, m);
      tile.dataset.picture = picture;
      const states = [];
      if (m && m.muted) states.push(t("participant.grid.muted"));
      if (picture !== "on") states.push(t(PICTURE_WORDS[picture]));
      if (m && m.hand) states.push(t("participant.grid.hand"));
      tile.querySelector(".tile-state").textContent = screen ? "" : states.join(" · ");
      tile.dataset.muted = String(Boolean(m && m.muted));
      tile.dataset.cameraOff = String(Boolean(m && m.camera_off));
      tile.dataset.initial = initialOf(m ? personName(m) : name);
      tile.dataset.hand = String(Boolean(m && m.hand));
    }
  }

  setStats(peer, stats) {
    const tile = this.tiles.get(peer);
    if (!tile) return;
    const receiving = stats.framesDecoded > 0 ? "yes" : "no";
    tile.dataset.framesDecoded = String(stats.framesDecoded);
    if (tile.dataset.state === stats.state && tile.dataset.receiving === receiving) return;
    tile.dataset.receiving = receiving;
    tile.dataset.state = stats.state;
    this.label(peer);
  }

  setSpeaker(peer) {
    for (const [key, tile] of this.tiles) tile.classList.toggle("speaking", key === peer);
  }

  // "Turn on sound" (a click: the browser now allows it): every held-back sound plays; one
  // still refused stays held (and the offer with it).
  async unmuteAll() {
    await Promise.all([...this.tiles].filter(([key]) => this.sound.has(key)).map(
      async ([key, tile]) => this.sound.set(key, !(await playRemote(tile.querySelector("video"))))));
  }

  layout() {
    this.el.dataset.count = String(Math.min(9, Math.max(1, this.tiles.size)));
  }

  clearRemote() {
    for (const key of [...this.tiles.keys()]) if (key !== this.selfId) this.drop(key);
    this.layout();
  }
}
