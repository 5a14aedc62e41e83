// Reading a document from the documents panel, the latest version or any one version: its bytes
// downloaded with a transfer row (or, when large, by the browser itself), or shown in the page.

import { describe } from "../core/errors.js";
import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { SNIFF_BYTES, inlineFormat } from "../documents/inline.js";
import { downloadsInPage } from "../documents/transfer.js";
import { download, saveBlob } from "../documents/upload.js";
import { showDocument } from "./document-viewer.js";
import { TransferRow } from "./transfer-row.js";

// Save the bytes at `url` as `name`; `track(row)` shows the transfer row in the panel.
export async function downloadDocument({ url, name, size, track }) {
  const row = new TransferRow({ name, kind: "download" });
  if (!downloadsInPage(size)) {
    // Straight to disk by the browser (same-origin link, the server's Content-Disposition).
    const link = h("a", { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    track(row);
    row.done(() => t("participant.docs.download_browser", { name }));
    return;
  }
  const controller = new AbortController();
  row.onCancel = () => controller.abort();
  track(row);
  try {
    const blob = await download(url, { signal: controller.signal, onProgress: (p) => row.progress(p) });
    saveBlob(blob, name);
    row.done(() => t("participant.docs.downloaded", { name }));
  } catch (error) {
    if (error.name === "AbortError") row.done(() => t("participant.docs.cancelled", { name }));
    else row.fail(() => describe(error, "participant.docs_download"));
  }
}

// Show the bytes at `url` in the page (document-viewer.js) if they are a PDF or an image that
// is what `contentType` says (inline.js): → true once shown, false when they may not be shown
// here; a failed read throws its ApiError. The content URL stays an attachment: the page reads
// the bytes and shows them from a blob: URL of its own.
export async function viewDocument({ url, contentType, title, filename, returnFocus }) {
  const blob = await download(url);
  const format = inlineFormat(contentType, new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer()));
  if (!format) return false;
  showDocument({ title, filename, blob, format, returnFocus });
  return true;
}
