// A document's versions as the documents panel lists them (GET …/documents/{d}/versions), the
// name each is saved under, who sees each, and what sharing one says. No DOM and no network
// (tests/js/versions.test.mjs).
//
// Numbering: a version is numbered within its audience, counting in upload order only the
// versions of its width (`side:X` or `mediator` narrowest, `confidential:X`, `joint`). Versions
// never narrow (a new one goes where the latest is; a release widens the latest) and whoever
// reads a version reads all of its width, so every reader gives it the same number. A global
// count would tell other sides how many drafts a side kept. Mixed lists name each row's audience.

// The width of a compartment's audience: 1 one side (or the mediator), 2 with the mediator, 3 all.
export function audienceWidth(c) {
  return c === "joint" ? 3 : String(c).startsWith("confidential:") ? 2 : 1;
}

// Each version's number within its audience, as above, for compartments in upload order (oldest
// first): the audit numbers versions the same way (js/audit/versions.js), so it can say which
// number a version's readers knew it by.
export function audienceNumbers(compartments) {
  const seen = new Map(); // width → versions of it so far
  return compartments.map((c) => {
    const width = audienceWidth(c);
    seen.set(width, (seen.get(width) ?? 0) + 1);
    return seen.get(width);
  });
}

// What a document's row counts (its listing's `versions`, `side_versions` and
// `confidential_versions`): `shared`, the versions every reader of the document reads (those of
// its latest's width), the same number on every side; and the reader's own narrower ones, by
// kind: `side` (their side's alone), `confidential` (their side's and the mediator's). A bare
// total would differ between sides, as a side also reads its own drafts.
export function versionCounts(doc) {
  const all = (doc && doc.versions) || 1;
  const side = (doc && doc.side_versions) || 0;
  const confidential = (doc && doc.confidential_versions) || 0;
  return { all, shared: Math.max(1, all - side - confidential), side, confidential };
}

// The reply's versions, newest first, numbered as above, the newest `latest`; `audience`
// ("joint", "confidential", "side", "mediator") in a mixed list, else null; `narrower`: in a
// narrower audience than the latest.
export function versionEntries(reply) {
  const versions = (reply && reply.versions) || [];
  const latest = reply && reply.document ? reply.document.version : versions[0]?.version;
  const widths = versions.map((v) => audienceWidth(v.compartment));
  const widest = Math.max(audienceWidth(reply?.document?.compartment), ...widths);
  const mixed = new Set(widths).size > 1;
  const numbers = audienceNumbers(versions.map((v) => v.compartment).reverse()).reverse();
  return versions.map((v, i) => ({
    ...v, number: numbers[i], latest: v.version === latest,
    audience: mixed ? v.compartment.split(":")[0] : null, narrower: widths[i] < widest,
  }));
}

// The label an earlier version's file name carries ("v2", "v1, our side": `tag`, a narrower
// one), or null: the latest keeps the document's own name.
export function fileLabel(number, latest, tag = null) {
  if (latest) return null;
  return tag ? `v${number}, ${tag}` : `v${number}`;
}

// The name an earlier version is saved under: "Lease (v2).pdf", "Lease (v1, our side).pdf".
// The gateway names a file the browser saves itself the same way, given the label
// (`…/content?label=`, gateway/api/documents.py `labelled_name`).
export function versionFileName(filename, number, latest, tag = null) {
  const label = fileLabel(number, latest, tag);
  if (!label) return filename;
  const dot = filename.lastIndexOf(".");
  return dot > 0 ? `${filename.slice(0, dot)} (${label})${filename.slice(dot)}` : `${filename} (${label})`;
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

// The number an upload became (from the list read after it), or null: the only version, or not
// the latest.
export function uploadedAs(reply, view) {
  const entries = versionEntries(reply);
  const entry = view && entries.find((v) => v.version === view.version);
  return entry && entry.latest && entries.length > 1 ? entry.number : null;
}

// What a finished upload's line says (a catalogue key and its values), against the document
// as listed now (`doc`, or undefined): "uploaded as version 2" (`upload.number` null: no
// number), until that version is shared, by this person or another of the side, when its
// number follows its new audience: then where it went, and that number (the listing's shared
// count: a shared version is the newest of its audience). `upload`: {version, compartment,
// name, number}, as the upload left it.
export function uploadTold(upload, doc) {
  const { name, number } = upload;
  const moved = doc && doc.version === upload.version && doc.compartment !== upload.compartment;
  const to = !moved ? null : doc.compartment === "joint" ? "joint"
    : String(doc.compartment).startsWith("confidential:") ? "confidential" : null;
  if (!to) {
    return number ? { key: "participant.docs.uploaded_version", params: { name, number } }
      : { key: "participant.docs.uploaded", params: { name } };
  }
  return number ? { key: `participant.docs.uploaded_version_shared_${to}`,
    params: { name, number, shared: versionCounts(doc).shared } }
    : { key: `participant.docs.uploaded_shared_${to}`, params: { name } };
}

// Sharing the latest version: its `number` now, and the one (`shared`) its new audience `to`
// will give it; null when the list does not show the latest.
export function releaseNumbers(reply, to) {
  const latest = versionEntries(reply).find((v) => v.latest);
  if (!latest) return null;
  const width = audienceWidth(to);
  const already = (reply.versions || []).filter((v) => v.version !== latest.version
    && audienceWidth(v.compartment) === width).length;
  return { number: latest.number, shared: already + 1 };
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
