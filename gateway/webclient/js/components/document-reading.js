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

// The content URL `url` (which may carry `?version=`), declaring why the bytes are read:
// "view" (shown in the page) or "download" (saved). The server records it in the audit entry,
// so an auditor tells "opened it in the page" from "took a copy".
export function withPurpose(url, purpose) {
  return `${url}${url.includes("?") ? "&" : "?"}purpose=${purpose}`;
}

// Straight to disk by the browser (same-origin link). The server's Content-Disposition names
// the file, not `download`: an earlier version's URL carries the label of its name (`label=`).
function saveByBrowser(url, name) {
  const link = h("a", { href: withPurpose(url, "download"), download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
}

// Save the bytes at `url` as `name`; `track(row)` shows the transfer row in the panel.
export async function downloadDocument({ url, name, size, track }) {
  const row = new TransferRow({ name, kind: "download" });
  if (!downloadsInPage(size)) {
    saveByBrowser(url, name);
    track(row);
    row.done(() => t("participant.docs.download_browser", { name }));
    return;
  }
  const controller = new AbortController();
  row.onCancel = () => controller.abort();
  track(row);
  try {
    const blob = await download(withPurpose(url, "download"), { signal: controller.signal, onProgress: (p) => row.progress(p) });
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
// the bytes (declared as a view) and shows them from a blob: URL of its own. The viewer's
// Download asks the server again, as a download, rather than saving the copy the page holds:
// taking a copy is then audited as one (read into the page, as the viewer admits only files
// the page may hold, so that it is saved under the version's own name).
export async function viewDocument({ url, contentType, title, filename, returnFocus }) {
  const blob = await download(withPurpose(url, "view"));
  const format = inlineFormat(contentType, new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer()));
  if (!format) return false;
  showDocument({ title, blob, format, returnFocus, onDownload: async () => saveBlob(await download(withPurpose(url, "download")), filename) });
  return true;
}
