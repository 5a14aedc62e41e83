// The in-page viewer of a PDF or an image: a modal dialog titled with the document's name,
// the bytes shown from a blob: URL this page made, with Download and Close. Escape closes it
// (the native <dialog>'s cancel), and focus goes back to what opened it.
//
// Only what documents/inline.js admits is shown: the caller passes its verdict (`format`), and
// the blob is typed with that format's type, never the uploader's. A PDF goes in an <iframe>
// (the browser's own PDF viewer; the CSP admits `frame-src blob:` and nothing else); an image
// in an <img> (`img-src blob:`). The download URL itself stays an attachment.

import { describe } from "../core/errors.js";
import { t } from "../core/i18n.js";
import { h, uid } from "../core/render.js";

// → Promise resolved once the dialog is closed. `title`: the dialog's heading (the document's
// name, and which version); `onDownload()`: what Download does, a promise (document-reading.js
// asks the server for the file, so the copy is audited as a download; a failure is said in the
// dialog); `returnFocus()`: the element
// to focus then (the button that opened it, found afresh: the list may have been redrawn).
export function showDocument({ title, blob, format, returnFocus, onDownload }) {
  return new Promise((resolve) => {
    const typed = new Blob([blob], { type: format.type });
    const url = URL.createObjectURL(typed);
    const titleId = uid("viewer");
    const shown = format.kind === "pdf"
      // Open parameters of the browser's viewer: `navpanes=0`, no thumbnail column, so the page
      // gets the dialog's width; `toolbar=0`, none of its own save and print buttons, which
      // would keep a copy under the blob's id with no entry in the log: the dialog's Download
      // asks the server, so every copy taken is audited (zoom stays on Ctrl + wheel and keys).
      ? h("iframe", { src: `${url}#navpanes=0&toolbar=0`, title, class: "viewer-frame", dataset: { type: format.type } })
      : h("img", { src: url, alt: title, class: "viewer-image" });
    const failure = h("p", { class: "error", role: "alert", hidden: true });
    const download = h("button", { type: "button", class: "button", onclick: async () => {
      download.disabled = true;
      failure.hidden = true;
      try {
        await onDownload();
      } catch (error) {
        failure.textContent = describe(error, "participant.docs_download");
        failure.hidden = false;
      } finally {
        download.disabled = false;
      }
    } }, t("participant.docs.download"));
    const close = h("button", { type: "button", class: "button primary", onclick: () => finish() },
      t("common.close"));
    const dialog = h("dialog", { class: "dialog viewer", "aria-labelledby": titleId,
      dataset: { kind: format.kind } },
    h("div", { class: "viewer-head" }, h("h2", { id: titleId }, title)),
    h("div", { class: "viewer-body" }, shown), failure,
    h("div", { class: "actions" }, download, close));
    let done = false;
    function finish() {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      URL.revokeObjectURL(url);
      const back = returnFocus && returnFocus();
      if (back && back.isConnected) back.focus();
      resolve();
    }
    dialog.addEventListener("cancel", (event) => { event.preventDefault(); finish(); });
    document.body.append(dialog);
    dialog.showModal();
    close.focus();
  });
}
