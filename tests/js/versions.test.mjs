// node --test tests/js/: a document's versions as the panel lists them (js/documents/versions.js).
import assert from "node:assert/strict";
import test from "node:test";

import { versionEntries, versionFileName, versionsStale } from "../../gateway/webclient/js/documents/versions.js";

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
});
