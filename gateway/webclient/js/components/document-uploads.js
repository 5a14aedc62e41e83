// Uploads into the documents panel (documents-panel.js `panel`): the drop zone and picker's
// files, each a transfer row (a refused file a failed one, until dismissed or the same file is
// uploaded again to the same tab),
// uploaded with progress, cancel and resume (documents/upload.js); a finished one says which
// version it became, read from the list the upload's own refresh brought.

import { describe } from "../core/errors.js";
import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { cleanFileName, refusal, retriedRows, sizesApart } from "../documents/transfer.js";
import { Upload } from "../documents/upload.js";
import { uploadTold, uploadedAs } from "../documents/versions.js";
import { TransferRow, formatSizeParts } from "./transfer-row.js";

// Made once (documents-panel.js: shown, hidden and relabelled, never moved). Enter opens the
// picker as Space does, as on the button it looks like (a file input answers only Space in
// Chromium, and ignores its own click() while its key is down: its label's click opens it).
export function dropZone(panel) {
  panel.picker.onkeydown = (event) => {
    if (event.key !== "Enter" || event.repeat) return;
    event.preventDefault();
    event.target.labels?.[0]?.click();
  };
  // The hidden input before its label: Tab reaches the input, and the label after it shows
  // the focus ring (css: .file-drop input:focus-visible + label).
  const zone = h("div", { class: "file-drop" }, h("p"), panel.picker,
    h("label", { for: panel.picker.id, class: "button" }));
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    uploadFiles(panel, [...event.dataTransfer.files]);
  });
  return zone;
}

// Each file's row under the tab it goes to (the one open now), wherever the person goes next.
export function uploadFiles(panel, files) {
  const { key: tab, upload: compartment } = panel.tab();
  if (!compartment) return;
  panel.say(null);
  // A file tried again replaces its failed row; every other failed row stays until dismissed.
  const rows = panel.rows.map((row) => ({ row, kind: row.kind, name: row.name,
    state: row.el.dataset.state, tab: row.el.dataset.tab }));
  const again = files.map((file) => cleanFileName(file.name));
  for (const { row } of retriedRows(rows, tab, again)) row.dismiss();
  for (const file of files) uploadOne(panel, file, compartment, tab);
}

async function uploadOne(panel, file, compartment, tab) {
  const name = cleanFileName(file.name);
  const refused = refusal(file, panel.maxBytes);
  const row = new TransferRow({ name, kind: "upload" });
  if (refused) {
    panel.track(row, tab);
    row.refused(refused === "too_large" ? tooLarge(panel, file.size)
      : () => t("participant.docs.refused_empty"));
    return;
  }
  const upload = new Upload({ hearing: panel.hearing, file, name, compartment,
    onProgress: (p) => row.progress(p), onState: (s) => row.state(s) });
  row.onCancel = () => upload.cancel();
  panel.track(row, tab);
  try {
    const view = await upload.start();
    await panel.refreshFor(view.document); // the list says which version it became
    const told = { version: view.version, compartment: view.compartment, name,
      number: await uploadedNumber(panel, view) };
    row.told = told;
    row.done(() => {
      const { key, params } = uploadTold(told, panel.docs.find((d) => d.document === view.document));
      return t(key, params);
    });
  } catch (error) {
    if (error.code === "cancelled") row.done(() => t("participant.docs.cancelled", { name }));
    else if (error.reason === "name_in_other_compartment") row.fail(() => panel.elsewhere(name));
    else if (error.reason === "document_too_large" && panel.maxBytes) row.fail(tooLarge(panel, file.size));
    else row.fail(() => describe(error, "participant.docs_upload"));
  }
}

// The number an upload became, or null (read from its list of versions, if it has more).
async function uploadedNumber(panel, view) {
  const doc = panel.docs.find((d) => d.document === view.document);
  return doc && doc.version === view.version && doc.versions > 1
    ? uploadedAs(await panel.versions.reply(doc).catch(() => null), view) : null;
}

// "This file is 2.1 GB; the most a document may be is 2 GB."
function tooLarge(panel, size) {
  const sizes = sizesApart(size, panel.maxBytes);
  return () => t("participant.docs.refused_too_large", { size: formatSizeParts(sizes[0]), limit: formatSizeParts(sizes[1]) });
}
