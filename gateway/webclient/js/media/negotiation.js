// One peer connection and its negotiation: the server-named first offer, then "perfect
// negotiation" (W3C WebRTC §10.7) for every renegotiation, such as a screen share starting or
// stopping.
//
// Roles: the server names the offerer of each pair (the later arrival), so first offers never
// collide. After the first exchange either side may renegotiate; should two offers cross, the
// polite side rolls its own back and answers, the impolite side ignores the other's offer. The
// named offerer is impolite, the other polite, except towards an aiortc peer, which cannot roll
// back and so is always impolite: a browser is always polite to it (DESIGN §5).

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
      if (!this.closed) this.signal("offer", { sdp: this.pc.localDescription.sdp });
    } catch (error) {
      this.onError("offer", error);
    } finally {
      this.makingOffer = false;
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
        if (!this.closed) this.signal("answer", { sdp: pc.localDescription.sdp });
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

  close() {
    this.closed = true;
    this.pc.close();
  }
}
