// node --test tests/js/: a document's versions as the panel lists them (js/documents/versions.js).
import assert from "node:assert/strict";
import test from "node:test";

import { readFileSync } from "node:fs";

import {
  releaseBodyKey, uploadedAs, versionEntries, versionFileName, versionKept, versionsStale,
} from "../../gateway/webclient/js/documents/versions.js";

const view = (version, size) => ({ document: "d1", version, size, filename: "Lease.pdf" });

test("versions are numbered from the oldest and the newest is the latest", () => {
  const reply = { document: { ...view("v3", 30), versions: 3 }, versions: [view("v3", 30), view("v2", 20), view("v1", 10)] };
  const entries = versionEntries(reply);
  assert.deepEqual(entries.map((e) => [e.version, e.number, e.latest]),
    [["v3", 3, true], ["v2", 2, false], ["v1", 1, false]]);
  assert.equal(entries[1].size, 20);
  assert.deepEqual(versionEntries({ document: view("v1", 1), versions: [] }), []);
  assert.deepEqual(versionEntries(null), []);
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
  const docs = [{ document: "d1", version: "v3", versions: 3 }, { document: "d2", version: "w1" }];
  assert.equal(uploadedAs(docs, { document: "d1", version: "v3" }), 3);
  assert.equal(uploadedAs(docs, { document: "d2", version: "w1" }), null); // a first version
  assert.equal(uploadedAs(docs, { document: "d1", version: "v2" }), null); // a newer one came
  assert.equal(uploadedAs(docs, { document: "d9", version: "x" }), null); // not listed (yet)
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
      assert.ok(words.includes("{name}") && (versions < 2 || words.includes("{number}")), words);
    }
  }
  const en = JSON.parse(readFileSync(new URL("../../gateway/webclient/i18n/en/participant.json",
    import.meta.url), "utf8"));
  assert.ok(en["participant.docs.release_joint_body_latest"].startsWith(
    "The latest version of “{name}” (version {number}) will be shared with everyone. "
    + "Earlier versions stay with your side."));
});
