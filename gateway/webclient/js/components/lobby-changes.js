// What the waiting room says the mediator changed (pure): the hearing's details as the person
// was first shown them while waiting (`seen`: {title, scheduled_at, time_zone}) against the
// details now (`now`: the SelfView). Derived, never remembered from an event: a title renamed
// and renamed back, or a change a reconnect's snapshot replays, says nothing the page does not
// show. A start moved before the hearing opened is no news once it has (`baseline`); one moved
// after it opened (an adjournment to another day) is. Also when the hearing is scheduled, once it
// has opened (before, the waiting line says it), and whether its calendar file is worth offering.

import { currentLanguage, formattingLocale, t } from "../core/i18n.js";
import { dueWords } from "./person.js";

// The details a waiting spell compares against.
export const detailsOf = (you) => ({ title: you.title, scheduled_at: you.scheduled_at ?? null,
  time_zone: you.time_zone ?? null, hearing_state: you.hearing_state ?? null });

// → the details to compare `you` against: those first shown (`seen`), with the start and zone
// taken afresh as the hearing opens (the title changed before stays news).
export function baseline(seen, you) {
  if (!seen) return detailsOf(you);
  if (seen.hearing_state === "scheduled" && you.hearing_state && you.hearing_state !== "scheduled") {
    return { ...detailsOf(you), title: seen.title };
  }
  return seen;
}

// → the parts that differ, in the order said: "title", "start" (the moment), "zone" (how it is
// read: the waiting line names the hearing's zone).
export function detailsChanged(seen, now) {
  if (!seen || !now) return [];
  const parts = [];
  if (seen.title !== now.title) parts.push("title");
  if (seen.scheduled_at !== (now.scheduled_at ?? null)) parts.push("start");
  if (seen.time_zone && now.time_zone && seen.time_zone !== now.time_zone) parts.push("zone");
  return parts;
}

// "The mediator has changed the title and the start time." (null when nothing changed).
export function changedSentence(parts, lang = currentLanguage()) {
  if (!parts.length) return null;
  const names = parts.map((p) => t(`participant.lobby.part_${p}`));
  const list = typeof Intl.ListFormat === "function"
    ? new Intl.ListFormat(formattingLocale(lang), { type: "conjunction" }).format(names)
    : names.join(", ");
  return t("participant.lobby.changed", { parts: list });
}

// "The hearing is scheduled for 3 Dec 2026, 10:00 Hong Kong Standard Time (GMT+8) — 02:00 your
// time." once it has opened (a party early, a mediator not yet there); null with no start, or
// while it has not started (the waiting line says when it is due: person.js waitingLine).
export function scheduleLine(you) {
  if (!you || !you.scheduled_at || you.hearing_state === "scheduled") return null;
  return t("participant.lobby.scheduled", { when: dueWords(you.scheduled_at, you.time_zone) });
}

// Whether the waiting room offers the calendar file: a start still ahead, the hearing not over.
export const offersLobbyCalendar = (you, now = Date.now()) =>
  Boolean(you && you.scheduled_at && you.scheduled_at > now && you.hearing_state !== "closed");
