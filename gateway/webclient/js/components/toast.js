// Live regions and toasts: room changes, broadcasts, knocks and errors are announced to screen
// readers (polite, or assertive for what needs action) and shown briefly on screen.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";

const TOAST_MS = 6000;

export function announce(text, { assertive = false } = {}) {
  const region = document.getElementById(assertive ? "live-assertive" : "live-polite");
  if (!region) return;
  region.textContent = "";
  // A fresh text node after clearing makes screen readers speak a repeated message again.
  setTimeout(() => { region.textContent = text; }, 30);
}

export function toast(text, { kind = "info", assertive = kind === "error" } = {}) {
  announce(text, { assertive });
  const box = document.getElementById("toasts");
  if (!box) return;
  const item = h("div", { class: `toast toast-${kind}`, "data-kind": kind },
    h("span", null, text),
    h("button", { type: "button", class: "toast-close", "aria-label": t("common.close"),
      onclick: () => item.remove() }, "×"));
  box.append(item);
  setTimeout(() => item.remove(), TOAST_MS);
}
