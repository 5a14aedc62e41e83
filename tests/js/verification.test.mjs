// node --test tests/js/: the room verification code's derivation (docs/verification-code.md).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import test from "node:test";

import {
  canonicalFingerprint,
  sdpFingerprints,
  verificationCode,
} from "../../gateway/webclient/js/media/verification.js";

const A = "sha-256 " + "AB:".repeat(31) + "AB";
const B = "sha-256 " + "01:".repeat(31) + "02";
const C = "sha-256 " + "FE:".repeat(31) + "DC";

test("canonical spelling: lower-case algorithm, upper-case hex with colons", () => {
  assert.equal(canonicalFingerprint("SHA-256", "ab:cd:ef"), "sha-256 AB:CD:EF");
  assert.equal(canonicalFingerprint("sha-256", "abcdef"), "sha-256 AB:CD:EF");
  assert.throws(() => canonicalFingerprint("sha-256", "abc"));
});

test("fingerprints are read from every SDP level, SHA-256 only, deduplicated", () => {
  const sdp = [
    "v=0", "o=- 1 2 IN IP4 127.0.0.1", "a=fingerprint:sha-256 ab:ab",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=fingerprint:sha-256 AB:AB",
    "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=fingerprint:sha-384 01:02",
    "a=fingerprint:sha-256 CD:CD\r",
  ].join("\r\n");
  assert.deepEqual(sdpFingerprints(sdp), ["sha-256 AB:AB", "sha-256 CD:CD"]);
});

test("the same set of members gives the same code, whatever the order each one sees", async () => {
  const one = await verificationCode("plenary", [A, B, C]);
  const two = await verificationCode("plenary", [C, A, B]);
  assert.equal(one, two);
  assert.match(one, /^\d{4} \d{4} \d{4} \d{4}$/);
});

test("the code matches the documented derivation (independent implementation)", async () => {
  const text = ["parley-room-verification-v1", "room-1", ...[A, B, C].sort()].join("\n");
  const digest = createHash("sha256").update(text, "utf8").digest();
  const n = digest.readBigUInt64BE(0) % 10n ** 16n;
  const digits = n.toString().padStart(16, "0");
  const expected = digits.match(/..../g).join(" ");
  assert.equal(await verificationCode("room-1", [B, C, A]), expected);
});

test("a swapped fingerprint, another member set or another room changes the code", async () => {
  const base = await verificationCode("plenary", [A, B, C]);
  const tampered = "sha-256 " + "AB:".repeat(31) + "AC";
  assert.notEqual(await verificationCode("plenary", [tampered, B, C]), base);
  assert.notEqual(await verificationCode("plenary", [A, B]), base);
  assert.notEqual(await verificationCode("caucus-1", [A, B, C]), base);
});

test("alone in a room there is nothing to verify", async () => {
  assert.equal(await verificationCode("plenary", [A]), null);
  assert.equal(await verificationCode("plenary", [A, A]), null);
});
