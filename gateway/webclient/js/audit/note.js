// C2SP signed-note and tlog-checkpoint, verified with WebCrypto Ed25519 against a pinned key.
//
// vkey: `<name>+<hex key id>+<base64(0x01 || 32-byte Ed25519 public key)>`, where the key id is
// SHA-256(name || 0x0A || 0x01 || public key)[:4] and must match. A note is its text (ending in
// a newline), a blank line, then lines `— <key name> <base64(4-byte key id || signature)>`. As
// in the Python verifier (services/audit/note.py), the parse is strict (the last blank line
// splits, every line after it is a signature line), signatures under other keys are ignored,
// the pinned key may sign once and must verify. Checkpoint text: origin, decimal size, base64
// root, then optional extension lines.

import { VerifyError, concat, fromBase64, sha256, toHex, utf8 } from './bytes.js';

const DASH = '\u2014 ';
const MAX_NOTE_CHARS = 64 * 1024 + 16 * 6440; // the bound the server and parley-audit use
const MAX_SIGNATURE_BYTES = 4627 + 4;

function checkName(name) {
  // eslint-disable-next-line no-control-regex
  if (!name || name.length > 256 || /[\s+\u2014\u0000-\u001f]/u.test(name)) {
    throw new VerifyError('key-format', `invalid key name ${JSON.stringify(name)}`);
  }
}

export async function keyId(name, publicKey) {
  const digest = await sha256(concat(utf8(name), Uint8Array.of(0x0a, 0x01), publicKey));
  return toHex(digest.slice(0, 4));
}

/** Parse a vkey; resolves to {name, keyId (8 hex), publicKey, vkey}. */
export async function parseVkey(text) {
  const match = /^([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(String(text).trim());
  if (!match) throw new VerifyError('key-format', 'a verifier key looks like <name>+<key id>+<key>');
  const [, name, hexId, blob] = match;
  checkName(name);
  const raw = fromBase64(blob, 'key-format');
  if (raw.length !== 33 || raw[0] !== 0x01) throw new VerifyError('key-format', 'not an Ed25519 (type 0x01) key');
  const publicKey = raw.slice(1);
  const id = await keyId(name, publicKey);
  if (id !== hexId) throw new VerifyError('key-format', `key id ${hexId} does not match its key (${id})`);
  return { name, keyId: id, publicKey, vkey: `${name}+${hexId}+${blob}` };
}

/** Split and syntax-check a signed note: {text, signatures: [{name, keyId, signature}]}. */
export function parseNote(note) {
  if (typeof note !== 'string') throw new VerifyError('note-format', 'note is not text');
  if (note.length > MAX_NOTE_CHARS) throw new VerifyError('note-format', 'note too large');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new VerifyError('note-format', 'note contains a control character');
  if (!note.endsWith('\n')) throw new VerifyError('note-format', 'note does not end in a newline (truncated?)');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new VerifyError('note-format', 'note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2).split('\n').slice(0, -1);
  if (!text.trim() || !lines.length) throw new VerifyError('note-format', 'note has no text or no signatures');
  const signatures = lines.map((line) => {
    if (!line.startsWith(DASH)) throw new VerifyError('note-format', 'not a signature line');
    const parts = line.slice(DASH.length).split(' ');
    if (parts.length !== 2) throw new VerifyError('note-format', 'malformed signature line');
    checkName(parts[0]);
    const raw = fromBase64(parts[1]);
    if (raw.length < 5 || raw.length > MAX_SIGNATURE_BYTES) throw new VerifyError('note-format', 'signature of the wrong size');
    return { name: parts[0], keyId: toHex(raw.slice(0, 4)), signature: raw.slice(4) };
  });
  return { text, signatures };
}

async function ed25519Verify(publicKey, signature, message) {
  const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
}

/** Verify `note` is signed by the pinned key (from parseVkey); resolves to the parsed note. */
export async function openNote(note, key) {
  const parsed = parseNote(note);
  const message = utf8(parsed.text);
  let verified = 0;
  for (const sig of parsed.signatures) {
    if (sig.name !== key.name || sig.keyId !== key.keyId) continue; // unknown keys are ignored
    if (verified) throw new VerifyError('note-format', `key ${key.name} signed the note twice`);
    if (sig.signature.length !== 64 || !(await ed25519Verify(key.publicKey, sig.signature, message))) {
      throw new VerifyError('bad-signature', `the signature by ${key.name} does not verify`);
    }
    verified += 1;
  }
  if (verified) return parsed;
  const names = [...new Set(parsed.signatures.map((s) => s.name))].join(', ');
  throw new VerifyError('wrong-key', `signed by ${names}, not by the pinned key ${key.name} (${key.keyId})`);
}

/** Parse C2SP tlog-checkpoint text: {origin, size (BigInt), root (32 bytes), extensions}. */
export function parseCheckpoint(text) {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new VerifyError('checkpoint-format', 'checkpoint has too few lines');
  const [origin, sizeText, rootText, ...rest] = lines.slice(0, -1);
  if (!origin) throw new VerifyError('checkpoint-format', 'checkpoint has no origin');
  if (!/^(0|[1-9][0-9]{0,19})$/.test(sizeText)) throw new VerifyError('checkpoint-format', 'checkpoint size is not a decimal number');
  const root = fromBase64(rootText, 'checkpoint-format');
  if (root.length !== 32) throw new VerifyError('checkpoint-format', 'checkpoint root is not 32 bytes');
  if (rest.some((line) => !line)) throw new VerifyError('checkpoint-format', 'empty extension line');
  return { origin, size: BigInt(sizeText), root, extensions: rest };
}

/** Verify a signed checkpoint under the pinned key; its origin must be the key name. */
export async function openCheckpoint(note, key) {
  const { text } = await openNote(note, key);
  const checkpoint = parseCheckpoint(text);
  if (checkpoint.origin !== key.name) {
    throw new VerifyError('wrong-key', `checkpoint origin ${checkpoint.origin} is not the key name ${key.name}`);
  }
  return checkpoint;
}

