// Chinese spacing, one rule for the sentences names are set in (a room's name from
// core/room-names.js, a person's): a run of Latin letters beside Han characters is set apart by a
// space on each side ("移至 Claimant 單方會談", "届时 Ms Anna Lee 会让您进入"), and no space
// stands beside full-width punctuation ("（您的時間：下午2:30）開始", never "） 開始"). Digits are
// left as the catalogue spaced them ("2026年11月28日"). Other languages: as written.

import { currentLanguage } from "../core/i18n.js";

const HAN = "\\u3400-\\u9fff\\uf900-\\ufaff";
const FULL_STOPS = "\\u3001-\\u303f\\uff01-\\uff0f\\uff1a-\\uff20";
const HAN_LATIN = new RegExp(`([${HAN}])([A-Za-z])`, "g");
const LATIN_HAN = new RegExp(`([A-Za-z])([${HAN}])`, "g");
const BEFORE_STOP = new RegExp(` +([${FULL_STOPS}])`, "g");
const AFTER_STOP = new RegExp(`([${FULL_STOPS}]) +`, "g");
export function chineseSpacing(text, lang = currentLanguage()) {
  if (!lang.startsWith("zh")) return text;
  return String(text).replace(HAN_LATIN, "$1 $2").replace(LATIN_HAN, "$1 $2")
    .replace(BEFORE_STOP, "$1").replace(AFTER_STOP, "$1");
}
