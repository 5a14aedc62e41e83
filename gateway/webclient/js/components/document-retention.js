// What becomes of an ended hearing's documents, in words, from the facts the server gives: the
// hearing detail (`documents_destroyed`, `documents_destroyed_at`, `documents_kept_until`,
// `document_retention_days`: the institution's retention period, 0 = none) for its mediator,
// the `ended` notice (`documents_destroyed`, `documents_kept_until`) for a participant. Pure
// words; the dates in the reader's own zone, the day alone.

import { formatDate, t } from "../core/i18n.js";

export const DAY_MS = 86_400_000;

// The end dialog, before the end: when kept documents would go (null without a period).
export function endDialogRetention(detail, now = Date.now()) {
  const days = Number(detail.document_retention_days) || 0;
  if (days <= 0) return null;
  return t("mediator.end.retention", { count: days, date: formatDate(now + days * DAY_MS) });
}

// An ended hearing's documents, for its mediator: destroyed (at the end, or on a later day:
// the retention period), or kept until a date (null: kept until destroyed by hand, said by the
// caller's own sentence).
export function mediatorDocuments(detail) {
  if (detail.documents_destroyed) {
    const at = detail.documents_destroyed_at;
    return Number.isSafeInteger(at) && at !== detail.ended_at
      ? t("mediator.setup.documents_destroyed_on", { date: formatDate(at) })
      : t("mediator.setup.documents_destroyed");
  }
  return Number.isSafeInteger(detail.documents_kept_until)
    ? t("mediator.setup.documents_kept_until", { date: formatDate(detail.documents_kept_until) }) : null;
}

// A participant's final screen after the end: `fate` is {destroyed, keptUntil} (from the ended
// notice; null when this page never heard it: nothing is said then).
export function participantDocuments(fate) {
  if (!fate) return null;
  if (fate.destroyed) return t("participant.final.documents_destroyed");
  return Number.isSafeInteger(fate.keptUntil)
    ? t("participant.final.documents_kept_until", { date: formatDate(fate.keptUntil) })
    : t("participant.final.documents_kept");
}

// The ended notice's facts, as `participantDocuments` takes them (names of nothing).
export function fateOf(notice) {
  return { destroyed: notice.documents_destroyed === true,
    keptUntil: Number.isSafeInteger(notice.documents_kept_until) ? notice.documents_kept_until : null };
}
