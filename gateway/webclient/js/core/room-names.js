// How every screen names a room (roomLabel), and a caucus: as the mediator named it, else after
// its side, in the reader's language. A side's caucus created without a name keeps none (the server sends "" and
// the side's name, `RoomView.side_name`), so one caucus reads "Respondent caucus" to a mediator
// working in English and "Respondent单方会谈" to a party reading Simplified Chinese, and follows
// the side when it is renamed.

import { currentLanguage, t } from "./i18n.js";

export function caucusName(room) {
  if (!room) return "";
  return room.name || defaultCaucusName(room.side_name || "");
}

// "{side} caucus" in the reader's language. Chinese joins its words without a space but sets a
// side name ending in Latin letters apart by one ("Claimant 單方會談", yet "申索人單方會談").
export function defaultCaucusName(side) {
  const apart = currentLanguage().startsWith("zh") && /[A-Za-z0-9)\]]$/.test(side);
  return t("common.room.caucus_default", { side: apart ? `${side} ` : side });
}

// Any room as its people read it: the lobby, plenary, or the caucus by its name.
export function roomLabel(room) {
  if (!room) return t("participant.room.lobby_name");
  if (room.kind === "plenary") return t("participant.room.plenary_name");
  return caucusName(room);
}
