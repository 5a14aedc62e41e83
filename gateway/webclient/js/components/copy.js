// A copy-to-clipboard button for one value (an invitation link, an access code), which says
// when it worked; the value stays selectable in case the clipboard is refused.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { announce } from "./toast.js";

export function copyButton(value, label) {
  const button = h("button", { type: "button", class: "button small copy",
    "aria-label": label }, t("common.copy"));
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(value());
      button.textContent = t("common.copied");
      announce(t("common.copied"));
    } catch (_) {
      button.textContent = t("common.copy_failed");
    }
    setTimeout(() => { button.textContent = t("common.copy"); }, 2500);
  });
  return button;
}
