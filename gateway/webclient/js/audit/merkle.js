// RFC 9162 Merkle tree hashing and proof verification (§2.1.1, §2.1.3.2, §2.1.4.2) with
// WebCrypto SHA-256: leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right).
//
// Written from the RFC's algorithms, like the Python verifier (services/audit/verify.py), with
// the same strictness: index and sizes in range, 32-byte hashes, and the exact proof length (a
// proof with hashes left over, or one that runs out early, is rejected). Sizes are BigInt inside
// so that trees beyond 2^32 entries do not break JavaScript's 32-bit bitwise operators.
// Failures throw VerifyError with code 'proof-invalid' (malformed) or 'root-mismatch'.

import { VerifyError, concat, equal, sha256 } from './bytes.js';

const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

export const hashLeaf = (entry) => sha256(concat(LEAF, entry));
export const hashChildren = (left, right) => sha256(concat(NODE, left, right));
export const emptyRoot = () => sha256(new Uint8Array(0));

function checkHashes(...hashes) {
  for (const h of hashes) {
    if (!(h instanceof Uint8Array) || h.length !== 32) {
      throw new VerifyError('proof-invalid', `hash of ${h?.length} bytes, expected 32`);
    }
  }
}

const big = (n) => BigInt(n);

/** The root that `proof` binds the leaf at `index` of a tree of `size` to. */
export async function rootFromInclusion(index, size, leafHash, proof) {
  let fn = big(index);
  let sn = big(size) - 1n;
  if (fn < 0n || fn > sn) throw new VerifyError('proof-invalid', `index ${index} is not in a tree of size ${size}`);
  checkHashes(leafHash, ...proof);
  let digest = leafHash;
  for (const sibling of proof) {
    if (sn === 0n) throw new VerifyError('proof-invalid', `inclusion proof too long: ${proof.length} hashes`);
    if ((fn & 1n) === 1n || fn === sn) {
      digest = await hashChildren(sibling, digest);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      }
    } else {
      digest = await hashChildren(digest, sibling);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new VerifyError('proof-invalid', `inclusion proof too short: ${proof.length} hashes`);
  return digest;
}

/** Check the leaf hash is at `index` in the tree of `size` whose root is `root`. */
export async function verifyInclusion(index, size, leafHash, proof, root) {
  checkHashes(root);
  const computed = await rootFromInclusion(index, size, leafHash, proof);
  if (!equal(computed, root)) {
    throw new VerifyError('root-mismatch', `inclusion of leaf ${index} in tree of size ${size}: root mismatch`);
  }
}

/** Check the tree of size `second` extends the tree of size `first` (append-only). */
export async function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  checkHashes(firstRoot, secondRoot, ...proof);
  const m = big(first);
  const n = big(second);
  if (m < 0n || m > n) throw new VerifyError('proof-invalid', `sizes go backwards: ${first} -> ${second}`);
  if (m === n || m === 0n) {
    if (proof.length) throw new VerifyError('proof-invalid', `consistency ${first} -> ${second} needs an empty proof`);
    if (m === 0n && !equal(firstRoot, await emptyRoot())) throw new VerifyError('root-mismatch', 'old tree of size 0');
    if (m === n && !equal(firstRoot, secondRoot)) throw new VerifyError('root-mismatch', `two trees of size ${first}`);
    return;
  }
  if (!proof.length) throw new VerifyError('proof-invalid', `consistency ${first} -> ${second} needs a non-empty proof`);
  const path = (m & (m - 1n)) === 0n ? [firstRoot, ...proof] : [...proof];
  let fn = m - 1n;
  let sn = n - 1n;
  while ((fn & 1n) === 1n) { fn >>= 1n; sn >>= 1n; }
  let fr = path[0];
  let sr = path[0];
  for (const node of path.slice(1)) {
    if (sn === 0n) throw new VerifyError('proof-invalid', `consistency proof too long: ${proof.length} hashes`);
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await hashChildren(node, fr);
      sr = await hashChildren(node, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      }
    } else {
      sr = await hashChildren(sr, node);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new VerifyError('proof-invalid', `consistency proof too short: ${proof.length} hashes`);
  if (!equal(fr, firstRoot)) throw new VerifyError('root-mismatch', `old tree of size ${first}: root mismatch`);
  if (!equal(sr, secondRoot)) throw new VerifyError('root-mismatch', `new tree of size ${second}: root mismatch`);
}
