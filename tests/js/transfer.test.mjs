// node --test tests/js/: pure helpers of the documents panel.
import assert from "node:assert/strict";
import test from "node:test";

import {
  CHUNK_BYTES, IN_PAGE_DOWNLOAD_MAX, RateMeter, cleanFileName, compartmentTabs, downloadsInPage, nextChunk,
  refusal, releaseTargets, retriedRows, sizeParts, sizesApart,
} from "../../gateway/webclient/js/documents/transfer.js";

test("speed and time left come from a sliding window", () => {
  const meter = new RateMeter(5000);
  assert.equal(meter.rate(), null);
  meter.add(0, 0);
  meter.add(1_000_000, 1000);
  assert.equal(meter.rate(), 1_000_000);
  assert.equal(meter.secondsLeft(5_000_000), 4);
  meter.add(1_000_000, 7000); // a stall: the window forgets the old burst
  assert.ok(meter.rate() < 200_000);
});

test("sizes read like a file manager's", () => {
  assert.deepEqual(sizeParts(0), { value: 0, unit: "B" });
  assert.deepEqual(sizeParts(52_428_800), { value: 52.4, unit: "MB" });
  assert.deepEqual(sizeParts(2 * 1024 ** 3), { value: 2.1, unit: "GB" });
});

test("a file over the limit and the limit never read alike", () => {
  assert.deepEqual(sizesApart(2.1e9, 2e9), [{ value: 2.1, unit: "GB" }, { value: 2, unit: "GB" }]);
  // One byte over 2 GiB: both "2.1 GB" rounded, so both exact.
  assert.deepEqual(sizesApart(2 * 1024 ** 3 + 1, 2 * 1024 ** 3),
    [{ value: 2147483649, unit: "B" }, { value: 2147483648, unit: "B" }]);
});

test("file names lose folders and control characters", () => {
  assert.equal(cleanFileName("../../etc/pass\u0000wd"), "passwd");
  assert.equal(cleanFileName("C:\\Users\\me\\report\u0007.pdf"), "report.pdf");
  assert.equal(cleanFileName("..."), "document");
  assert.equal(cleanFileName("x".repeat(300)).length, 255);
});

test("a download the tab would have to hold whole goes to the browser's download manager", () => {
  assert.equal(downloadsInPage(50 * 1024 * 1024), true);
  assert.equal(downloadsInPage(IN_PAGE_DOWNLOAD_MAX), true);
  assert.equal(downloadsInPage(IN_PAGE_DOWNLOAD_MAX + 1), false);
  assert.equal(downloadsInPage(2 * 1024 ** 3), false);
  assert.ok(IN_PAGE_DOWNLOAD_MAX <= 512 * 1024 * 1024, "a tab holds at most this much");
});

test("empty and oversized files are refused before sending", () => {
  assert.equal(refusal({ size: 0 }, 10), "empty");
  assert.equal(refusal({ size: 11 }, 10), "too_large");
  assert.equal(refusal({ size: 10 }, 10), null);
});

test("tabs and release targets follow the compartments of DESIGN §1", () => {
  const party = compartmentTabs("party", "S1");
  assert.deepEqual(party.map((x) => x.key), ["joint", "side", "confidential"]);
  assert.ok(party[1].match("side:S1") && !party[1].match("side:S2"));
  assert.deepEqual(compartmentTabs("observer", null).map((x) => x.upload), [null]);
  assert.deepEqual(compartmentTabs("mediator", null).map((x) => x.key),
    ["joint", "confidential_in", "notes"]);
  // A mediator who knows the sides reads each side's confidences in a tab of its own.
  const sides = [{ id: "S1", name: "Claimant" }, { id: "S2", name: "Respondent" }];
  const med = compartmentTabs("mediator", null, sides);
  assert.deepEqual(med.map((x) => x.key), ["joint", "confidential_from:S1", "confidential_from:S2", "notes"]);
  assert.ok(med[1].match("confidential:S1") && !med[1].match("confidential:S2"));
  assert.ok(med[2].match("confidential:S2") && !med[2].match("confidential:S1"));
  assert.equal(med[1].side.name, "Claimant");
  assert.deepEqual(med.map((x) => x.upload), ["joint", null, null, "mediator"]);
  assert.deepEqual(releaseTargets("side:S1", "S1"), ["joint", "confidential:S1"]);
  assert.deepEqual(releaseTargets("confidential:S1", "S1"), ["joint"]);
  assert.deepEqual(releaseTargets("side:S2", "S1"), []);
  assert.deepEqual(releaseTargets("joint", "S1"), []);
});

test("appends cover the file exactly once", () => {
  const size = 2 * CHUNK_BYTES + 5;
  let offset = 0;
  const parts = [];
  for (;;) {
    const c = nextChunk(offset, size);
    parts.push(c.end - c.start);
    offset = c.end;
    if (c.last) break;
  }
  assert.equal(parts.reduce((a, b) => a + b), size);
  assert.equal(parts.length, 3);
  assert.deepEqual(parts, [CHUNK_BYTES, CHUNK_BYTES, 5]);
  assert.equal(CHUNK_BYTES % 65536, 0, "whole 64 KiB segments: nothing re-sent between appends");
});

test("a new upload replaces only the failed row of the same file under the same tab", () => {
  const rows = [
    { kind: "upload", name: "Our strategy.txt", state: "failed", tab: "side" },
    { kind: "upload", name: "empty.txt", state: "failed", tab: "joint" },
    { kind: "upload", name: "huge.bin", state: "failed", tab: "joint" },
    { kind: "upload", name: "empty.txt", state: "sending", tab: "joint" },
    { kind: "download", name: "empty.txt", state: "failed", tab: "joint" },
  ];
  // Another file to "Joint": every refusal stays, "Our side"'s too.
  assert.deepEqual(retriedRows(rows, "joint", ["Site photo.png"]), []);
  // The same file again, to the same tab: its failed row (only) makes way.
  assert.deepEqual(retriedRows(rows, "joint", ["empty.txt"]), [rows[1]]);
  // The same name to another tab is another upload: the refusal under "Joint" stays.
  assert.deepEqual(retriedRows(rows, "side", ["empty.txt", "huge.bin"]), []);
  assert.deepEqual(retriedRows(rows, "side", ["Our strategy.txt"]), [rows[0]]);
});
