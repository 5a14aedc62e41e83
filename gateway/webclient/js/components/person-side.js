// Which side a person in your room is on, and in what role, as a participant's page says it
// beside their name (tiles, "who can hear you"): "Your side · Counsel", "Other side · Party",
// "Observer"; the mediator's name already says "(mediator)". A participant's view carries each
// member's role and side id, never the other sides' names or colours (DESIGN §1: confidentiality
// is per side; SelfView `sides` is a count only): "other side", or "another side" in a hearing of
// three or more, is all this page can say of them.

import { t } from "../core/i18n.js";

// "own", "other" or "" (the mediator, an observer, or a page that does not know your side).
export function sideOf(member, you) {
  if (!member || !member.side || !you || !you.side) return "";
  return member.side === you.side ? "own" : "other";
}

export function sideRole(member, you) {
  if (!member || member.role === "mediator") return "";
  if (member.role === "observer") return t("participant.side.observer");
  const role = t(`participant.side.${member.role === "counsel" ? "counsel" : "party"}`);
  const side = sideOf(member, you);
  if (!side) return role;
  const which = side === "own" ? "own" : (you.sides || 0) > 2 ? "another" : "other";
  return t(`participant.side.${which}`, { role });
}
