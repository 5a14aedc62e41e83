// A hearing's documents on its set-up page (screens/setup.js), for its mediator.
//
// Before the end (scheduled or open), the same panel as the console's, writable: Joint, each
// side's "in confidence" tab and "My notes", upload by picker or drag and drop with progress.
// Evidence takes uploads for any hearing that has not ended (services/evidence/access.py), so a
// mediator prepares the bundle without opening the hearing early (which would open the waiting
// room and start its record). A line under the tabs says what the tab shown means before the
// hearing ("Joint documents are shown to everyone once they join"). No WebSocket here: the
// panel reads its list on open and after each upload of this page.
//
// Ended, they are listed read-only: evidence lets a closed hearing's documents be read, never
// added to, so each compartment the mediator may read is there to view and download, no upload
// and no release (the documents panel's `readOnly`). Ended with "destroy", the page says they
// were destroyed instead of listing nothing (on which day, when the institution's retention
// period took them later); kept, the day that period ends, if it set one. An administrator
// reads no documents (evidence admits only those a compartment names): nothing is shown to them.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { DocumentsPanel } from "../components/documents-panel.js";
import { mediatorDocuments } from "../components/document-retention.js";

// Pure: what a mediator's tab (documents/transfer.js compartmentTabs: {key, side}) means
// before the hearing, as [catalogue key, params], or null for a tab this page cannot explain.
const MEANINGS = { joint: "docs_tab_joint", notes: "docs_tab_notes", confidential_in: "docs_tab_confidential_in" };
export function tabMeaning(tab) {
  if (tab.side && tab.key.startsWith("confidential_from:")) {
    return ["mediator.setup.docs_tab_confidential_from", { side: tab.side.name }];
  }
  return MEANINGS[tab.key] ? [`mediator.setup.${MEANINGS[tab.key]}`, {}] : null;
}

// `screen`: the set-up page's state (its hearing as last loaded); the panel is made once per
// kind (writable before the end, read-only after it) and kept on `screen.documents` across
// redraws, so an upload under way is not lost to a redraw of the page.
export function documentsSection(screen, me) {
  const { hearing } = screen;
  if (screen.admin) return null;
  const ended = hearing.state === "closed";
  if (ended && hearing.documents_destroyed) {
    return h("section", { class: "card setup-documents", "data-destroyed": "true", "aria-labelledby": "setup-docs-title" },
      h("h2", { id: "setup-docs-title" }, t("participant.docs.heading")),
      h("p", null, mediatorDocuments(hearing)));
  }
  if (!screen.documents || screen.documents.readOnly !== ended) {
    screen.documents?.close();
    screen.documents = new DocumentsPanel({ hearing: hearing.id, me: { ...(me || {}), role: "mediator" },
      sides: hearing.sides || [], readOnly: ended });
    if (!ended) followTabs(screen.documents);
    screen.documents.open();
  }
  const panel = screen.documents;
  // Uploaders by name, as the roster names them (the mediator's own: "You").
  for (const entry of hearing.roster) panel.people.set(entry.id, entry);
  panel.setFormerMediators(hearing.former_mediators || []);
  panel.setSides(hearing.sides || []);
  panel.relabel(); // in the current language
  if (ended) endedNotes(panel, hearing);
  else sayTab(panel);
  return h("div", { class: `card setup-documents${ended ? "" : " setup-documents-open"}` }, panel.el);
}

// The line under the tabs follows the tab chosen (a click, or an arrow key on the tabs: the
// panel's own handlers run first, then these see the tab it chose).
function followTabs(panel) {
  panel.tabList.addEventListener("click", () => sayTab(panel));
  panel.tabList.addEventListener("keydown", () => sayTab(panel));
}

function sayTab(panel) {
  const tab = panel.tab();
  const meaning = tabMeaning(tab);
  const line = panel.el.querySelector(".setup-docs-tab") || h("p", { class: "muted setup-docs-tab", "aria-live": "polite" });
  line.dataset.tab = tab.key;
  line.textContent = meaning ? t(...meaning) : "";
  line.hidden = !meaning;
  panel.tabList.after(line);
}

function endedNotes(panel, hearing) {
  const note = panel.el.querySelector(".setup-docs-note") || h("p", { class: "muted setup-docs-note" });
  note.textContent = t("mediator.setup.documents_ended");
  panel.heading.after(note);
  // Kept until the institution's retention period ends: the day they go.
  const until = mediatorDocuments(hearing);
  const retention = panel.el.querySelector(".setup-docs-retention") || h("p", { class: "setup-docs-retention" });
  retention.textContent = until || "";
  retention.hidden = !until;
  note.after(retention);
}
