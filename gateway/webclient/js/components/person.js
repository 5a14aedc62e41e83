// How every screen of a hearing (the participant's and the mediator's board) names a person: by
// the name the server sends. Everyone but the mediator always has one (the mediator gave it when
// inviting them); the mediator's is the display name on their staff account, and a mediator
// without one (the server sends "") is named by role, in the reader's language.

import { formatDate, formatDateTime, formatTime, t, zonePair } from "../core/i18n.js";

export function personName(member) {
  if (!member) return "";
  if (member.name) return member.name;
  return member.role === "mediator" ? t("participant.grid.mediator") : "";
}

// The letter a tile without a picture shows: the first of the name after an honorific ("Ms Grace
// Ho" → "G", not the "M" of every Ms, Mr and Mrs); a Chinese name's first character, its surname.
const HONORIFIC = /^(?:mrs?|ms|miss|dr|prof|sir|dame|hon|judge)\.?\s+/i;
export function initialOf(name) {
  const s = String(name || "").trim();
  return (Array.from(s.replace(HONORIFIC, "").trim())[0] || Array.from(s)[0] || "").toUpperCase();
}

// A person with what a participant needs to know of them beside a tile or in "who can hear you":
// the mediator's name says which of the people is the mediator ("Ms Anna Lee (mediator)").
export function personLabel(member) {
  const name = personName(member);
  return member && member.role === "mediator" && member.name
    ? t("participant.grid.named_mediator", { name }) : name;
}

// The mediator as a waiting sentence names them: their name, or "The mediator".
export function mediatorName(you) {
  return (you && you.mediator_name) || t("participant.lobby.the_mediator");
}

// When a hearing is due, as the waiting room says it. Hearings are cross-border: where the
// hearing's own zone reads another time than the reader's, both, as set-up shows them — the
// hearing's time in its zone (as the invitation said it), then the reader's own ("3 Dec 2026,
// 10:00 Hong Kong Standard Time (GMT+8) — 02:00 your time"; the date too when it is another
// day there). Otherwise the reader's time alone, with its zone.
export function dueWords(ms, zone) {
  const pair = zonePair(ms, zone);
  // A zone whose clock reads as the reader's: said once, named as the hearing's (London, not
  // the reader's "UTC"), since that is the zone the hearing is held in.
  if (!pair.hearing || pair.same) return pair.hearing || pair.local;
  const local = formatDate(ms) === formatDate(ms, zone) ? formatTime(ms)
    : formatDateTime(ms, undefined, { withZone: false });
  return t("participant.lobby.when_both", { hearing: pair.hearing, local });
}

// The lobby's waiting line (`you`: the SelfView): who will admit you, or why nobody can now —
// before the hearing has started, when it is due to (`dueWords`) — and why you are waiting
// again after your connection was lost for longer than the server waits.
export function waitingLine(you) {
  const name = mediatorName(you);
  if (you.hearing_state === "scheduled") {
    return you.scheduled_at
      ? t("participant.lobby.not_started_at", { name, when: dueWords(you.scheduled_at, you.time_zone) })
      : t("participant.lobby.not_started", { name });
  }
  // Nobody can admit you while the mediator is offline: never promise "shortly" then.
  if (you.mediator_online === false) return t("participant.lobby.mediator_offline", { name });
  if (you.grace_expired) return t("participant.lobby.returned", { name });
  if (!you.locked) return t("participant.lobby.waiting", { name });
  return you.mediator_name ? t("participant.lobby.locked_named", { name }) : t("participant.lobby.locked");
}
