// How every screen names a caucus: as the mediator named it, else after its side, in the
// reader's language. A side's caucus created without a name keeps none (the server sends "" and
// the side's name, `RoomView.side_name`), so one caucus reads "Respondent caucus" to a mediator
// working in English and "Respondent单方会谈" to a party reading Simplified Chinese, and follows
// the side when it is renamed.

import { t } from "../core/i18n.js";

export function caucusName(room) {
  if (!room) return "";
  return room.name || t("common.room.caucus_default", { side: room.side_name || "" });
}
