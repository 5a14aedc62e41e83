// What a mesh (media/mesh.js) reports about its peers: the room verification code over the
// fingerprints its connections actually saw (verification.js), and per peer what arrives (frames
// decoded, audio level) with the active speaker, the loudest above a floor. Every connection uses
// this page's one DTLS certificate (`certificate()`), so the code compares one fingerprint per member.

import { canonicalFingerprint, sdpFingerprints, verificationCode } from "./verification.js";

const SPEAKING_LEVEL = 0.02;

let certificatePromise = null;

// This page's one DTLS certificate (ECDSA P-256), made once and used by every connection.
export function certificate() {
  if (!certificatePromise) {
    certificatePromise = RTCPeerConnection.generateCertificate({ name: "ECDSA", namedCurve: "P-256" });
  }
  return certificatePromise;
}

export async function ownFingerprint() {
  const cert = await certificate();
  const fp = cert.getFingerprints().find((f) => f.algorithm.toLowerCase() === "sha-256");
  return canonicalFingerprint(fp.algorithm, fp.value);
}

// The room verification code, emitted when it or the members it covers change: over the peers
// the mesh holds (only those the latest plan names: mesh-plan.js) whose fingerprint it has seen;
// the others named are `waiting`. Only the latest computation is told (a digest is awaited: an
// earlier one finishing late must not put back a code of members gone since).
export async function verifyRoom(mesh) {
  if (mesh.stopped) return;
  const turn = ++mesh.verifyTurn;
  const room = mesh.room;
  const fingerprints = [mesh.fingerprint];
  const members = [];
  for (const [id, peer] of mesh.peers) {
    const remote = peer.pc.remoteDescription;
    const seen = remote ? sdpFingerprints(remote.sdp) : [];
    if (seen.length === 0) continue;
    fingerprints.push(seen[0]);
    members.push(id);
  }
  const code = room ? await verificationCode(room, fingerprints) : null;
  if (turn !== mesh.verifyTurn || room !== mesh.room || mesh.stopped) return;
  const waiting = [...mesh.planned].filter((id) => !members.includes(id)).length;
  const key = `${code}|${members.sort().join(",")}|${waiting}`;
  if (key === mesh.lastVerification) return;
  mesh.lastVerification = key;
  mesh.emit("onVerification", { code, members, waiting });
}

// Per peer, what actually arrives (frames decoded, audio level): the client-side half of
// "who hears whom", and the active speaker (the loudest peer above a floor).
export async function collectStats(mesh) {
  let loudest = null;
  let level = SPEAKING_LEVEL;
  for (const [id, peer] of mesh.peers) {
    let framesDecoded = 0;
    let audioBytes = 0;
    let audioLevel = 0;
    try {
      const report = await peer.pc.getStats();
      report.forEach((s) => {
        if (s.type !== "inbound-rtp") return;
        if (s.kind === "video") framesDecoded += s.framesDecoded || 0;
        if (s.kind === "audio") {
          audioBytes += s.bytesReceived || 0;
          audioLevel = Math.max(audioLevel, s.audioLevel || 0);
        }
      });
    } catch (_) {
      continue;
    }
    if (mesh.peers.get(id) !== peer) continue;
    mesh.emit("onStats", id, { framesDecoded, audioBytes, audioLevel, state: peer.pc.connectionState });
    if (audioLevel > level) {
      level = audioLevel;
      loudest = id;
    }
  }
  if (loudest !== mesh.speaker) {
    mesh.speaker = loudest;
    mesh.emit("onSpeaker", loudest);
  }
}
