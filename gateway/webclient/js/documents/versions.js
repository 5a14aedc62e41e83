// A document's versions as the documents panel lists them (GET …/documents/{d}/versions), and
// the name each is saved under. No DOM and no network (tests/js/versions.test.mjs).

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
// the document gained (or lost) a version, or its latest is another one.
export function versionsStale(known, doc) {
  return !known || known.latest !== doc.version || known.count !== (doc.versions || 1);
}
