// The console's cards instead of the board: the hearing could not be read, an administrator
// asked (no mediator controls), it is not open, it ended, or it was handed away: then to whom
// and when (the list's `handed_away`), with only the way back to the list.

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { formatDateTime, t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { mediatorDocuments } from "../components/document-retention.js";

const backToList = (primary = true) =>
  h("a", { class: primary ? "button primary" : "button", href: "/hearings" }, t("mediator.setup.back"));

// This mediator's record of the hearing's hand-over away from them ({id, title, to_name, at}),
// or null (never handed away from them, long ago, or the list could not be read).
export async function handedAwayFrom(hearingId) {
  try {
    const { handed_away: gone = [] } = await api("GET", "/api/v1/hearings");
    return gone.find((x) => x.id === hearingId) || null;
  } catch (_) {
    return null;
  }
}

export function loadFailedCard(failure) {
  return h("section", { class: "card narrow" }, h("h1", null, t("mediator.console.title")),
    h("p", { class: "form-error", role: "alert" }, describe(failure, "mediator.setup")), backToList(false));
}

export function adminCard(detail, hearingId) {
  return h("section", { class: "card narrow admin-console" }, h("h1", null, detail.title),
    h("h2", null, t("mediator.console.admin_title")), h("p", null, t("mediator.console.admin_text")),
    detail.state === "closed" ? null : h("a", { class: "button primary", href: `/hearings?hand_over=${encodeURIComponent(hearingId)}` },
      t("mediator.hearings.hand_over")));
}

export function notOpenCard(detail, hearingId) {
  return h("section", { class: "card narrow" }, h("h1", null, detail.title),
    h("p", null, t(detail.state === "closed" ? "mediator.console.closed" : "mediator.console.not_open")),
    // Ended: where its documents are, or that they were destroyed (the detail says which).
    detail.state === "closed" ? h("p", null, detail.documents_destroyed ? mediatorDocuments(detail)
      : t("mediator.console.closed_documents")) : null,
    // Kept until the institution's retention period ends: the day they go.
    detail.state === "closed" && !detail.documents_destroyed && detail.documents_kept_until
      ? h("p", { class: "closed-retention" }, mediatorDocuments(detail)) : null,
    h("a", { class: "button primary", href: `/hearings/${hearingId}/setup` }, t("mediator.hearings.setup")));
}

// `after`: the hearing's detail read after the end (null until read, or if it could not be):
// what became of its documents, once known.
export function endedCard(hearingId, after = null) {
  const fate = after ? mediatorDocuments(after) : null;
  return h("section", { class: "card narrow ended" },
    h("h1", null, t("mediator.console.ended_title")), h("p", null, t("mediator.console.ended_text")),
    h("p", null, after?.documents_destroyed ? fate : t(after ? "mediator.console.ended_documents_kept" : "mediator.console.ended_documents")),
    fate && !after.documents_destroyed ? h("p", { class: "closed-retention" }, fate) : null,
    h("div", { class: "actions" }, h("a", { class: "button", href: `/hearings/${hearingId}/setup` }, t("mediator.hearings.setup")),
      backToList()));
}

// `gone`: the list's record of it ({title, to_name, at}), or null while (or if) not known.
export function handedOverCard(title, gone) {
  const text = !gone ? t("mediator.console.handed_over_text")
    : gone.to_name ? t("mediator.console.handed_over_named", { name: gone.to_name, when: formatDateTime(gone.at) })
      : t("mediator.console.handed_over_when", { when: formatDateTime(gone.at) });
  return h("section", { class: "card narrow handed-over" },
    title ? h("p", { class: "eyebrow" }, title) : null,
    h("h1", null, t("mediator.console.handed_over_title")), h("p", null, text),
    h("div", { class: "actions" }, backToList()));
}

// Under the title of its set-up and console, for the mediator it was handed to (never for an
// administrator reading it): from whom and when.
export function tookOverLine(hearing, mediates = true) {
  const took = mediates && hearing.took_over;
  const when = took && formatDateTime(took.at);
  return took ? h("p", { class: "muted took-over" },
    t(took.from_name ? "mediator.setup.took_over_named" : "mediator.setup.took_over", { name: took.from_name, when })) : null;
}
