// A document's versions as the documents panel lists them (GET …/documents/{d}/versions), the
// name each is saved under, who sees each, and what sharing one says. No DOM and no network
// (tests/js/versions.test.mjs).

// The reply's versions, newest first, numbered from the oldest the reader may see (1), the
// newest marked `latest`.
export function versionEntries(reply) {
  const versions = (reply && reply.versions) || [];
  const latest = reply && reply.document ? reply.document.version : versions[0]?.version;
  return versions.map((v, i) => ({ ...v, number: versions.length - i, latest: v.version === latest }));
}

// The name an earlier version is saved under, so two versions never land as one name:
// "Lease.pdf", version 2 → "Lease (v2).pdf". The latest keeps the document's own name.
export function versionFileName(filename, number, latest) {
  if (latest) return filename;
  const dot = filename.lastIndexOf(".");
  const tag = ` (v${number})`;
  return dot > 0 ? `${filename.slice(0, dot)}${tag}${filename.slice(dot)}` : `${filename}${tag}`;
}

// Whether an open list of versions must be read again after the documents were listed anew:
// the document gained (or lost) a version, its latest is another one, or its latest was
// shared (the list says who sees each version). `known.compartment` undefined: not compared.
export function versionsStale(known, doc) {
  return !known || known.latest !== doc.version || known.count !== (doc.versions || 1)
    || (known.compartment !== undefined && known.compartment !== doc.compartment);
}

// Who sees a version that is not where its document is, or null: a release widens a document's
// latest version only, so an earlier version stays where it was (`side:X`, or `confidential:X`
// under a joint document) and its row says so. `viewer`: the reader's role.
export function versionKept(compartment, documentCompartment, viewer) {
  if (!compartment || !documentCompartment || compartment === documentCompartment) return null;
  if (compartment.startsWith("side:")) return "only_side";
  if (compartment.startsWith("confidential:")) return viewer === "mediator" ? "in_confidence" : "with_mediator";
  return null;
}

// The version number an upload became, from the list read after it (the uploader's side may
// read every version of its own document, so the count is the number), or null when it is the
// first version or the list does not show it as the latest.
export function uploadedAs(docs, view) {
  const doc = view && (docs || []).find((d) => d.document === view.document);
  const count = doc ? doc.versions || 1 : 0;
  return doc && doc.version === view.version && count > 1 ? count : null;
}

// What the confirmation of a release says (the key of its body): with one version, who will
// read the document; with more, that the latest alone is shared, and where the earlier ones
// stay (with the side, or, for a confidential document, away from the other sides).
export function releaseBodyKey(compartment, to, versions) {
  const who = to === "joint" ? "joint" : "confidential";
  if ((versions || 1) < 2) return `participant.docs.release_${who}_body`;
  if (who === "joint" && String(compartment).startsWith("confidential:")) {
    return "participant.docs.release_joint_body_latest_kept";
  }
  return `participant.docs.release_${who}_body_latest`;
}
