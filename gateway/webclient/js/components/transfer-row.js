// One upload or download in progress: a labelled progress bar, bytes done of total, speed,
// time left, state ("waiting for the connection…"), and a cancel button.

import { formatCountdown, formatNumber, t } from "../core/i18n.js";
import { h, uid } from "../core/render.js";
import { sizeParts } from "../documents/transfer.js";

export function formatSize(bytes) {
  const { value, unit } = sizeParts(bytes);
  return t(`participant.docs.unit_${unit}`, { value: formatNumber(value) });
}

export class TransferRow {
  constructor({ name, kind }) {
    const labelId = uid("xfer");
    this.bar = h("progress", { max: "100", value: "0", "aria-labelledby": labelId });
    this.detail = h("span", { class: "transfer-detail" });
    this.cancelButton = h("button", { type: "button", class: "button small",
      onclick: () => this.onCancel && this.onCancel() }, t("common.cancel"));
    this.el = h("li", { class: "transfer", dataset: { kind, state: "sending" } },
      h("span", { id: labelId, class: "transfer-name" },
        t(`participant.docs.${kind === "upload" ? "uploading" : "downloading"}`, { name })),
      this.bar, this.detail, this.cancelButton);
    this.onCancel = null;
  }

  progress({ done, total, rate, secondsLeft }) {
    const percent = total ? Math.floor((done / total) * 100) : 0;
    this.bar.value = percent;
    this.el.dataset.done = String(done);
    this.el.dataset.percent = String(percent);
    const parts = [t("participant.docs.of", { done: formatSize(done), total: formatSize(total) })];
    if (rate) parts.push(t("participant.docs.speed", { speed: formatSize(rate) }));
    if (secondsLeft !== null && secondsLeft !== undefined) {
      parts.push(t("participant.docs.left", { time: formatCountdown(secondsLeft) }));
    }
    this.detail.textContent = parts.join(" · ");
  }

  state(s) {
    this.el.dataset.state = s;
    if (s === "waiting") this.detail.textContent = t("participant.docs.waiting_network");
  }

  done(text) {
    this.el.dataset.state = "done";
    this.cancelButton.remove();
    this.detail.textContent = text;
  }

  fail(text) {
    this.el.dataset.state = "failed";
    this.cancelButton.remove();
    this.detail.textContent = text;
    this.detail.setAttribute("role", "alert");
  }

  cancel() {
    if (this.onCancel && this.el.dataset.state !== "done") this.onCancel();
  }
}
