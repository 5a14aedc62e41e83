// The mediator's own media in the console: camera, peers of its current room (the mesh, driven
// by the server's plans, exactly as for any participant), tiles. One tab holds the media at a
// time (a Web Lock per hearing): a second console tab shows the board but leaves video to the
// first, so the two never fight over the same peer connections.
//
// A console on another device has its own lock: the tab holding the lock tells the server
// (`media.claim`, on every socket it opens), which sends the mediator's WebRTC signals to the
// console that claimed last only (services/signalling/connections.py). The one that held them
// before is told (`moved`): it stops its camera, microphone and connections and offers "Use them
// here" (`reclaim`), which claims them back (the room then renegotiates with this tab again).
//
// When the console holding them closes (a tab closed, a device gone offline), the others are
// told (`freed`: notice `media_free`) and say, after a short grace, that the camera and
// microphone are not in use anywhere, with the same "Use them here"; never claimed by
// themselves, since the mediator chooses which device speaks. The grace is for the holder's
// page coming back within seconds: its new socket claims again, and every claim is told to the
// other consoles (`claimed`: notice `media_claimed`), which ends the wait. A board-only tab
// whose browser's holding tab closed takes the lock then, and offers the same.
// Tracks opened (the first time, or after "Use them here") are sent as the mediator last chose:
// `onOpen(stream)` lets the console set them, its buttons and what the room is told alike.

import { openLocalMedia, screenMedia, stopStream, switchTrack } from "../media/devices.js";
import { iceConfiguration } from "../media/ice.js";
import { Mesh } from "../media/mesh.js";
import { adoptTracks } from "./device-notice.js";
import { OFFLINE_GRACE_MS } from "./presence.js";
import { VideoTiles } from "./video-tiles.js";

// What the console says while another console holds the media, or none does (`onMoved`).
export const MOVED_WORDS = { elsewhere: "mediator.video.elsewhere", free: "mediator.video.free" };

// How long the holder's console may be gone before this one says nobody uses them (as long as
// someone may be without a connection before a page says they are offline: presence.js).
export const MEDIA_FREE_GRACE_MS = OFFLINE_GRACE_MS;

export class ConsoleMedia {
  // onHeld(held): this tab holds the media or not; onVerification(v): the room verification
  // code from this tab's connections (Mesh's onVerification).
  constructor(hearing, send, onHeld, onVerification = () => {}) {
    this.hearing = hearing;
    this.send = send;
    this.onHeld = onHeld;
    this.onVerification = onVerification;
    this.onMedia = () => {}; // (stream | null): this tab's camera and microphone are live
    // (stream | null, trouble | null): what this tab sends, and why not all of it ("blocked",
    // "in_use" or "none": media/devices.js mediaTrouble), so the console can say who cannot
    // hear or see the mediator and what to do about it. Never called in a tab without the media.
    this.onTrouble = () => {};
    // (moved): "elsewhere" once a console on another device took the media, "free" once it is
    // said that no console uses it, false when claimed back.
    this.onMoved = () => {};
    // (stream): tracks just opened here, before any connection sends them.
    this.onOpen = () => {};
    this.held = false; // this tab holds the browser's lock
    this.elsewhere = false; // another device's console claimed the media since
    this.free = false; // said: no console uses the media now (after the grace)
    this.freeTimer = null;
    this.taking = false; // asking the browser for the lock (sayFree)
    this.serverLinks = null;
    this.tiles = new VideoTiles();
    this.mesh = null;
    this.early = [];
    this.stream = null;
    this.release = null;
    this.stopped = false;
    this.me = "";
  }

  lockName() { return `parley-media-${this.hearing}`; }

  async start(me) {
    this.me = me;
    const name = this.lockName();
    const run = async (lock) => {
      if (!lock || this.stopped) {
        this.tiles.showSelf(me, null, "elsewhere");
        this.onHeld(false);
        return;
      }
      this.held = true;
      this.onHeld(true);
      this.claim();
      await this.open();
      await new Promise((resolve) => { this.release = resolve; });
    };
    if (navigator.locks) navigator.locks.request(name, { ifAvailable: true }, run);
    else run(true);
  }

  // Camera, microphone and the mesh, in the tab holding the lock (again after `reclaim`).
  async open() {
    const [rtcConfig, { stream, trouble }] = await Promise.all([iceConfiguration(this.hearing), openLocalMedia()]);
    if (this.stopped || this.elsewhere) { stopStream(stream); return; }
    this.stream = stream;
    this.tiles.showSelf(this.me, stream, trouble);
    this.onOpen(stream);
    // One certificate for every connection (the room verification code): Mesh.create.
    const mesh = await Mesh.create({
      send: this.send, rtcConfig, localStream: stream,
      onRemote: (id, s, kind) => this.tiles.showRemote(id, s, kind),
      onRemoteGone: (id, streamId) => this.tiles.remove(id, streamId),
      onStats: (id, s) => this.tiles.stats(id, s),
      onVerification: (v) => this.onVerification(v),
    });
    if (this.stopped || this.elsewhere) { mesh.stop(); return; }
    this.mesh = mesh;
    mesh.online(this.grace);
    this.onMedia(stream);
    this.onTrouble(stream, trouble); // once Try again can reach the connections (the mesh)
    if (this.serverLinks) this.mesh.setServerLinks(this.serverLinks);
    for (const [kind, message] of this.early) this.deliver(kind, message);
    this.early = [];
  }

  // This socket holds the media (sent again on every new socket: console.js, on its snapshot).
  claim() {
    if (this.held && !this.elsewhere && !this.stopped) this.send({ type: "media.claim" });
  }

  // A console on another device claimed the media (notice `media_elsewhere`): nothing of it
  // runs here any more; the lock stays, so "Use them here" takes it back in this tab.
  moved() {
    if (!this.held || this.stopped) return;
    if (this.elsewhere) { this.claimed(); return; }
    this.elsewhere = true;
    if (this.mesh) this.mesh.stop(); // its remote tiles go with its connections
    this.mesh = null;
    this.early = [];
    stopStream(this.stream);
    this.stream = null;
    this.tiles.showSelf(this.me, null, "other_device");
    this.onMoved("elsewhere");
  }

  // The console that held the media closed (notice `media_free`). This tab sends them: its own
  // new socket claims again (nothing to say). Otherwise it is said after the grace, unless a
  // claim comes first (`claimed`): a reloaded holder claims again within it.
  freed() {
    if (this.stopped || (this.held && !this.elsewhere) || this.free || this.freeTimer) return;
    this.freeTimer = setTimeout(() => { this.freeTimer = null; this.sayFree(); }, MEDIA_FREE_GRACE_MS);
  }

  // Nobody uses the media. A board-only tab tries the lock first: free, its browser's holding
  // tab closed (never taken sooner: a reloaded holder tab takes it back in the grace).
  sayFree() {
    if (this.stopped) return;
    if (!this.held) { this.takeLock(); return; }
    if (!this.elsewhere) return;
    this.free = true;
    this.tiles.showSelf(this.me, null, "nowhere");
    this.onMoved("free");
  }

  // A console claimed the media (notice `media_claimed`, or `media_elsewhere` here): in use
  // on another device, not free. This tab's own claim on its way changes nothing here.
  claimed() {
    clearTimeout(this.freeTimer);
    this.freeTimer = null;
    if (!this.free || this.stopped) return;
    this.free = false;
    this.tiles.showSelf(this.me, null, "other_device");
    this.onMoved("elsewhere");
  }

  takeLock() {
    if (!navigator.locks || this.taking) return;
    this.taking = true;
    navigator.locks.request(this.lockName(), { ifAvailable: true }, async (lock) => {
      this.taking = false;
      if (!lock || this.stopped || this.held) return;
      this.held = true;
      this.elsewhere = true;
      this.onHeld(true);
      this.sayFree();
      await new Promise((resolve) => { this.release = resolve; });
    });
  }

  // "Use them here": claimed back; the room renegotiates with this tab (its plan waits in
  // `early` until the mesh is ready).
  async reclaim() {
    if (!this.elsewhere || this.stopped) return;
    clearTimeout(this.freeTimer);
    this.freeTimer = null;
    this.free = false;
    this.elsewhere = false;
    this.onMoved(false);
    this.claim();
    await this.open();
  }

  // The socket is back, or down (Mesh.online, Mesh.offline).
  online(grace) { this.grace = grace; this.mesh?.online(grace); }
  offline(onCut) { this.mesh?.offline(onCut); }

  // The peers the server shows as connected to this mediator ("who can hear you"): the mesh
  // reports again any connection whose state the server does not show.
  setServerLinks(peers) {
    this.serverLinks = peers;
    if (this.mesh) this.mesh.setServerLinks(peers);
  }

  // The mediator's own microphone and camera (the room sees the state), and a screen share
  // (perfect negotiation, as for any participant). `setScreen` answers false when the browser
  // refused to share; `onEnded` runs when the share stops from the browser's own bar.
  setMic(on) {
    this.send(switchTrack(this.stream, "mic", on));
  }

  setCamera(on) {
    this.send(switchTrack(this.stream, "camera", on));
    this.tiles.drawSelf();
  }

  // Try again (this tab holds the media): what opens now goes into the stream already sent
  // (its id is the mediator's camera on the others' pages) and to everyone in the room at once
  // (Mesh.useLocalStream), no reload; `onMedia` and `onTrouble` say what is sent now.
  async retry() {
    if (!this.mesh || this.stopped) return;
    const { stream, trouble } = await openLocalMedia();
    if (this.stopped) { stopStream(stream); return; }
    if (stream) {
      this.stream = adoptTracks(this.stream, stream);
      this.mesh.useLocalStream(this.stream);
      this.onMedia(this.stream);
    }
    this.tiles.showSelf(this.me, this.stream, trouble);
    this.onTrouble(this.stream, trouble);
  }

  async setScreen(on, onEnded) {
    if (!this.mesh) return false;
    if (!on) {
      this.mesh.stopScreen();
      return true;
    }
    let screen;
    try {
      screen = await screenMedia({ windowsOnly: true });
    } catch (_) {
      return false;
    }
    screen.getVideoTracks()[0].addEventListener("ended", onEnded);
    await this.mesh.startScreen(screen);
    return true;
  }

  deliver(kind, message) {
    if (this.elsewhere) return; // meant for the console holding the media now
    if (!this.mesh) { if (this.early.length < 256) this.early.push([kind, message]); return; }
    if (kind === "plan") this.mesh.applyPlan(message);
    else this.mesh.onSignal(message);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.freeTimer);
    if (this.mesh) this.mesh.stop();
    stopStream(this.stream);
    if (this.release) this.release();
  }
}
