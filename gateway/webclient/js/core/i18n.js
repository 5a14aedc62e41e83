// Message catalogues and locale formatting (DESIGN §8): English, Traditional and Simplified
// Chinese. One catalogue file per language and area (`/static/i18n/<lang>/<area>.json`), keys
// prefixed by area (`staff.signin.title`). The language comes from the browser unless the person
// picked one (remembered in localStorage); switching re-renders the current screen.
//
// A message is a string with `{name}` placeholders, or a plural object (`{"one": …,
// "other": …}`) chosen by `params.count` with Intl.PluralRules; an exact count written as in ICU
// MessageFormat (`"=2": "Covers both people…"`) comes before the language's category. Numbers in
// params are formatted for the locale. A missing key shows the key itself (and the catalogue
// test catches it).

export const LANGUAGES = ["en", "zh-Hant", "zh-Hans"];
export const AREAS = ["common", "staff", "mediator", "participant", "audit", "admin"];
const STORAGE_KEY = "parley.lang";

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

export function chosenLanguage() {
  const stored = localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.includes(stored) ? stored : browserLanguage();
}

async function loadCatalogues(lang) {
  const parts = await Promise.all(AREAS.map(async (area) => {
    // Relative to this module, so the catalogues share the versioned prefix the shell loaded.
    const response = await fetch(new URL(`../../i18n/${lang}/${area}.json`, import.meta.url));
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

// Pure: the form of a plural message for `count` in `lang`: an exact "=N" form, else the
// language's plural category, else "other".
export function pluralForm(message, count, lang) {
  const exact = message[`=${count}`];
  if (exact !== undefined) return exact;
  return message[new Intl.PluralRules(lang).select(count)] ?? message.other;
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(messages, key);
}

export function formatNumber(value) {
  return new Intl.NumberFormat(locale).format(value);
}

// ---------------------------------------------------------------- dates, times, time zones

export function localZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function validZone(zone) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch (_) {
    return false;
  }
}

export function formatDateTime(ms, zone = undefined, { withZone = true } = {}) {
  const options = { dateStyle: "medium", timeStyle: "short" };
  if (zone) options.timeZone = zone;
  const text = new Intl.DateTimeFormat(locale, options).format(new Date(ms));
  return withZone ? `${text} (${zoneName(ms, zone)})` : text;
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

// The hearing's time beside the viewer's own: hearings are cross-border.
// → {local, hearing, same} where `same` says both zones show the same wall-clock time.
export function zonePair(ms, hearingZone) {
  const local = formatDateTime(ms);
  if (!hearingZone || !validZone(hearingZone)) return { local, hearing: null, same: true };
  const there = formatDateTime(ms, hearingZone);
  const same = formatDateTime(ms, undefined, { withZone: false })
    === formatDateTime(ms, hearingZone, { withZone: false });
  return { local, hearing: `${there} · ${hearingZone}`, same };
}

// "mm:ss" (or "h:mm:ss") countdown text for a number of seconds (never negative).
export function formatCountdown(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}
