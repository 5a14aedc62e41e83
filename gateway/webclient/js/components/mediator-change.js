// Who mediates the hearing, as this tab last told its person (pure but for the store): when an
// administrator hands the hearing to another mediator mid-hearing, the old mediator's tile just
// goes, so the parties (in a room or waiting) are told who mediates now and in place of whom.
// Derived from the view (`SelfView.mediator`, `mediator_name`), never from a replayed event: a
// reconnect's snapshot or a reload names the same mediator and says nothing; only a change of
// the mediator's id since this tab last saw it does. A rename of the same mediator is no news.

import { t } from "../core/i18n.js";

// → {seen, said}: `seen` ({id, name}) to keep; `said` ({name, former}) when the mediator this
// tab saw (`seen`) is not the one the view (`you`) names now, else null.
export function mediatorChange(seen, you) {
  if (!you || !you.mediator) return { seen, said: null };
  const now = { id: you.mediator, name: you.mediator_name || "" };
  if (!seen || seen.id === now.id) return { seen: now, said: null };
  return { seen: now, said: { name: now.name, former: seen.name } };
}

// The notice's sentence ("Ms Mei Chan is now the mediator of this hearing (in place of Mr
// David Lam).").
export function changedWords({ name, former }) {
  if (!name) return t("participant.notice.mediator_changed_unnamed");
  return former ? t("participant.notice.mediator_changed", { name, former })
    : t("participant.notice.mediator_changed_new", { name });
}

const KEY = "parley.mediator.";

// What this tab saw of the hearing's mediator (sessionStorage: a reload remembers it).
export function seenMediator(hearing, store = globalThis.sessionStorage) {
  try {
    const seen = JSON.parse(store.getItem(KEY + hearing) || "null");
    return seen && typeof seen.id === "string" ? seen : null;
  } catch (_) {
    return null;
  }
}

export function rememberMediator(hearing, seen, store = globalThis.sessionStorage) {
  try {
    if (seen) store.setItem(KEY + hearing, JSON.stringify(seen));
  } catch (_) { /* storage full or blocked: this page still remembers it */ }
}
