// Static words a language switch must say again: an element made with `said(tag, attrs, key)`
// carries its catalogue key (`data-i18n`), and `retranslate(root)` redraws every such element
// under `root`. For words without parameters; words drawn from state are redrawn by the
// screen's own `rerender()`.

import { t } from "./i18n.js";
import { h } from "./render.js";

export function said(tag, attrs, key) {
  return h(tag, { ...attrs, "data-i18n": key }, t(key));
}

export function retranslate(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
}
