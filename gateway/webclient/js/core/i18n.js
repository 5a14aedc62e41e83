// Message catalogues and locale formatting (DESIGN §8): English, Traditional and Simplified
// Chinese. One catalogue file per language and area (`/static/i18n/<lang>/<area>.json`), keys
// prefixed by area (`staff.signin.title`). The language comes from the browser unless the person
// picked one (remembered in localStorage); switching re-renders the current screen. An invitation
// link may name the language the mediator wrote the letter in (`/join#t=…&lang=zh-Hant`): the
// pages of that tab open in it, before any earlier pick and the browser's, until the person
// picks another. Words in a language other than the page's (that letter, written by a mediator
// working in English for a party who reads 繁體中文) come from `wordsIn(lang)`.
//
// A message is a string with `{name}` placeholders, or a plural object (`{"one": …,
// "other": …}`) chosen by `params.count` with Intl.PluralRules; an exact count written as in ICU
// MessageFormat (`"=2": "Covers both people…"`) comes before the language's category. Numbers in
// params are formatted for the locale. A missing key shows the key itself (and the catalogue
// test catches it).

import { knownZone, zoneLabel } from "./zones.js";

export const LANGUAGES = ["en", "zh-Hant", "zh-Hans"];
export const AREAS = ["common", "staff", "mediator", "participant", "audit", "admin"];
const STORAGE_KEY = "parley.lang";
const LINK_KEY = "parley.lang.invitation"; // sessionStorage: the invitation link's language

let language = "en";
let locale = "en-GB";
let messages = {};
const listeners = new Set();

export function browserLanguage(preferred = navigator.languages || [navigator.language]) {
  for (const tag of preferred) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith("zh")) {
      if (/hant|-tw|-hk|-mo/.test(lower)) return "zh-Hant";
      return "zh-Hans";
    }
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

// The locale dates and numbers are written in: the browser's own regional tag for the chosen
// language (en-US, en-HK, zh-HK…), else British English for English (Parley's institutions
// write "26 Nov 2026, 14:03") and the language itself for Chinese.
export function formattingLocale(lang, preferred = navigator.languages || [navigator.language]) {
  for (const tag of preferred) {
    const primary = String(tag).toLowerCase().split("-")[0];
    if (String(tag).includes("-") && ["en", "zh"].includes(primary) && browserLanguage([tag]) === lang) {
      try {
        return Intl.getCanonicalLocales(tag)[0];
      } catch (_) { /* not a valid tag: try the next */ }
    }
  }
  return lang === "en" ? "en-GB" : lang;
}

// The language an invitation link names in its fragment (`#t=…&lang=zh-Hant`), or null.
export function linkLanguage(hash) {
  const lang = new URLSearchParams(String(hash || "").replace(/^#/, "")).get("lang");
  return LANGUAGES.includes(lang) ? lang : null;
}

export function chosenLanguage() {
  const fromLink = linkLanguage(location.hash);
  if (fromLink) sessionStorage.setItem(LINK_KEY, fromLink);
  const invited = sessionStorage.getItem(LINK_KEY);
  if (LANGUAGES.includes(invited)) return invited;
  const stored = localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.includes(stored) ? stored : browserLanguage();
}

async function loadCatalogues(lang, { strict = false } = {}) {
  const parts = await Promise.all(AREAS.map(async (area) => {
    // Relative to this module, so the catalogues share the versioned prefix the shell loaded.
    const response = await fetch(new URL(`../../i18n/${lang}/${area}.json`, import.meta.url));
    if (!response.ok && strict) throw new Error(`catalogue ${lang}/${area}: ${response.status}`);
    return response.ok ? response.json() : {};
  }));
  return Object.assign({}, ...parts);
}

export async function initI18n(lang = chosenLanguage()) {
  messages = await loadCatalogues(lang);
  language = lang;
  locale = formattingLocale(lang);
  document.documentElement.lang = lang;
}

export async function setLanguage(lang) {
  if (!LANGUAGES.includes(lang) || lang === language) return;
  sessionStorage.removeItem(LINK_KEY); // the person's own pick now rules, the link's no more
  localStorage.setItem(STORAGE_KEY, lang);
  await initI18n(lang);
  for (const listener of listeners) listener(lang);
}

export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function currentLanguage() {
  return language;
}

export function t(key, params = {}) {
  let message = messages[key];
  if (message === undefined) return key;
  if (typeof message === "object") message = pluralForm(message, Number(params.count ?? 0), language) ?? key;
  return message.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = params[name];
    if (value === undefined || value === null) return whole;
    return typeof value === "number" ? formatNumber(value) : String(value);
  });
}

// Words and dates in `lang` whatever the page's language: `{lang, t, zonePair}`, each what `t`
// and `zonePair` below give with the page in `lang` (its catalogues and locale stand in for the
// page's for the length of one synchronous call). The catalogues are fetched first (the page's
// own are reused), and a failed fetch throws, so a letter is written in full or not at all.
export async function wordsIn(lang) {
  if (!LANGUAGES.includes(lang)) throw new Error(`no catalogue for ${lang}`);
  const catalogue = lang === language ? messages : await loadCatalogues(lang, { strict: true });
  const loc = formattingLocale(lang);
  const within = (work) => (...args) => {
    const page = [messages, language, locale];
    [messages, language, locale] = [catalogue, lang, loc];
    try {
      return work(...args);
    } finally {
      [messages, language, locale] = page;
    }
  };
  return { lang, t: within(t), zonePair: within(zonePair) };
}

// Pure: the form of a plural message for `count` in `lang`: an exact "=N" form, else the
// language's plural category, else "other".
export function pluralForm(message, count, lang) {
  const exact = message[`=${count}`];
  if (exact !== undefined) return exact;
  return message[cached(pluralRules, lang, () => new Intl.PluralRules(lang)).select(count)] ?? message.other;
}

// Intl's rule and format objects are costly to make (a board of 40 people asks hundreds of times
// a drawing): one per language or locale, made on first use.
const pluralRules = new Map();
const numberFormats = new Map();
function cached(map, key, make) {
  let value = map.get(key);
  if (value === undefined) map.set(key, value = make());
  return value;
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(messages, key);
}

export function formatNumber(value) {
  return cached(numberFormats, locale, () => new Intl.NumberFormat(locale)).format(value);
}

// ---------------------------------------------------------------- dates, times, time zones

export function localZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function formatDateTime(ms, zone = undefined, { withZone = true } = {}) {
  const options = { dateStyle: "medium", timeStyle: "short" };
  if (zone) options.timeZone = zone;
  const text = new Intl.DateTimeFormat(locale, options).format(new Date(ms));
  return withZone ? `${text} (${zoneName(ms, zone)})` : text;
}

// The day alone ("3 Dec 2026"), in `zone` (default: the reader's).
export function formatDate(ms, zone = undefined) {
  const options = { dateStyle: "medium" };
  if (zone) options.timeZone = zone;
  return new Intl.DateTimeFormat(locale, options).format(new Date(ms));
}

export function formatTime(ms, zone = undefined) {
  const options = { timeStyle: "short" };
  if (zone) options.timeZone = zone;
  return new Intl.DateTimeFormat(locale, options).format(new Date(ms));
}

// A short zone label for a moment ("GMT+8", "HKT"…), as the locale writes it.
export function zoneName(ms, zone = undefined) {
  const options = { timeZoneName: "short" };
  if (zone) options.timeZone = zone;
  const part = new Intl.DateTimeFormat(locale, options).formatToParts(new Date(ms))
    .find((p) => p.type === "timeZoneName");
  return part ? part.value : (zone || localZone());
}

// A zone as people read it in the reader's language, never its IANA name (core/zones.js
// zoneLabel): with its offset at `at` ("Hong Kong Standard Time (GMT+8)"), or `offset: false`.
export function zoneWords(zone, { at = Date.now(), offset = true } = {}) {
  return zoneLabel(zone, { locale, at, offset, utc: t("common.zone_utc") });
}

// The hearing's time beside the viewer's own: hearings are cross-border.
// → {local, hearing, same} where `same` says both zones show the same wall-clock time;
// `hearing` names the hearing's zone as people read it ("1 Dec 2026, 09:30 Hong Kong Standard
// Time (GMT+8)").
export function zonePair(ms, hearingZone) {
  const local = formatDateTime(ms);
  if (!hearingZone || !knownZone(hearingZone)) return { local, hearing: null, same: true };
  const there = formatDateTime(ms, hearingZone, { withZone: false });
  const same = formatDateTime(ms, undefined, { withZone: false }) === there;
  return { local, hearing: `${there} ${zoneWords(hearingZone, { at: ms })}`, same };
}

// "mm:ss" (or "h:mm:ss") countdown text for a number of seconds (never negative).
export function formatCountdown(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}
