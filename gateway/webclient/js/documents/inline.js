// Which documents the page may show inline, and as what. PDFs and raster images only: never
// HTML, SVG, XML or anything else a browser could run, since bytes shown from a blob: URL the
// page made belong to the page's own origin. Two checks, both needed: the type the uploader
// declared is one of these, and the bytes begin as that format's do. The type the page gives the
// bytes (its Blob) is the one named here, never the declared string, so a browser never meets a
// type it would render as a document of its own. No DOM and no network (tests/js/inline.test.mjs).

const ascii = (text) => [...text].map((c) => c.charCodeAt(0));

// type → what is shown (the viewer's `kind`) and how the bytes may begin: any one of
// `signatures`, each a list of [offset, bytes] that must all be there.
const FORMATS = new Map([
  ["application/pdf", { kind: "pdf", signatures: [[[0, ascii("%PDF-")]]] }],
  ["image/png", { kind: "image", signatures: [[[0, [0x89, ...ascii("PNG\r\n\x1a\n")]]]] }],
  ["image/jpeg", { kind: "image", signatures: [[[0, [0xff, 0xd8, 0xff]]]] }],
  ["image/gif", { kind: "image", signatures: [[[0, ascii("GIF87a")]], [[0, ascii("GIF89a")]]] }],
  ["image/webp", { kind: "image", signatures: [[[0, ascii("RIFF")], [8, ascii("WEBP")]]] }],
]);

// How many leading bytes `inlineFormat` needs to see.
export const SNIFF_BYTES = 16;

// "Application/PDF; charset=x" → "application/pdf".
export function baseType(contentType) {
  return String(contentType || "").split(";")[0].trim().toLowerCase();
}

// Whether a document declared as `contentType` is offered a View button at all.
export function viewable(contentType) {
  return FORMATS.has(baseType(contentType));
}

function begins(bytes, signature) {
  return signature.every(([at, magic]) => bytes.length >= at + magic.length
    && magic.every((b, i) => bytes[at + i] === b));
}

// {type, kind: "pdf"|"image"} to show bytes beginning with `head` (a Uint8Array, at least
// SNIFF_BYTES long unless the file is shorter) that were declared as `contentType`; null when
// they may not be shown here (not an allowed type, or not what they claim to be).
export function inlineFormat(contentType, head) {
  const type = baseType(contentType);
  const format = FORMATS.get(type);
  if (!format || !head) return null;
  const bytes = head instanceof Uint8Array ? head : new Uint8Array(head);
  return format.signatures.some((s) => begins(bytes, s)) ? { type, kind: format.kind } : null;
}
