// The video grid: one tile per person (and one per shared screen), 1–8 people laid out by
// count (css: .video-grid[data-count]), the active speaker highlighted, your own tile mirrored
// (as in a mirror: what people expect of their own picture; others see it unmirrored).
// Each tile says who it is and shows their microphone, camera and hand state. A remote video
// whose sound the browser holds back (autoplay policy) plays muted until "Turn on sound"
// (media/autoplay.js): `onSound(held)` says when some sound is held back, and when none is.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { SoundHolds, playRemote } from "../media/autoplay.js";
import { fullscreenButton, relabelFullscreen } from "./fullscreen.js";
import { personLabel, personName } from "./person.js";

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
    const state = h("span", { class: "tile-state" });
    tile = h("figure", {
      class: `tile${self ? " self" : ""}${screen ? " screen" : ""}`,
      dataset: { participant: key.split(":")[0], receiving: "no", kind: screen ? "screen" : "camera" },
    }, video, h("figcaption", null, name, state));
    const full = screen ? fullscreenButton(tile) : null;
    if (full) tile.append(full);
    this.tiles.set(key, tile);
    if (self) this.el.prepend(tile);
    else this.el.append(tile);
    this.layout();
    return tile;
  }

  setLocal(id, stream) {
    this.selfId = id;
    const tile = this.tile(id, { self: true });
    tile.querySelector("video").srcObject = stream;
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

  removeRemote(peer, streamId) {
    for (const [key, tile] of this.tiles) {
      if (key === this.selfId) continue;
      const [id, kind] = key.split(":");
      if (id !== peer) continue;
      const video = tile.querySelector("video");
      if (streamId === null || (kind === "screen" && video.srcObject && video.srcObject.id === streamId)) {
        tile.remove();
        this.tiles.delete(key);
        this.sound.set(key, false);
      }
    }
    this.layout();
  }

  relabel() {
    this.el.setAttribute("aria-label", t("participant.grid.label"));
    for (const key of this.tiles.keys()) this.label(key.split(":")[0]);
    relabelFullscreen(this.el);
  }

  // Everyone in the room (RoomView members): names and states on the tiles.
  setMembers(members) {
    this.members = new Map(members.map((m) => [m.id, m]));
    for (const key of this.tiles.keys()) this.label(key.split(":")[0]);
  }

  label(id) {
    const m = this.members.get(id);
    for (const [key, tile] of this.tiles) {
      if (key.split(":")[0] !== id) continue;
      const screen = key.endsWith(":screen");
      const name = id === this.selfId ? t("participant.grid.you") : (m ? personLabel(m) : t("participant.grid.someone"));
      const caption = tile.querySelector(".tile-name");
      caption.textContent = screen ? t("participant.grid.screen_of", { name }) : name;
      caption.title = caption.textContent; // the whole name, when a long one is cut to one line
      const states = [];
      if (m && m.muted) states.push(t("participant.grid.muted"));
      if (m && m.camera_off) states.push(t("participant.grid.camera_off"));
      if (m && m.hand) states.push(t("participant.grid.hand"));
      tile.querySelector(".tile-state").textContent = screen ? "" : states.join(" · ");
      tile.dataset.muted = String(Boolean(m && m.muted));
      tile.dataset.cameraOff = String(Boolean(m && m.camera_off));
      tile.dataset.initial = Array.from(m ? personName(m) : name)[0] || "";
      tile.dataset.hand = String(Boolean(m && m.hand));
    }
  }

  setStats(peer, stats) {
    const tile = this.tiles.get(peer);
    if (!tile) return;
    tile.dataset.framesDecoded = String(stats.framesDecoded);
    tile.dataset.receiving = stats.framesDecoded > 0 ? "yes" : "no";
    tile.dataset.state = stats.state;
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
    for (const key of [...this.tiles.keys()]) {
      if (key !== this.selfId) {
        this.tiles.get(key).remove();
        this.tiles.delete(key);
        this.sound.set(key, false);
      }
    }
    this.layout();
  }
}
