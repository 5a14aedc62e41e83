// The documents panel's tabs (documents-panel.js `panel`): one per compartment the person may
// read, named as a person understands it, drawn as an ARIA tablist. Arrows move between tabs;
// Enter, Space or a click selects one. The tabs are drawn afresh on each change, so the tab
// that had focus (the one just selected, or the one an arrow reached) gets it back: focus
// never falls to the page's <body> from here.

import { t } from "../core/i18n.js";
import { h, mount } from "../core/render.js";
import { compartmentTabs } from "../documents/transfer.js";

// What of the sides names the tabs (a change redraws them).
export const sidesShown = (sides) => JSON.stringify((sides || []).map((s) => [s.id, s.name, s.colour]));

// `readOnly`: no tab takes uploads.
export const tabsFor = (me, sides, readOnly) => compartmentTabs(me.role, me.side, sides)
  .map((x) => (readOnly ? { ...x, upload: null } : x));

export function tabLabel(tab) {
  return tab.side ? t("participant.docs.tab_confidential_from", { side: tab.side.name })
    : t(`participant.docs.tab_${tab.key}`);
}

// Draws the panel's tabs; `focus`: the tab to give focus to afterwards (its key), if any.
export function drawTabs(panel, focus = null) {
  mount(panel.tabList, panel.tabs.map((tab, i) => h("button", {
    type: "button", role: "tab", id: `docs-tab-${tab.key}`, dataset: { tab: tab.key },
    "aria-selected": String(tab.key === panel.current), tabIndex: tab.key === panel.current ? 0 : -1,
    onclick: () => panel.select(tab.key),
    onkeydown: (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      event.preventDefault();
      panel.select(panel.tabs[(i + step + panel.tabs.length) % panel.tabs.length].key);
    },
  }, tab.side ? [h("span", { class: "swatch", "data-colour": tab.side.colour, "aria-hidden": "true" }),
    tabLabel(tab)] : tabLabel(tab))));
  panel.body.setAttribute("aria-labelledby", `docs-tab-${panel.current}`);
  panel.transfers.show(panel.current);
  if (focus) panel.tabList.querySelector(`[data-tab="${focus}"]`)?.focus();
}

// The key of the tab to focus after a redraw: the selected one, if a tab has focus now.
export function tabFocused(panel) {
  return panel.tabList.contains(document.activeElement) ? panel.current : null;
}
