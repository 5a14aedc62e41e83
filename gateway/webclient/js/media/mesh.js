// One RTCPeerConnection per peer in the current room, driven only by the server's `peer.plan`.
//
// Isolation (DESIGN §5) is enforced by the server; this client keeps its side of the bargain:
// - `drop` is applied first: silenced at once (nothing sent, played or signalled), released
//   after the next frame;
// - connections only to peers the plan names: each plan is the whole set (mesh-plan.js), so a
//   peer it does not name is closed as a drop is, even when the drop itself was missed (sent
//   while this page's socket was down); every signal stamped with the room's epoch; another
//   room's or an older epoch's are ignored (a newer one is held for its plan);
// - no connection at all once this page's socket has been down longer than the server's
//   reconnection grace (`offline`): the plans that followed cannot reach it.
// Every connection uses the same DTLS certificate (`certificate()`), so the room verification
// code (verification.js) can compare one fingerprint per member. Negotiation: negotiation.js;
// the certificate, the code and the stats: mesh-reports.js; what each copy of the camera may send:
// send-budget.js. Longer than 300 lines because the plan, the cut-off timer, the mending of
// reports and the sending budget all act on the same map of connections.

import { planCloses, planOpens, plannedLinks } from "./mesh-plan.js";
import { certificate, collectStats, ownFingerprint, verifyRoom } from "./mesh-reports.js";
import { Negotiation } from "./negotiation.js";
import { budgeted, cameraBudget } from "./send-budget.js";

const STATS_INTERVAL_MS = 1000;
// A report or first offer the server never acted on is sent again after this long (harmless).
const RETRY_AFTER_MS = 4000;
const MAX_EARLY_SIGNALS = 256;

// Run `fn` once after the next frame is painted, or after 50 ms in a hidden page (no frames).
function afterPaint(fn) {
  let done = false;
  const run = () => {
    if (!done) { done = true; fn(); }
  };
  requestAnimationFrame(() => setTimeout(run, 0));
  setTimeout(run, 50);
}

// A link that is down (ICE lost or failed, while the mesh mends or restarts it): its video holds
// the last frame it got, which must not pass for a live picture (components/video-grid.js).
export const LINK_LOST = new Set(["disconnected", "failed"]);

export class Mesh {
  // callbacks: onRemote(peer, stream, kind: "camera"|"screen"), onRemoteGone(peer, streamId|null),
  // onStats(peer, stats), onSpeaker(peer|null), onVerification({code, members}).
  // Use `await Mesh.create(...)`: the certificate first, so opening never waits (or races a plan).
  static async create(options) {
    const cert = await certificate();
    return new Mesh({ ...options, cert, fingerprint: await ownFingerprint() });
  }

  constructor({ send, rtcConfig, localStream, cert, fingerprint, ...callbacks }) {
    this.cert = cert;
    this.fingerprint = fingerprint;
    this.send = send;
    this.rtcConfig = rtcConfig || { iceServers: [] };
    this.localStream = localStream;
    this.cb = callbacks;
    this.peers = new Map();
    this.room = null;
    this.epoch = -1;
    this.early = [];
    this.planned = new Set(); // the peers the latest plan names (the server's view of the room)
    this.verifyTurn = 0; // the latest verification code computed (mesh-reports.js)
    this.planGeneration = 0;
    this.opening = false;
    this.screen = null;
    this.stopped = false;
    this.serverLinks = null; // peers the server lists as connected from here (RoomView)
    this.statsTimer = setInterval(() => {
      this.collectStats();
      this.mend();
    }, STATS_INTERVAL_MS);
  }

  // The server's view of this client's links, from the room view (`links` of my member).
  setServerLinks(peers) {
    this.serverLinks = new Set(peers);
    this.mend();
  }

  // "Who can hear you" is only as true as the server's reports: a state it does not show, or a
  // first offer unanswered, is sent again, at most every RETRY_AFTER_MS.
  mend() {
    if (this.stopped) return;
    const now = performance.now();
    for (const [id, peer] of this.peers) {
      if (now - peer.touched < RETRY_AFTER_MS) continue;
      const state = peer.pc.connectionState;
      if (this.serverLinks && (state === "connected") !== this.serverLinks.has(id)) {
        peer.touched = now;
        this.send({ type: "peer.state", peer: id, state });
      } else if (peer.neg.offerer && !peer.neg.established) {
        peer.touched = now;
        peer.neg.resend();
      }
    }
  }

  emit(name, ...args) {
    const fn = this.cb[name];
    if (fn) fn(...args);
  }

  // Closing is done at once (isolation): the plan's drops, anyone it does not name, and the old
  // connection to anyone it connects anew; opening waits for the next frame, so the page shows
  // the move before the costly part (~30 ms a peer). A newer plan supersedes one not yet opened.
  applyPlan(plan) {
    this.planned = new Set(plannedLinks(plan).keys());
    for (const id of planCloses(this.peers.keys(), plan)) this.close(id);
    this.rebudget();
    this.room = plan.room;
    this.epoch = plan.epoch;
    const generation = ++this.planGeneration;
    this.opening = true;
    afterPaint(() => this.openPlanned(plan, generation));
  }

  // One connection opened per task (each costs the page 10 to 30 ms): the room's view, arriving
  // just after the plan, or a click is handled between two, not after all of them. The signals
  // held for peers not yet opened are taken up once all are.
  openPlanned(plan, generation) {
    if (generation !== this.planGeneration || this.stopped) return;
    const { open, resume } = planOpens(this.peers.keys(), plan);
    for (const link of resume) {
      const peer = this.peers.get(link.peer);
      // A negotiation left unfinished goes on under the new epoch (old stamps are refused): the
      // offerer sends its offer again on the same connection, so nobody holds a stale one.
      if (link.offerer && !peer.neg.established) peer.neg.resend();
    }
    const next = () => {
      if (generation !== this.planGeneration || this.stopped) return;
      const link = open.shift();
      if (link) {
        this.open(link);
        setTimeout(next, 0);
        return;
      }
      this.opening = false;
      this.rebudget();
      const early = this.early;
      this.early = [];
      for (const signal of early) this.onSignal(signal);
      this.verify();
    };
    next();
  }

  open(link) {
    const pc = new RTCPeerConnection({ ...this.rtcConfig, certificates: [this.cert] });
    const peer = { id: link.peer, pc, cameraStream: null, screenSenders: [],
      touched: performance.now() };
    peer.neg = new Negotiation(pc, {
      offerer: link.offerer,
      signal: (kind, fields) => {
        if (this.peers.get(link.peer) === peer) this.signal(link.peer, kind, fields);
      },
      onError: (what, error) => console.error("negotiation failed", what, link.peer, error),
    });
    this.peers.set(link.peer, peer);
    if (this.localStream) {
      for (const track of this.localStream.getTracks()) pc.addTrack(track, this.localStream);
    } else {
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
    }
    if (this.screen) this.addScreen(peer);
    pc.addEventListener("track", (event) => this.onTrack(peer, event));
    pc.addEventListener("connectionstatechange", () => {
      if (this.peers.get(link.peer) !== peer) return;
      peer.touched = performance.now();
      this.send({ type: "peer.state", peer: link.peer, state: pc.connectionState });
      // A failed path (a network change): the offerer restarts ICE (perfect negotiation).
      if (pc.connectionState === "failed" && peer.neg.offerer) pc.restartIce();
    });
    pc.addEventListener("signalingstatechange", () => {
      this.verify();
      if (pc.signalingState === "stable" && this.peers.get(link.peer) === peer) this.budget(peer);
    });
    if (link.offerer) peer.neg.offer();
  }

  onTrack(peer, event) {
    if (this.peers.get(peer.id) !== peer) return;
    const stream = event.streams[0] || new MediaStream([event.track]);
    // The first stream a peer sends is its camera and microphone; any other is a screen.
    if (!peer.cameraStream) peer.cameraStream = stream.id;
    const kind = stream.id === peer.cameraStream ? "camera" : "screen";
    this.emit("onRemote", peer.id, stream, kind);
    if (kind === "screen") {
      const gone = () => {
        if (stream.getTracks().every((t) => t.readyState === "ended" || t.muted)) {
          this.emit("onRemoteGone", peer.id, stream.id);
        }
      };
      event.track.addEventListener("mute", gone);
      event.track.addEventListener("ended", gone);
      stream.addEventListener("removetrack", gone);
      event.track.addEventListener("unmute", () => this.emit("onRemote", peer.id, stream, kind));
    }
  }

  signal(to, kind, fields) {
    this.send({ type: "signal", to, epoch: this.epoch, kind, ...fields });
  }

  onSignal(signal) {
    if (signal.epoch > this.epoch) {
      if (this.early.length < MAX_EARLY_SIGNALS) this.early.push(signal);
      return;
    }
    if (signal.room !== this.room || signal.epoch !== this.epoch) return;
    const peer = this.peers.get(signal.sender);
    if (!peer) {
      // The plan naming this peer is applied but its connection not yet opened: hold it.
      if (this.opening && this.early.length < MAX_EARLY_SIGNALS) this.early.push(signal);
      return;
    }
    peer.neg.receive(signal).then(() => this.verify());
  }

  close(id) {
    const peer = this.peers.get(id);
    if (!peer) return;
    this.peers.delete(id);
    peer.neg.silence();
    this.emit("onRemoteGone", id, null);
    this.verify();
    // Already silent both ways; releasing it (several ms) waits for the frame showing the move.
    if (this.stopped) peer.neg.close();
    else afterPaint(() => peer.neg.close());
  }

  closeAll() {
    for (const id of [...this.peers.keys()]) this.close(id);
  }

  // The socket is back; `grace`: the server's reconnection grace (snapshot, ms).
  online(grace) {
    clearTimeout(this.cut);
    this.cut = null;
    this.grace = grace;
  }

  // The socket closed (each failed retry closes again: the first counts). Past the grace (`cut`:
  // its timer, 0 once run) the plans that moved on without this page cannot reach it, nor a peer
  // cut off too: every connection closes here, `onCut` says so, at each retry too.
  offline(onCut) {
    if (this.cut === 0) onCut();
    if (this.cut != null || this.grace === undefined) return;
    this.cut = setTimeout(() => {
      this.cut = 0;
      this.planned.clear();
      this.closeAll();
      onCut();
    }, this.grace);
  }

  // Tracks opened later (Try again) go to every connection: a kind sent is replaced, another
  // added (into the camera's unused transceiver) and renegotiated; same stream id (not a screen).
  useLocalStream(stream) {
    this.localStream = stream;
    for (const peer of this.peers.values()) this.sendLocal(peer);
  }

  sendLocal(peer) {
    const screen = new Set(peer.screenSenders);
    for (const track of this.localStream ? this.localStream.getTracks() : []) {
      const sender = peer.pc.getSenders().find((s) => !screen.has(s) && s.track && s.track.kind === track.kind);
      if (!sender) peer.pc.addTrack(track, this.localStream);
      else if (sender.track !== track) sender.replaceTrack(track).catch(() => {});
    }
  }

  // Every copy of the camera within its share of the upstream (send-budget.js), as peers come
  // and go; a connection not yet negotiated takes it once stable. Screen senders are left alone.
  rebudget() {
    for (const peer of this.peers.values()) this.budget(peer);
  }

  budget(peer) {
    const screen = new Set(peer.screenSenders);
    const budget = cameraBudget(this.peers.size);
    for (const sender of peer.pc.getSenders()) {
      if (screen.has(sender) || !sender.track || sender.track.kind !== "video") continue;
      const next = budgeted(sender.getParameters(), budget);
      if (next) sender.setParameters(next).catch(() => {});
    }
  }

  // ------------------------------------------------------------ screen share

  async startScreen(stream) {
    if (this.screen) return;
    this.screen = stream;
    const [track] = stream.getVideoTracks();
    track.addEventListener("ended", () => this.stopScreen());
    for (const peer of this.peers.values()) this.addScreen(peer);
  }

  addScreen(peer) {
    for (const track of this.screen.getTracks()) {
      peer.screenSenders.push(peer.pc.addTrack(track, this.screen));
    }
  }

  stopScreen() {
    if (!this.screen) return;
    const screen = this.screen;
    this.screen = null;
    for (const track of screen.getTracks()) track.stop();
    for (const peer of this.peers.values()) {
      for (const sender of peer.screenSenders) {
        try {
          peer.pc.removeTrack(sender);
        } catch (_) { /* connection already closed */ }
      }
      peer.screenSenders = [];
    }
  }

  // ------------------------------------------------------------ verification, stats (mesh-reports.js)

  verify() {
    return verifyRoom(this);
  }

  collectStats() {
    return collectStats(this);
  }

  stop() {
    this.stopped = true;
    clearInterval(this.statsTimer);
    clearTimeout(this.cut);
    this.stopScreen();
    this.closeAll();
  }
}
