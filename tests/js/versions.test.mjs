// node --test tests/js/: a document's versions as the panel lists them (js/documents/versions.js).
import assert from "node:assert/strict";
import test from "node:test";

import { readFileSync } from "node:fs";

import {
  audienceWidth, releaseBodyKey, releaseNumbers, uploadTold, uploadedAs, versionEntries, versionFileName,
  versionKept, versionsStale,
} from "../../gateway/webclient/js/documents/versions.js";

const view = (version, size, compartment = "joint") => ({ document: "d1", version, size, filename: "Lease.pdf",
  compartment });

// The reply of GET …/versions as evidence gives it to a reader: the versions they may read,
// newest first. `all`: every version, oldest first, as [id, compartment].
function replyFor(all, mayRead) {
  const versions = all.filter(([, c]) => mayRead(c)).map(([id, c]) => view(id, 1, c)).reverse();
  const [latest, where] = all[all.length - 1];
  return { document: { ...view(latest, 1, where), versions: versions.length }, versions };
}
const P = (c) => c === "joint" || c.endsWith(":P");
const Q = (c) => c === "joint" || c.endsWith(":Q");
const MEDIATOR = (c) => c === "joint" || c === "mediator" || c.startsWith("confidential:");

test("versions are numbered from the oldest and the newest is the latest", () => {
  const reply = { document: { ...view("v3", 30), versions: 3 }, versions: [view("v3", 30), view("v2", 20), view("v1", 10)] };
  const entries = versionEntries(reply);
  assert.deepEqual(entries.map((e) => [e.version, e.number, e.latest, e.audience, e.narrower]),
    [["v3", 3, true, null, false], ["v2", 2, false, null, false], ["v1", 1, false, null, false]]);
  assert.equal(entries[1].size, 20);
  assert.deepEqual(versionEntries({ document: view("v1", 1), versions: [] }), []);
  assert.deepEqual(versionEntries(null), []);
});

test("audiences are ordered by who may read them", () => {
  assert.deepEqual(["side:P", "mediator", "confidential:P", "joint"].map(audienceWidth), [1, 1, 2, 3]);
});

test("every reader gives a version the same number: it is counted within its audience", () => {
  // Party P uploads v1 and v2 of "X.pdf" to "Our side", shares v2 with everyone, then uploads
  // v3 in Joint. Q and the mediator never learn of v1; P's list mixes audiences and says so.
  const all = [["v1", "side:P"], ["v2", "joint"], ["v3", "joint"]];
  const said = (mayRead) => versionEntries(replyFor(all, mayRead))
    .map((e) => [e.version, e.number, e.latest, e.audience, e.narrower]);
  assert.deepEqual(said(P), [["v3", 2, true, "joint", false], ["v2", 1, false, "joint", false],
    ["v1", 1, false, "side", true]]);
  assert.deepEqual(said(Q), [["v3", 2, true, null, false], ["v2", 1, false, null, false]]);
  assert.deepEqual(said(MEDIATOR), said(Q));
  // What the release of v2 said to P, what v3's upload said to P, what Q's download is named.
  const beforeRelease = replyFor([["v1", "side:P"], ["v2", "side:P"]], P);
  assert.deepEqual(releaseNumbers(beforeRelease, "joint"), { number: 2, shared: 1 });
  assert.equal(uploadedAs(replyFor(all, P), { document: "d1", version: "v3" }), 2);
  const [, v2ForQ] = versionEntries(replyFor(all, Q));
  assert.equal(versionFileName("X.pdf", v2ForQ.number, v2ForQ.latest), "X (v1).pdf");
  const [, v2ForP, v1ForP] = versionEntries(replyFor(all, P));
  assert.equal(versionFileName("X.pdf", v2ForP.number, v2ForP.latest), "X (v1).pdf");
  assert.equal(versionFileName("X.pdf", v1ForP.number, v1ForP.latest, "our side"), "X (v1, our side).pdf");
});

test("a confidential document shared later: side, mediator and other sides agree", () => {
  // P: v1 and v2 kept to the side, v3 and v4 with the mediator in confidence, v5 for everyone.
  const all = [["v1", "side:P"], ["v2", "side:P"], ["v3", "confidential:P"], ["v4", "confidential:P"],
    ["v5", "joint"]];
  const numbers = (mayRead) => Object.fromEntries(versionEntries(replyFor(all, mayRead))
    .map((e) => [e.version, [e.number, e.audience]]));
  const p = numbers(P);
  const mediator = numbers(MEDIATOR);
  const q = numbers(Q);
  assert.deepEqual(p, { v5: [1, "joint"], v4: [2, "confidential"], v3: [1, "confidential"],
    v2: [2, "side"], v1: [1, "side"] });
  assert.deepEqual(mediator, { v5: [1, "joint"], v4: [2, "confidential"], v3: [1, "confidential"] });
  assert.deepEqual(q, { v5: [1, null] });
  for (const [version, [number]] of Object.entries(mediator)) assert.equal(p[version][0], number, version);
  // Before v5: sharing v4 with everyone made it their first; before v3, v2 the mediator's first.
  assert.deepEqual(releaseNumbers(replyFor(all.slice(0, 4), P), "joint"), { number: 2, shared: 1 });
  assert.deepEqual(releaseNumbers(replyFor(all.slice(0, 2), P), "confidential:P"), { number: 2, shared: 1 });
  assert.equal(releaseNumbers({ versions: [] }, "joint"), null);
});

test("an earlier version is saved under a name of its own", () => {
  assert.equal(versionFileName("Lease.pdf", 3, true), "Lease.pdf");
  assert.equal(versionFileName("Lease.pdf", 2, false), "Lease (v2).pdf");
  assert.equal(versionFileName("bundle.tar.gz", 1, false), "bundle.tar (v1).gz");
  assert.equal(versionFileName("README", 1, false), "README (v1)");
  assert.equal(versionFileName(".profile", 1, false), ".profile (v1)");
  assert.equal(versionFileName("調解 記錄.docx", 4, false), "調解 記錄 (v4).docx");
});

test("an open list is read again when the document changed", () => {
  const known = { latest: "v2", count: 2 };
  assert.equal(versionsStale(known, { version: "v2", versions: 2 }), false);
  assert.equal(versionsStale(known, { version: "v3", versions: 3 }), true);
  assert.equal(versionsStale(known, { version: "v2", versions: 3 }), true); // a version released to you
  assert.equal(versionsStale(null, { version: "v2", versions: 2 }), true);
  // Its latest shared: the list says again who sees each version.
  const shared = { latest: "v2", count: 2, compartment: "side:S1" };
  assert.equal(versionsStale(shared, { version: "v2", versions: 2, compartment: "side:S1" }), false);
  assert.equal(versionsStale(shared, { version: "v2", versions: 2, compartment: "joint" }), true);
});

test("a version kept where its document no longer is says who sees it", () => {
  // A release widens the latest version only: earlier ones stay where they were.
  assert.equal(versionKept("side:S1", "joint", "party"), "only_side");
  assert.equal(versionKept("side:S1", "confidential:S1", "counsel"), "only_side");
  assert.equal(versionKept("confidential:S1", "joint", "party"), "with_mediator");
  assert.equal(versionKept("confidential:S1", "joint", "mediator"), "in_confidence");
  assert.equal(versionKept("joint", "joint", "party"), null);
  assert.equal(versionKept("side:S1", "side:S1", "party"), null);
  assert.equal(versionKept(undefined, "joint", "party"), null);
});

test("an upload names the version it became once the list shows it as the latest", () => {
  const reply = { document: { ...view("v3", 3), versions: 3 }, versions: [view("v3", 3), view("v2", 2), view("v1", 1)] };
  assert.equal(uploadedAs(reply, { document: "d1", version: "v3" }), 3);
  assert.equal(uploadedAs({ document: view("w1", 1), versions: [view("w1", 1)] },
    { document: "d1", version: "w1" }), null); // a first version
  assert.equal(uploadedAs(reply, { document: "d1", version: "v2" }), null); // a newer one came
  assert.equal(uploadedAs(reply, { document: "d1", version: "x" }), null); // not listed (yet)
  assert.equal(uploadedAs(null, { document: "d1", version: "v3" }), null);
});

test("sharing a document with versions says the latest alone goes, in every language", () => {
  assert.equal(releaseBodyKey("side:S1", "joint", 1), "participant.docs.release_joint_body");
  assert.equal(releaseBodyKey("side:S1", "confidential:S1", undefined),
    "participant.docs.release_confidential_body");
  assert.equal(releaseBodyKey("side:S1", "joint", 2), "participant.docs.release_joint_body_latest");
  assert.equal(releaseBodyKey("side:S1", "confidential:S1", 3),
    "participant.docs.release_confidential_body_latest");
  assert.equal(releaseBodyKey("confidential:S1", "joint", 2),
    "participant.docs.release_joint_body_latest_kept");
  for (const lang of ["en", "zh-Hant", "zh-Hans"]) {
    const catalog = JSON.parse(readFileSync(new URL(
      `../../gateway/webclient/i18n/${lang}/participant.json`, import.meta.url), "utf8"));
    for (const [compartment, to, versions] of [["side:S1", "joint", 2], ["side:S1", "confidential:S1", 2],
      ["confidential:S1", "joint", 2], ["side:S1", "joint", 1], ["side:S1", "confidential:S1", 1]]) {
      const words = catalog[releaseBodyKey(compartment, to, versions)];
      assert.equal(typeof words, "string", `${lang}: ${compartment} → ${to}`);
      assert.ok(words.includes("{name}") && (versions < 2 || (words.includes("{number}")
        && words.includes("{shared}"))), words);
      // Shared with joint: who will read it is named (release-audience.js), never "everyone".
      if (to === "joint") assert.ok(words.includes("{audience}"), words);
    }
  }
  const en = JSON.parse(readFileSync(new URL("../../gateway/webclient/i18n/en/participant.json",
    import.meta.url), "utf8"));
  assert.ok(en["participant.docs.release_joint_body_latest"].startsWith(
    "The latest version of “{name}” (your side's version {number}) will be shared: {audience} will "
    + "be able to read it, as version {shared}. Earlier versions stay with your side."));
});

test("a finished upload's line follows its version once shared, in every language", () => {
  // P uploads a second version of "X.pdf" to its side ("uploaded as version 2"), then shares it
  // with the mediator in confidence: the mediator's first; later with everyone: their first.
  const upload = { version: "v2", compartment: "side:P", name: "X.pdf", number: 2 };
  const listed = (compartment, counts = {}) => ({ document: "d1", version: "v2", compartment, ...counts });
  assert.deepEqual(uploadTold(upload, listed("side:P", { versions: 2 })),
    { key: "participant.docs.uploaded_version", params: { name: "X.pdf", number: 2 } });
  assert.deepEqual(uploadTold(upload, listed("confidential:P", { versions: 2, side_versions: 1 })), {
    key: "participant.docs.uploaded_version_shared_confidential", params: { name: "X.pdf", number: 2, shared: 1 } });
  assert.deepEqual(uploadTold(upload, listed("joint", { versions: 2, side_versions: 1 })), {
    key: "participant.docs.uploaded_version_shared_joint", params: { name: "X.pdf", number: 2, shared: 1 } });
  // Joint already had a version of it: the shared one is everyone's second.
  assert.equal(uploadTold(upload, listed("joint", { versions: 3, side_versions: 1 })).params.shared, 2);
  // A first version has no number, before or after.
  const first = { ...upload, number: null };
  assert.equal(uploadTold(first, listed("side:P")).key, "participant.docs.uploaded");
  assert.deepEqual(uploadTold(first, listed("joint")),
    { key: "participant.docs.uploaded_shared_joint", params: { name: "X.pdf" } });
  // A newer version came (it is not the one shared), or the document is not listed: as it was.
  assert.equal(uploadTold(upload, { ...listed("joint"), version: "v3" }).key, "participant.docs.uploaded_version");
  assert.equal(uploadTold(upload, undefined).key, "participant.docs.uploaded_version");
  for (const lang of ["en", "zh-Hant", "zh-Hans"]) {
    const catalog = JSON.parse(readFileSync(new URL(
      `../../gateway/webclient/i18n/${lang}/participant.json`, import.meta.url), "utf8"));
    for (const to of ["joint", "confidential"]) {
      const numbered = catalog[`participant.docs.uploaded_version_shared_${to}`];
      assert.ok(["{name}", "{number}", "{shared}"].every((p) => numbered.includes(p)), `${lang}: ${numbered}`);
      assert.ok(catalog[`participant.docs.uploaded_shared_${to}`].includes("{name}"), lang);
    }
  }
});
