// An ended hearing's documents on its set-up page (screens/setup.js), for its mediator: evidence
// lets a closed hearing's documents be read, never added to (services/evidence/access.py), so
// they are listed read-only: each compartment the mediator may read, view and download, no
// upload and no release (the documents panel's `readOnly`). Ended with "destroy", the page says
// they were destroyed instead of listing nothing (on which day, when the institution's retention
// period took them later); kept, the day that period ends, if it set one. An administrator reads no documents (evidence
// admits only those a compartment names): nothing is shown to them.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { DocumentsPanel } from "../components/documents-panel.js";
import { mediatorDocuments } from "../components/document-retention.js";

// `screen`: the set-up page's state (its hearing as last loaded); the panel is made once, the
// first time the page shows the hearing ended, and kept on `screen.documents` across redraws.
export function documentsSection(screen, me) {
  const { hearing } = screen;
  if (screen.admin || hearing.state !== "closed") return null;
  if (hearing.documents_destroyed) {
    return h("section", { class: "card setup-documents", "data-destroyed": "true", "aria-labelledby": "setup-docs-title" },
      h("h2", { id: "setup-docs-title" }, t("participant.docs.heading")),
      h("p", null, mediatorDocuments(hearing)));
  }
  if (!screen.documents) {
    screen.documents = new DocumentsPanel({ hearing: hearing.id, me: { ...(me || {}), role: "mediator" },
      sides: hearing.sides || [], readOnly: true });
    screen.documents.open();
  }
  const panel = screen.documents;
  // Uploaders by name, as the roster names them (the mediator's own: "You").
  for (const entry of hearing.roster) panel.people.set(entry.id, entry);
  panel.setFormerMediators(hearing.former_mediators || []);
  panel.setSides(hearing.sides || []);
  panel.relabel(); // in the current language
  const note = panel.el.querySelector(".setup-docs-note") || h("p", { class: "muted setup-docs-note" });
  note.textContent = t("mediator.setup.documents_ended");
  panel.heading.after(note);
  // Kept until the institution's retention period ends: the day they go.
  const until = mediatorDocuments(hearing);
  const retention = panel.el.querySelector(".setup-docs-retention") || h("p", { class: "setup-docs-retention" });
  retention.textContent = until || "";
  retention.hidden = !until;
  note.after(retention);
  return h("div", { class: "card setup-documents" }, panel.el);
}
