// The in-page verifier (gateway/webclient/js/audit) against the RFC 6962 vectors and corrupted
// proofs the Python verifier is tested with, and against notes signed by the Python signer.
// Run: node --test tests/js   (pytest runs it too: tests/unit/audit/test_audit_js_verifier.py)

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { VerifyError, fromBase64, fromHex, toBase64, toHex, utf8 } from '../../gateway/webclient/js/audit/bytes.js';
import { hashChildren, hashLeaf, verifyConsistency, verifyInclusion } from '../../gateway/webclient/js/audit/merkle.js';
import { openCheckpoint, openNote, parseNote, parseVkey } from '../../gateway/webclient/js/audit/note.js';
import { verifyEntry, verifyExtends } from '../../gateway/webclient/js/audit/verify.js';

const vectors = JSON.parse(readFileSync(new URL('../vectors/audit/rfc6962.json', import.meta.url)));
const notes = JSON.parse(readFileSync(new URL('../vectors/audit/notes.json', import.meta.url)));

// --- a reference tree from RFC 6962 §2.1's recursive definitions (MTH, PATH, PROOF) ---------
// over LEAVES[lo, hi), with MTH memoised so the exhaustive loops below stay fast.
const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };
const memo = new Map();
async function mth(lo, hi) {
  const key = `${lo}:${hi}`;
  if (!memo.has(key)) {
    if (hi - lo === 0) memo.set(key, new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(0))));
    else if (hi - lo === 1) memo.set(key, LEAVES[lo]);
    else {
      const k = split(hi - lo);
      memo.set(key, await hashChildren(await mth(lo, lo + k), await mth(lo + k, hi)));
    }
  }
  return memo.get(key);
}
async function path(m, lo, hi) {
  if (hi - lo <= 1) return [];
  const k = split(hi - lo);
  return m < k ? [...await path(m, lo, lo + k), await mth(lo + k, hi)]
    : [...await path(m - k, lo + k, hi), await mth(lo, lo + k)];
}
async function subproof(m, lo, hi, whole) {
  if (m === hi - lo) return whole ? [] : [await mth(lo, hi)];
  const k = split(hi - lo);
  return m <= k ? [...await subproof(m, lo, lo + k, whole), await mth(lo + k, hi)]
    : [...await subproof(m - k, lo + k, hi, false), await mth(lo, lo + k)];
}

const LEAVES = await Promise.all(Array.from({ length: 40 }, (_, i) => hashLeaf(
  i < vectors.leaves.length ? fromHex(vectors.leaves[i]) : Uint8Array.of(i, i * 7 % 256))));
const ROOTS = await Promise.all(Array.from({ length: 41 }, (_, n) => mth(0, n)));
const flip = (h) => { const c = Uint8Array.from(h); c[0] ^= 1; return c; };
const rejects = (promise, codes) => assert.rejects(promise, (err) => err instanceof VerifyError && codes.includes(err.code));

test('RFC 6962 vector roots and proofs', async () => {
  for (let n = 0; n <= 8; n += 1) assert.equal(toHex(ROOTS[n]), vectors.roots[n]);
  for (const v of vectors.inclusion) {
    await verifyInclusion(v.index, v.size, LEAVES[v.index], v.proof.map(fromHex), ROOTS[v.size]);
  }
  for (const v of vectors.consistency) {
    await verifyConsistency(v.first, v.second, ROOTS[v.first], ROOTS[v.second], v.proof.map(fromHex));
  }
});

test('every inclusion proof verifies, and every corruption of it fails', async () => {
  for (let size = 1; size <= 33; size += 1) {
    for (let index = 0; index < size; index += 1) {
      const proof = await path(index, 0, size);
      const root = ROOTS[size];
      await verifyInclusion(index, size, LEAVES[index], proof, root);
      for (let pos = 0; pos < proof.length; pos += 1) {
        const bad = [...proof];
        bad[pos] = flip(bad[pos]);
        await rejects(verifyInclusion(index, size, LEAVES[index], bad, root), ['root-mismatch']);
      }
      if (proof.length) await rejects(verifyInclusion(index, size, LEAVES[index], proof.slice(0, -1), root), ['proof-invalid']);
      await rejects(verifyInclusion(index, size, LEAVES[index], [...proof, new Uint8Array(32)], root), ['proof-invalid']);
      if (size > 1) await rejects(verifyInclusion((index + 1) % size, size, LEAVES[index], proof, root), ['root-mismatch', 'proof-invalid']);
      await rejects(verifyInclusion(index, size, flip(LEAVES[index]), proof, root), ['root-mismatch']);
      await rejects(verifyInclusion(index, size, LEAVES[index], proof, flip(root)), ['root-mismatch']);
    }
  }
  await rejects(verifyInclusion(5, 5, LEAVES[5], [], ROOTS[5]), ['proof-invalid']);
  await rejects(verifyInclusion(0, 2, LEAVES[0], [new Uint8Array(31)], ROOTS[2]), ['proof-invalid']);
});

test('every consistency proof verifies, and every corruption of it fails', async () => {
  for (let second = 2; second <= 33; second += 1) {
    for (let first = 1; first < second; first += 1) {
      const proof = await subproof(first, 0, second, true);
      const [r1, r2] = [ROOTS[first], ROOTS[second]];
      await verifyConsistency(first, second, r1, r2, proof);
      for (let pos = 0; pos < proof.length; pos += 1) {
        const bad = [...proof];
        bad[pos] = flip(bad[pos]);
        await rejects(verifyConsistency(first, second, r1, r2, bad), ['root-mismatch', 'proof-invalid']);
      }
      await rejects(verifyConsistency(first, second, r1, r2, proof.slice(0, -1)), ['root-mismatch', 'proof-invalid']);
      await rejects(verifyConsistency(first, second, r1, r2, [...proof, new Uint8Array(32).fill(1)]), ['root-mismatch', 'proof-invalid']);
      await rejects(verifyConsistency(first, second, flip(r1), r2, proof), ['root-mismatch']);
      await rejects(verifyConsistency(first, second, r1, flip(r2), proof), ['root-mismatch']);
      if (first + 1 < second) await rejects(verifyConsistency(first + 1, second, ROOTS[first + 1], r2, proof), ['root-mismatch', 'proof-invalid']);
    }
  }
  await verifyConsistency(4, 4, ROOTS[4], ROOTS[4], []);
  await rejects(verifyConsistency(4, 4, ROOTS[4], ROOTS[5], []), ['root-mismatch']);
  await rejects(verifyConsistency(5, 4, ROOTS[5], ROOTS[4], []), ['proof-invalid']);
});

test('vkeys and key ids match the Python signer', async () => {
  const key = await parseVkey(notes.vkey);
  assert.equal(key.name, notes.origin);
  assert.equal(key.keyId, notes.key_id);
  const [name, id, blob] = notes.vkey.split('+');
  await rejects(parseVkey(`${name}+${id === '00000000' ? '00000001' : '00000000'}+${blob}`), ['key-format']);
  await rejects(parseVkey(`${name}+${id}+${blob.slice(0, -4)}`), ['key-format']);
  await rejects(parseVkey('not a key'), ['key-format']);
});

test('a checkpoint signed by the Python signer opens; tampering and other keys do not', async () => {
  const key = await parseVkey(notes.vkey);
  const cp = await openCheckpoint(notes.checkpoint, key);
  assert.equal(cp.size, BigInt(notes.size));
  assert.equal(toBase64(cp.root), notes.root);
  const other = await parseVkey(notes.other_vkey);
  await rejects(openCheckpoint(notes.checkpoint, other), ['wrong-key']);
  await rejects(openCheckpoint(notes.checkpoint.replace(`\n${notes.size}\n`, `\n${notes.size + 1}\n`), key), ['bad-signature']);
  await rejects(openCheckpoint(notes.resigned_by_other, key), ['wrong-key']);
  const withWitnesses = notes.checkpoint + notes.sixteen_cosignatures;
  assert.equal((await openCheckpoint(withWitnesses, key)).size, BigInt(notes.size));
  assert.ok(withWitnesses.length > 100_000);
  for (const mangled of [notes.checkpoint.replace('\n\n', '\n'), notes.checkpoint.slice(0, -1),
    notes.checkpoint + 'extra\n', notes.checkpoint.replace('\u2014', '-')]) {
    assert.throws(() => parseNote(mangled), VerifyError);
  }
  await rejects(openNote(notes.checkpoint + notes.checkpoint.split('\n\n')[1], key), ['note-format']);
});

test('an entry of a real log verifies against its checkpoint; a tampered proof or entry fails', async () => {
  const key = await parseVkey(notes.vkey);
  const e = notes.entry;
  const cp = await verifyEntry({ index: e.index, entry: e.entry, proof: e.proof, checkpointNote: notes.checkpoint, key });
  assert.equal(cp.size, BigInt(notes.size));
  const badHash = toBase64(flip(fromBase64(e.proof.hashes[0])));
  await rejects(verifyEntry({ ...e, proof: { ...e.proof, hashes: [badHash, ...e.proof.hashes.slice(1)] }, checkpointNote: notes.checkpoint, key }), ['root-mismatch']);
  await rejects(verifyEntry({ ...e, entry: e.entry.replace('allowed', 'denied'), checkpointNote: notes.checkpoint, key }), ['root-mismatch']);
  await rejects(verifyEntry({ ...e, checkpointNote: notes.resigned_by_other, key }), ['wrong-key']);
  const current = await openCheckpoint(notes.checkpoint, key);
  await verifyExtends({ size: notes.old_size, root: notes.old_root }, current, notes.consistency);
  const forkedRoot = toBase64(flip(fromBase64(notes.old_root)));
  await rejects(verifyExtends({ size: notes.old_size, root: forkedRoot }, current, notes.consistency), ['inconsistent']);
  await rejects(verifyExtends({ size: String(notes.size + 5), root: notes.old_root }, current, notes.consistency), ['inconsistent']);
  assert.deepEqual(utf8('a'), Uint8Array.of(97));
});
