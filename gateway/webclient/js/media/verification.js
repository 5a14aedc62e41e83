// The room verification code (docs/verification-code.md): a short number every member of a room
// reads out; if all read the same, nobody sits in the middle of their encrypted media.
//
// Each client uses one DTLS certificate for all its peer connections. DTLS-SRTP checks that the
// certificate a peer presents matches the fingerprint in the remote description, and the remote
// description travels through the server. A server (or anyone who controls signalling) that
// swaps a fingerprint can terminate DTLS itself; it cannot make the members' codes agree,
// because each member hashes its own certificate's fingerprint with the fingerprints it actually
// received, and the swapped one differs from the real one on the other side.
//
// Pure functions (no DOM, no RTCPeerConnection), so Node runs the same code in tests/js/.

export const CODE_CONTEXT = "parley-room-verification-v1";
const GROUPS = 4;
const DIGITS_PER_GROUP = 4;

// "sha-256 ab:cd:…" in one canonical spelling: algorithm lower case, hex upper case with colons.
export function canonicalFingerprint(algorithm, value) {
  const algo = String(algorithm).trim().toLowerCase();
  const hex = String(value).trim().toUpperCase().replace(/[^0-9A-F]/g, "");
  if (!algo || hex.length < 2 || hex.length % 2 !== 0) throw new Error("malformed fingerprint");
  return `${algo} ${hex.match(/../g).join(":")}`;
}

// Every SHA-256 DTLS fingerprint an SDP declares (session or media level), deduplicated. Other
// hash algorithms are ignored: every browser and aiortc offer SHA-256, so the code compares
// like with like.
export function sdpFingerprints(sdp) {
  const found = new Set();
  for (const line of String(sdp).split(/\r?\n/)) {
    const match = /^a=fingerprint:(\S+)\s+([0-9A-Fa-f:]+)\s*$/.exec(line);
    if (match && match[1].toLowerCase() === "sha-256") {
      found.add(canonicalFingerprint(match[1], match[2]));
    }
  }
  return [...found];
}

// The code for a room: SHA-256 over a context string, the room id and the sorted fingerprints
// (one per line), first 8 bytes read as an unsigned integer, modulo 10^16, printed as four
// groups of four digits ("0413 9920 1187 5064"). `fingerprints` holds the reader's own
// certificate fingerprint and one per remote member as seen in its remote description.
export async function verificationCode(room, fingerprints, subtle = globalThis.crypto.subtle) {
  const sorted = [...new Set(fingerprints)].sort();
  if (sorted.length < 2) return null; // alone: nothing to verify
  const text = [CODE_CONTEXT, String(room), ...sorted].join("\n");
  const digest = new Uint8Array(await subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(digest[i]);
  const digits = (n % 10n ** BigInt(GROUPS * DIGITS_PER_GROUP))
    .toString().padStart(GROUPS * DIGITS_PER_GROUP, "0");
  const groups = [];
  for (let i = 0; i < GROUPS; i++) {
    groups.push(digits.slice(i * DIGITS_PER_GROUP, (i + 1) * DIGITS_PER_GROUP));
  }
  return groups.join(" ");
}
