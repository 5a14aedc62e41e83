// How every screen of a hearing (the participant's and the mediator's board) names a person: by
// the name the server sends. Everyone but the mediator always has one (the mediator gave it when
// inviting them); the mediator's is the display name on their staff account, and a mediator
// without one (the server sends "") is named by role, in the reader's language.

import { formatDateTime, t } from "../core/i18n.js";

export function personName(member) {
  if (!member) return "";
  if (member.name) return member.name;
  return member.role === "mediator" ? t("participant.grid.mediator") : "";
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

// The lobby's waiting line (`you`: the SelfView): who will admit you, or why nobody can now —
// before the hearing has started, when it is due to (in the reader's own time zone) — and why
// you are waiting again after your connection was lost for longer than the server waits.
export function waitingLine(you) {
  const name = mediatorName(you);
  if (you.hearing_state === "scheduled") {
    return you.scheduled_at
      ? t("participant.lobby.not_started_at", { name, when: formatDateTime(you.scheduled_at) })
      : t("participant.lobby.not_started", { name });
  }
  if (you.grace_expired) return t("participant.lobby.returned", { name });
  if (!you.locked) return t("participant.lobby.waiting", { name });
  return you.mediator_name ? t("participant.lobby.locked_named", { name }) : t("participant.lobby.locked");
}
