// A "Full screen" button for a shared screen's tile: a document shown on a shared screen is read
// at full size, not in a tile. Escape (the browser's own) or the button again leaves it.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";

export function fullscreenButton(tile) {
  if (!document.fullscreenEnabled) return null;
  return h("button", {
    type: "button", class: "button small tile-fullscreen", dataset: { action: "fullscreen" },
    onclick: () => {
      if (document.fullscreenElement === tile) document.exitFullscreen().catch(() => {});
      else tile.requestFullscreen().catch(() => {});
    },
  }, t("participant.grid.fullscreen"));
}

// The buttons' words again, in the current language.
export function relabelFullscreen(root) {
  for (const button of root.querySelectorAll(".tile-fullscreen")) {
    button.textContent = t("participant.grid.fullscreen");
  }
}
