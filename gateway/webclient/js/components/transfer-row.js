// One upload or download in progress: a labelled progress bar, bytes done of total, speed,
// time left, state ("waiting for the connection…"), and a cancel button. Every word is drawn
// from the row's state, so `relabel()` says it again in a newly chosen language.
// A finished row says what happened and goes away by itself after LINGER_MS (the document is in
// the list by then); a failed one (or a file refused before sending) stays until dismissed.
// The rows of a panel (`TransferList`) each belong to one tab and show under it only.

import { formatCountdown, formatNumber, t } from "../core/i18n.js";
import { h, uid } from "../core/render.js";
import { sizeParts } from "../documents/transfer.js";

export function formatSize(bytes) {
  return formatSizeParts(sizeParts(bytes));
}

export function formatSizeParts({ value, unit }) {
  return t(`participant.docs.unit_${unit}`, { value: formatNumber(value) });
}

function progressWords({ done, total, rate, secondsLeft }) {
  const parts = [t("participant.docs.of", { done: formatSize(done), total: formatSize(total) })];
  if (rate) parts.push(t("participant.docs.speed", { speed: formatSize(rate) }));
  if (secondsLeft !== null && secondsLeft !== undefined) {
    parts.push(t("participant.docs.left", { time: formatCountdown(secondsLeft) }));
  }
  return parts.join(" · ");
}

export const LINGER_MS = 8000;

export class TransferRow {
  constructor({ name, kind }) {
    const labelId = uid("xfer");
    this.name = name;
    this.kind = kind;
    this.bar = h("progress", { max: "100", value: "0", "aria-labelledby": labelId });
    this.detail = h("span", { class: "transfer-detail" });
    this.title = h("span", { id: labelId, class: "transfer-name" });
    this.cancelButton = h("button", { type: "button", class: "button small",
      onclick: () => this.onCancel && this.onCancel() });
    this.el = h("li", { class: "transfer", dataset: { kind, state: "sending" } },
      this.title, this.bar, this.detail, this.cancelButton);
    this.dismissButton = h("button", { type: "button", class: "button small",
      onclick: () => this.dismiss() });
    this.onCancel = null;
    this.onGone = null;
    this.words = () => "";
    this.relabel();
  }

  relabel() {
    // Once finished, the row is named by its file only: the sentence below says what happened.
    const finished = ["done", "failed"].includes(this.el.dataset.state);
    this.title.textContent = finished ? this.name
      : t(`participant.docs.${this.kind === "upload" ? "uploading" : "downloading"}`, { name: this.name });
    this.cancelButton.textContent = t("common.cancel");
    this.dismissButton.textContent = t("participant.docs.dismiss");
    this.detail.textContent = this.words();
  }

  show(words) {
    this.words = words;
    this.detail.textContent = words();
  }

  progress(p) {
    const percent = p.total ? Math.floor((p.done / p.total) * 100) : 0;
    this.bar.value = percent;
    this.el.dataset.done = String(p.done);
    this.el.dataset.percent = String(percent);
    this.show(() => progressWords(p));
  }

  state(s) {
    this.el.dataset.state = s;
    if (s === "waiting") this.show(() => t("participant.docs.waiting_network"));
    if (s === "finishing") this.show(() => t("participant.docs.finishing"));
  }

  // `words()` → the closing sentence (a function, so a language switch can say it again).
  done(words) {
    this.el.dataset.state = "done";
    this.cancelButton.remove();
    this.words = words;
    this.relabel();
    setTimeout(() => this.dismiss(), LINGER_MS);
  }

  fail(words) {
    this.el.dataset.state = "failed";
    this.cancelButton.replaceWith(this.dismissButton);
    this.words = words;
    this.relabel();
    this.detail.setAttribute("role", "alert");
  }

  // Refused before a byte was sent: no progress bar.
  refused(words) {
    this.bar.remove();
    this.fail(words);
  }

  dismiss() {
    if (!this.el.isConnected) return;
    this.el.remove();
    if (this.onGone) this.onGone();
  }

  cancel() {
    if (this.onCancel && this.el.dataset.state !== "done") this.onCancel();
  }
}

// A panel's transfers, each under its own tab: an upload's line shows under the tab it went to
// (a download's under the tab it came from), never under whichever tab is open.
export class TransferList {
  constructor() {
    this.el = h("ul", { class: "transfers", "aria-live": "polite" });
    this.rows = [];
    this.tab = null;
  }

  add(row, tab) {
    this.rows.push(row);
    row.el.dataset.tab = tab;
    row.el.hidden = tab !== this.tab;
    row.onGone = () => { this.rows = this.rows.filter((r) => r !== row); };
    this.el.prepend(row.el);
  }

  // The tab open now: its rows shown, the others' kept (still running) out of sight.
  show(tab) {
    this.tab = tab;
    for (const row of this.rows) row.el.hidden = row.el.dataset.tab !== tab;
  }

  // Whether an upload or download is still running (leaving the hearing stops it).
  busy() {
    return this.rows.some((row) => !["done", "failed"].includes(row.el.dataset.state));
  }
}
