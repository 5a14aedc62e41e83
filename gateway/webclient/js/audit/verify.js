// What the auditor's page proves, in the page: one entry is in the log that the pinned key
// signed, and the log the auditor sees today extends the one they saw last time.
//
// The server supplies the entry text, an inclusion proof and the latest signed checkpoint; none
// of it is trusted. The page hashes the exact entry bytes, checks the proof against the root of
// a checkpoint whose Ed25519 signature it verifies under the key pinned in this browser.

import { VerifyError, fromBase64, toBase64, utf8 } from './bytes.js';
import { hashLeaf, verifyConsistency, verifyInclusion } from './merkle.js';
import { openCheckpoint } from './note.js';

const hashes = (list) => list.map((h) => fromBase64(h, 'proof-invalid'));

/** Verify entry `index` (its exact canonical text) under `checkpointNote` and the pinned key.
 *  `proof` is the API's InclusionProof {index, size, hashes}. Resolves to the checkpoint. */
export async function verifyEntry({ index, entry, proof, checkpointNote, key }) {
  const checkpoint = await openCheckpoint(checkpointNote, key);
  if (BigInt(proof.size) !== checkpoint.size || proof.index !== index) {
    throw new VerifyError('proof-invalid', `the proof is for entry ${proof.index} of ${proof.size}, not entry ${index} of ${checkpoint.size}`);
  }
  const leaf = await hashLeaf(utf8(entry));
  await verifyInclusion(index, checkpoint.size, leaf, hashes(proof.hashes), checkpoint.root);
  return checkpoint;
}

/** Check that `current` (a verified checkpoint) extends `lastSeen` ({size, root} as stored by
 *  this browser, root in base64) with the API's ConsistencyProof. Throws 'inconsistent'. */
export async function verifyExtends(lastSeen, current, proof) {
  const oldSize = BigInt(lastSeen.size);
  if (oldSize > current.size) {
    throw new VerifyError('inconsistent', `the log shrank: it had ${lastSeen.size} entries, it now shows ${current.size}`);
  }
  if (BigInt(proof.first) !== oldSize || BigInt(proof.second) !== current.size) {
    throw new VerifyError('proof-invalid', 'the consistency proof is for other sizes');
  }
  try {
    await verifyConsistency(oldSize, current.size, fromBase64(lastSeen.root, 'proof-invalid'),
      current.root, hashes(proof.hashes));
  } catch (err) {
    if (err instanceof VerifyError && err.code === 'root-mismatch') {
      throw new VerifyError('inconsistent', `the log of ${current.size} entries does not extend the log of ${lastSeen.size} you saw: ${err.message}`);
    }
    throw err;
  }
}

/** What the browser remembers of a verified checkpoint. */
export const remembered = (checkpoint) => ({ size: checkpoint.size.toString(), root: toBase64(checkpoint.root) });
