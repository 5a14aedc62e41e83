// One peer connection and its negotiation: the server-named first offer, then "perfect
// negotiation" (W3C WebRTC §10.7) for every renegotiation, such as a screen share starting or
// stopping.
//
// Roles: the server names the offerer of each pair, so first offers never collide. Later, when
// two offers cross, the polite side rolls back and answers; the named offerer is impolite,
// except towards an aiortc peer, which cannot roll back: a browser is polite to it (DESIGN §5).
//
// Candidates: an offer or answer goes out once gathering is complete or after GATHER_WAIT_MS,
// with every candidate so far inside; later ones are trickled ("half trickle"). A move into a
// room of seven then costs seven offers, not forty more candidates of the socket's rate limit.

const GATHER_WAIT_MS = 250;

// Resolves once the connection has gathered its candidates, or after `ms`, or once closed.
function gathered(pc, ms) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener("icegatheringstatechange", check);
      resolve();
    };
    const check = () => { if (pc.iceGatheringState === "complete" || pc.signalingState === "closed") done(); };
    const timer = setTimeout(done, ms);
    pc.addEventListener("icegatheringstatechange", check);
  });
}

// aiortc writes its session origin as `o=- <n> <n> IN IP4 0.0.0.0` (the same number twice);
// browsers never do. A heuristic, and only a tie-breaker: it decides who yields in a collision.
export function looksLikeAiortc(sdp) {
  const match = /^o=\S+ (\d+) (\d+) IN IP4 0\.0\.0\.0\s*$/m.exec(String(sdp));
  return Boolean(match && match[1] === match[2]);
}

export class Negotiation {
  // `signal(kind, fields)` sends an offer/answer/candidate to this peer (stamped by the caller).
  constructor(pc, { offerer, signal, onError }) {
    this.pc = pc;
    this.offerer = offerer;
    this.polite = !offerer;
    this.signal = signal;
    this.onError = onError || (() => {});
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.established = false; // the first offer/answer is done: renegotiation may begin
    this.pending = [];
    this.closed = false;
    this.holding = false; // a description is waiting for candidates: they travel inside it
    pc.addEventListener("icecandidate", (event) => {
      if (this.closed || this.holding || !event.candidate || !event.candidate.candidate) return;
      this.signal("candidate", {
        candidate: event.candidate.candidate,
        sdp_mid: event.candidate.sdpMid,
        sdp_mline_index: event.candidate.sdpMLineIndex,
      });
    });
    pc.addEventListener("negotiationneeded", () => {
      if (this.established) this.offer();
    });
    pc.addEventListener("signalingstatechange", () => {
      if (pc.signalingState === "stable" && pc.remoteDescription) this.established = true;
    });
  }

  async offer() {
    if (this.closed) return;
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      await this.describe("offer");
    } catch (error) {
      this.onError("offer", error);
    } finally {
      this.makingOffer = false;
    }
  }

  // Send the local description once its candidates are in it (see the top of this file). The
  // description is read and sent in one step: a candidate event after it is trickled instead.
  async describe(kind) {
    this.holding = true;
    try {
      await gathered(this.pc, GATHER_WAIT_MS);
    } finally {
      this.holding = false;
    }
    const description = this.pc.localDescription;
    if (!this.closed && description && description.type === kind) {
      this.signal(kind, { sdp: description.sdp });
    }
  }

  // The epoch changed before the first exchange finished: send the pending offer again (the
  // current local description, candidates included), or, if none is out yet, the offer being
  // made goes out with the new epoch anyway.
  resend() {
    if (this.closed || this.makingOffer) return;
    if (this.pc.signalingState === "have-local-offer" && this.pc.localDescription) {
      this.signal("offer", { sdp: this.pc.localDescription.sdp });
    } else if (this.pc.signalingState === "stable" && !this.pc.remoteDescription) {
      this.offer();
    }
  }

  // Messages are handled one at a time, in order: an offer's description must be set before
  // the next offer (a re-sent one) or its candidates are looked at.
  receive(message) {
    this.queue = (this.queue || Promise.resolve()).then(() => this.handle(message));
    return this.queue;
  }

  async handle(message) {
    const pc = this.pc;
    try {
      if (message.kind === "candidate") {
        const candidate = {
          candidate: message.candidate,
          sdpMid: message.sdp_mid,
          sdpMLineIndex: message.sdp_mline_index,
        };
        if (pc.remoteDescription) {
          await pc.addIceCandidate(candidate).catch((error) => {
            if (!this.ignoreOffer) throw error;
          });
        } else {
          this.pending.push(candidate);
        }
        return;
      }
      if (message.kind === "offer" && looksLikeAiortc(message.sdp)) this.polite = true;
      const collision = message.kind === "offer"
        && (this.makingOffer || pc.signalingState !== "stable");
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      if (message.kind === "answer" && pc.signalingState !== "have-local-offer") return;
      await pc.setRemoteDescription({ type: message.kind, sdp: message.sdp });
      await this.flush();
      if (message.kind === "offer") {
        await pc.setLocalDescription();
        await this.describe("answer");
      }
    } catch (error) {
      this.onError(message.kind, error);
    }
  }

  async flush() {
    const pending = this.pending;
    this.pending = [];
    for (const candidate of pending) await this.pc.addIceCandidate(candidate);
  }

  // Isolation at once, teardown a moment later: nothing more is signalled, nothing more is sent
  // (every sender's track replaced by none) and nothing received is played (every received
  // track disabled). `close()` then releases the connection, which costs milliseconds a peer.
  silence() {
    this.closed = true;
    if (this.pc.signalingState === "closed") return;
    for (const transceiver of this.pc.getTransceivers()) {
      transceiver.sender.replaceTrack(null).catch(() => {});
      if (transceiver.receiver.track) transceiver.receiver.track.enabled = false;
    }
  }

  close() {
    this.closed = true;
    this.pc.close();
  }
}
