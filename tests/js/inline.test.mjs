// node --test tests/js/: which documents the page shows inline (js/documents/inline.js).
import assert from "node:assert/strict";
import test from "node:test";

import { SNIFF_BYTES, baseType, inlineFormat, viewable } from "../../gateway/webclient/js/documents/inline.js";

const bytes = (text, ...more) => new Uint8Array([...Buffer.from(text, "latin1"), ...more]);
const PDF = bytes("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj");
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);
const GIF = bytes("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff");
const WEBP = bytes("RIFF\x24\x00\x00\x00WEBPVP8 ");
const HTML = bytes("<!doctype html><script>alert(1)</script>");
const SVG = bytes("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>");

test("PDFs and raster images are shown as the format their bytes are", () => {
  assert.deepEqual(inlineFormat("application/pdf", PDF), { type: "application/pdf", kind: "pdf" });
  assert.deepEqual(inlineFormat("image/png", PNG), { type: "image/png", kind: "image" });
  assert.deepEqual(inlineFormat("image/jpeg", JPEG), { type: "image/jpeg", kind: "image" });
  assert.deepEqual(inlineFormat("image/gif", GIF), { type: "image/gif", kind: "image" });
  assert.deepEqual(inlineFormat("image/webp", WEBP), { type: "image/webp", kind: "image" });
  assert.deepEqual(inlineFormat("Application/PDF; name=x.pdf", PDF), { type: "application/pdf", kind: "pdf" });
  assert.ok(SNIFF_BYTES >= 12, "WebP needs 12 bytes to be told apart from other RIFF files");
});

test("HTML, SVG, XML and scripts are never shown, whatever they are declared as", () => {
  for (const type of ["text/html", "image/svg+xml", "application/xhtml+xml", "text/xml",
    "application/xml", "text/javascript", "text/plain", "application/octet-stream", "", null,
    "image/svg+xml; charset=utf-8", "image/bmp", "image/x-icon", "application/x-pdf"]) {
    assert.equal(viewable(type), false, type);
    assert.equal(inlineFormat(type, SVG), null, type);
    assert.equal(inlineFormat(type, HTML), null, type);
    assert.equal(inlineFormat(type, PDF), null, type);
  }
});

test("bytes that are not what they are declared as are not shown", () => {
  assert.equal(inlineFormat("application/pdf", HTML), null);
  assert.equal(inlineFormat("application/pdf", SVG), null);
  assert.equal(inlineFormat("image/png", HTML), null);
  assert.equal(inlineFormat("image/png", JPEG), null);
  assert.equal(inlineFormat("image/jpeg", PNG), null);
  assert.equal(inlineFormat("image/webp", bytes("RIFF\x24\x00\x00\x00WAVEfmt ")), null);
  assert.equal(inlineFormat("application/pdf", bytes("%PD")), null); // too short to tell
  assert.equal(inlineFormat("application/pdf", new Uint8Array()), null);
  assert.equal(inlineFormat("application/pdf", null), null);
  // The magic must open the file: a PDF signature further in does not make HTML a PDF.
  assert.equal(inlineFormat("application/pdf", bytes("<html>%PDF-1.7")), null);
});

test("the offered types are exactly the inline ones", () => {
  for (const type of ["application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"]) {
    assert.equal(viewable(type), true, type);
    assert.equal(baseType(` ${type.toUpperCase()} ; q=1`), type);
  }
});
