// How every screen of a hearing (the participant's and the mediator's board) names a person. The mediator is named by role, in the reader's
// language: the hearing's record holds a placeholder for the mediator ("Mediator"), not a name,
// and a placeholder shown as is would be the one English word on a Chinese screen. Everyone
// else by the name the mediator gave them.

import { t } from "../core/i18n.js";

export function personName(member) {
  return member && member.role === "mediator" ? t("participant.grid.mediator") : member ? member.name : "";
}
