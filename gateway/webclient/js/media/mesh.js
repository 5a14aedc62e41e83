// One RTCPeerConnection per peer in the current room, driven only by the server's `peer.plan`.
//
// Isolation (DESIGN §5) is enforced by the server; this client keeps its side of the bargain:
// - `drop` is applied first, before anything else in the plan: those connections close at once;
// - a connection is opened only to a peer the plan names, and every offer, answer and candidate
//   is stamped with the room's current epoch; signals for another room or an older epoch are
//   ignored (a newer epoch is held until its plan arrives, since messages may overtake it);
// - the plan names the offerer of each pair (the later arrival), so first offers never collide.
//   Should two offers cross anyway, the named offerer ignores the other one ("impolite").

const STATS_INTERVAL_MS = 1000;
const MAX_EARLY_SIGNALS = 256;

// Offer and answer exchanged: ICE may still be at work, but nothing needs restarting.
function settled(pc) {
  return pc.signalingState === "stable" && pc.remoteDescription !== null;
}

export class Mesh {
  constructor({ send, rtcConfig, localStream, onRemote, onGone, onStats }) {
    this.send = send;
    this.rtcConfig = rtcConfig || { iceServers: [] };
    this.localStream = localStream;
    this.onRemote = onRemote || (() => {});
    this.onGone = onGone || (() => {});
    this.onStats = onStats || (() => {});
    this.peers = new Map();
    this.room = null;
    this.epoch = -1;
    this.early = [];
    this.statsTimer = setInterval(() => this.collectStats(), STATS_INTERVAL_MS);
  }

  applyPlan(plan) {
    for (const id of plan.drop || []) this.close(id);
    const named = new Set([...(plan.connect || []), ...(plan.keep || [])].map((l) => l.peer));
    if (plan.room !== this.room) {
      // A new room: nothing from the old one survives, whatever the plan forgot to list.
      for (const id of [...this.peers.keys()]) if (!named.has(id)) this.close(id);
    }
    this.room = plan.room;
    this.epoch = plan.epoch;
    for (const link of plan.keep || []) {
      const peer = this.peers.get(link.peer);
      // A negotiation left unfinished must restart under the new epoch (old stamps are refused):
      // the offerer starts over; the answerer replaces its connection when the new offer comes.
      if (!peer) this.open(link);
      else if (link.offerer && peer.pc.connectionState !== "connected" && !settled(peer.pc)) {
        this.close(link.peer);
        this.open(link);
      }
    }
    for (const link of plan.connect || []) {
      this.close(link.peer);
      this.open(link);
    }
    const early = this.early;
    this.early = [];
    for (const signal of early) this.onSignal(signal);
  }

  open(link) {
    const pc = new RTCPeerConnection(this.rtcConfig);
    const peer = { id: link.peer, pc, offerer: link.offerer, pending: [], epoch: this.epoch };
    this.peers.set(link.peer, peer);
    if (this.localStream) {
      for (const track of this.localStream.getTracks()) pc.addTrack(track, this.localStream);
    } else {
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
    }
    pc.addEventListener("icecandidate", (event) => {
      if (!event.candidate || !event.candidate.candidate || this.peers.get(link.peer) !== peer) return;
      this.signal(link.peer, "candidate", {
        candidate: event.candidate.candidate,
        sdp_mid: event.candidate.sdpMid,
        sdp_mline_index: event.candidate.sdpMLineIndex,
      });
    });
    pc.addEventListener("track", (event) => {
      if (this.peers.get(link.peer) !== peer) return;
      const stream = event.streams[0] || new MediaStream([event.track]);
      this.onRemote(link.peer, stream);
    });
    pc.addEventListener("connectionstatechange", () => {
      if (this.peers.get(link.peer) !== peer) return;
      this.send({ type: "peer.state", peer: link.peer, state: pc.connectionState });
    });
    if (link.offerer) this.offer(peer);
  }

  async offer(peer) {
    try {
      await peer.pc.setLocalDescription(await peer.pc.createOffer());
      if (this.peers.get(peer.id) !== peer) return;
      this.signal(peer.id, "offer", { sdp: peer.pc.localDescription.sdp });
    } catch (error) {
      console.error("offer failed", peer.id, error);
    }
  }

  signal(to, kind, fields) {
    this.send({ type: "signal", to, epoch: this.epoch, kind, ...fields });
  }

  async onSignal(signal) {
    if (signal.epoch > this.epoch) {
      if (this.early.length < MAX_EARLY_SIGNALS) this.early.push(signal);
      return;
    }
    if (signal.room !== this.room || signal.epoch !== this.epoch) return;
    const peer = this.peers.get(signal.sender);
    if (!peer) return; // not a peer the server told us to connect to
    const pc = peer.pc;
    try {
      if (signal.kind === "offer") {
        if (peer.offerer && pc.signalingState !== "stable") return; // glare: we are impolite
        if (!peer.offerer && pc.remoteDescription && pc.connectionState !== "connected") {
          // The offerer restarted an unfinished negotiation: start over on a fresh connection.
          this.close(peer.id);
          this.open({ peer: peer.id, offerer: false });
          return this.onSignal(signal);
        }
        await pc.setRemoteDescription({ type: "offer", sdp: signal.sdp });
        await pc.setLocalDescription(await pc.createAnswer());
        await this.flush(peer);
        if (this.peers.get(peer.id) === peer) {
          this.signal(peer.id, "answer", { sdp: pc.localDescription.sdp });
        }
      } else if (signal.kind === "answer") {
        if (pc.signalingState !== "have-local-offer") return;
        await pc.setRemoteDescription({ type: "answer", sdp: signal.sdp });
        await this.flush(peer);
      } else if (signal.kind === "candidate") {
        const candidate = {
          candidate: signal.candidate,
          sdpMid: signal.sdp_mid,
          sdpMLineIndex: signal.sdp_mline_index,
        };
        if (pc.remoteDescription) await pc.addIceCandidate(candidate);
        else peer.pending.push(candidate);
      }
    } catch (error) {
      console.error("signal failed", signal.kind, signal.sender, error);
    }
  }

  async flush(peer) {
    const pending = peer.pending;
    peer.pending = [];
    for (const candidate of pending) await peer.pc.addIceCandidate(candidate);
  }

  close(id) {
    const peer = this.peers.get(id);
    if (!peer) return;
    this.peers.delete(id);
    peer.pc.close();
    this.onGone(id);
  }

  closeAll() {
    for (const id of [...this.peers.keys()]) this.close(id);
  }

  // Per peer, what actually arrives (frames decoded, audio bytes): shown next to each video as
  // "who I can see and hear", the client-side half of the server's link report.
  async collectStats() {
    for (const [id, peer] of this.peers) {
      let framesDecoded = 0;
      let audioBytes = 0;
      try {
        const report = await peer.pc.getStats();
        report.forEach((s) => {
          if (s.type !== "inbound-rtp") return;
          if (s.kind === "video") framesDecoded += s.framesDecoded || 0;
          if (s.kind === "audio") audioBytes += s.bytesReceived || 0;
        });
      } catch (_) {
        continue;
      }
      if (this.peers.get(id) === peer) {
        this.onStats(id, { framesDecoded, audioBytes, state: peer.pc.connectionState });
      }
    }
  }

  stop() {
    clearInterval(this.statsTimer);
    this.closeAll();
  }
}
