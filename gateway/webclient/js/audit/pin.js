// The auditor's trust anchor, kept in this browser: the pinned verifier key and the last
// checkpoint this browser verified. `checkLog()` runs on every visit: it verifies the server's
// latest checkpoint under the pinned key and proves it extends the one seen last time
// (consistency proof); an inconsistency is reported, never papered over.

import { api } from '../core/api.js';
import { VerifyError } from './bytes.js';
import { openCheckpoint, parseVkey } from './note.js';
import { remembered, verifyExtends } from './verify.js';

const PIN = 'parley.audit.pin';
const SEEN = 'parley.audit.seen';

function read(name) {
  try { return JSON.parse(localStorage.getItem(name) || 'null'); } catch (_) { return null; }
}

export const pinnedVkey = () => read(PIN)?.vkey ?? null;

export async function pinKey(vkey) {
  const key = await parseVkey(vkey);
  localStorage.setItem(PIN, JSON.stringify({ vkey: key.vkey, pinnedAt: Date.now() }));
  localStorage.removeItem(SEEN);
  return key;
}

export function unpin() {
  localStorage.removeItem(PIN);
  localStorage.removeItem(SEEN);
}

export async function serverVkey() {
  return (await api('GET', '/api/v1/audit/vkey', undefined, { accept: 'text/plain' })).trim();
}

/** → {state, key, serverKey, checkpoint, info, seen, error}; state is one of
 *  'unpinned', 'ok', 'first' (nothing seen before), 'inconsistent', 'bad-checkpoint'.
 *  `mismatch` is true when the server now offers another key than the pinned one. */
export async function checkLog() {
  const serverText = await serverVkey();
  const serverKey = await parseVkey(serverText);
  const pinned = pinnedVkey();
  if (!pinned) return { state: 'unpinned', serverKey };
  const key = await parseVkey(pinned);
  const mismatch = serverKey.vkey !== key.vkey;
  const info = await api('GET', '/api/v1/audit/checkpoint');
  let checkpoint;
  try {
    checkpoint = await openCheckpoint(info.note, key);
  } catch (error) {
    return { state: 'bad-checkpoint', key, serverKey, mismatch, info, error };
  }
  const seen = read(SEEN);
  if (seen && seen.origin === key.name) {
    try {
      const proof = BigInt(seen.size) === checkpoint.size
        ? { first: seen.size, second: seen.size, hashes: [] }
        : await api('GET', `/api/v1/audit/proofs/consistency?from=${seen.size}&to=${checkpoint.size}`);
      await verifyExtends(seen, checkpoint, proof);
    } catch (error) {
      const inconsistent = error instanceof VerifyError;
      return { state: inconsistent ? 'inconsistent' : 'error', key, serverKey, mismatch, checkpoint, info, seen, error };
    }
  }
  localStorage.setItem(SEEN, JSON.stringify({ origin: key.name, ...remembered(checkpoint), at: Date.now() }));
  return { state: seen ? 'ok' : 'first', key, serverKey, mismatch, checkpoint, info, seen };
}
