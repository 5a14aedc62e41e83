// Time zones a hearing can be scheduled in, as a mediation centre in Hong Kong picks them: the
// zones its hearings are usually held in first, each named in the reader's language with its
// offset ("香港標準時間 (GMT+8)"), then every other zone the browser knows, by its IANA name.
// Pure: no DOM; the browser's zone list, zone and language are passed in (tests/js/zones.test.mjs).
//
// The value is always an IANA name the server accepts (proto/common.py TimeZone, checked by the
// gateway against its zone database, where old and current names both exist). Browsers list
// zones by CLDR's names, some of them out of date ("Asia/Calcutta", "Europe/Kiev"): those are
// offered, and sent, under their current IANA names.

// The zones most hearings are held in, in this order (Paris stands for central Europe, Frankfurt
// included: one entry, as both read "Central European Time").
export const COMMON_ZONES = [
  "Asia/Hong_Kong", "Asia/Singapore", "Asia/Shanghai", "Asia/Taipei", "Asia/Tokyo", "Asia/Seoul",
  "Australia/Sydney", "Asia/Kolkata", "Asia/Dubai", "Europe/London", "Europe/Paris",
  "America/New_York", "America/Los_Angeles", "UTC",
];

// CLDR's names that IANA has since renamed (ICU and so Chrome and Node still list these), and a
// few other spellings of UTC → the current IANA name.
export const LEGACY_ZONES = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Coral_Harbour": "America/Atikokan",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Mendoza": "America/Argentina/Mendoza",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
  "Etc/UTC": "UTC",
  "Etc/UCT": "UTC",
  "Etc/Universal": "UTC",
  "Etc/Zulu": "UTC",
  "UCT": "UTC",
  "Universal": "UTC",
  "Zulu": "UTC",
};

// Whether this browser can compute times in `zone` (it needs to, to read the picked time there,
// or to show a hearing's time in its zone): the one zone check of the whole client.
export function knownZone(zone) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch (_) {
    return false;
  }
}

// The current IANA name for `zone`; the old one only where this browser knows no other.
export function canonicalZone(zone, accepts = knownZone) {
  const current = LEGACY_ZONES[zone];
  return current && accepts(current) ? current : zone;
}

// → {common, rest, selected}: the common zones this browser knows, then every other zone it
// lists (current names, each once, alphabetical); `selected` is the browser's own zone.
export function zoneChoices({ supported = [], local = "UTC", accepts = knownZone } = {}) {
  const common = COMMON_ZONES.filter((zone) => accepts(zone));
  const seen = new Set(common);
  const rest = [];
  for (const name of supported) {
    const zone = canonicalZone(name, accepts);
    if (!seen.has(zone)) { seen.add(zone); rest.push(zone); }
  }
  rest.sort();
  let selected = canonicalZone(local || "UTC", accepts);
  if (!accepts(selected)) selected = "UTC";
  // A zone the browser is in but does not list ("Etc/GMT-8"…) is offered all the same.
  if (!seen.has(selected)) common.unshift(selected);
  return { common, rest, selected };
}

// One part of how `locale` writes a moment in `zone` (e.g. timeZoneName "shortOffset"), or null
// where this browser does not know that style.
function zonePart(zone, locale, at, style) {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: style })
      .formatToParts(new Date(at));
    const part = parts.find((p) => p.type === "timeZoneName");
    return part ? part.value : null;
  } catch (_) {
    return null;
  }
}

// The zone's offset at `at` as `locale` writes it ("GMT+8", "GMT-4", "GMT+0").
export function zoneOffset(zone, { locale = "en", at = Date.now() } = {}) {
  return zonePart(zone, locale, at, "shortOffset") || zonePart(zone, locale, at, "short") || "";
}

// How people read a zone wherever one is shown (the picker's common zones, a hearing's set-up,
// the hearings list, an invitation, the audit log), never as its IANA name: its name in the
// reader's language with its offset at `at` ("Hong Kong Standard Time (GMT+8)", "香港標準時間
// (GMT+8)"), or with `offset: false` (a report whose times span summer and winter) its name for
// every season ("United Kingdom Time"). `utc` names UTC (CLDR only writes it as an offset). A
// zone that is only an offset reads as that offset ("Etc/GMT-8", whose sign POSIX reverses, is
// "GMT+8"); one the language has no name for, as its IANA name without underscores.
export function zoneLabel(zone, { locale = "en", at = Date.now(), utc = "UTC", offset: withOffset = true } = {}) {
  const current = canonicalZone(zone);
  if (current === "UTC") return withOffset && utc !== "UTC" ? `${utc} (UTC)` : utc;
  const offset = zoneOffset(current, { locale, at });
  const name = zonePart(current, locale, at, "longGeneric") || zonePart(current, locale, at, "long");
  if (name && !/^(GMT|UTC)([+−-]|$)/.test(name)) return withOffset && offset ? `${name} (${offset})` : name;
  if (/^Etc\/GMT[+-]\d+$/.test(current) && offset) return offset;
  const named = current.replaceAll("_", " ");
  return withOffset && offset ? `${named} (${offset})` : named;
}

// Any other zone: its IANA name first (as people search for it), with its offset.
export function zoneListLabel(zone, { locale = "en", at = Date.now() } = {}) {
  const offset = zoneOffset(zone, { locale, at });
  const name = zone.replaceAll("_", " ");
  return offset ? `${name} (${offset})` : name;
}
