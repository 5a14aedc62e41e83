// Bytes helpers for the verifier: strict base64, hex, equality, UTF-8. No DOM, no globals but
// `crypto` (WebCrypto), so the same modules run in the page and under Node's test runner.

export class VerifyError extends Error {
  /** `code` names the failure for the catalogue: proof-invalid, root-mismatch, note-format,
   *  bad-signature, wrong-key, key-format, checkpoint-format, inconsistent. */
  constructor(code, message) {
    super(message);
    this.name = 'VerifyError';
    this.code = code;
  }
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding, canonical only (re-encoding gives the same text). */
export function fromBase64(text, code = 'note-format') {
  if (typeof text !== 'string' || !B64.test(text)) throw new VerifyError(code, 'not base64');
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) out[i] = raw.charCodeAt(i);
  if (toBase64(out) !== text) throw new VerifyError(code, 'non-canonical base64');
  return out;
}

export function toBase64(bytes) {
  let raw = '';
  for (const b of bytes) raw += String.fromCharCode(b);
  return btoa(raw);
}

export function fromHex(text) {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) throw new VerifyError('key-format', 'not hex');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function equal(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a[i] ^ b[i];
  return diff === 0;
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const encoder = new TextEncoder();
export const utf8 = (text) => encoder.encode(text);

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}
