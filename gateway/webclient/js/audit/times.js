// Dates and times in an audit report, in the product's own words (core/i18n.js formatDateTime)
// and in the zone asked for (default: the viewer's): to the minute, to the second, a day, a range.

import { currentLanguage, formatDateTime, formatTime, formattingLocale, t, zoneName, zoneWords } from '../core/i18n.js';

// The product's formatters build an Intl.DateTimeFormat per call; a timeline formats a thousand
// times, so results are kept per minute (their precision), zone and language.
const memo = new Map();

function perMinute(kind, format, ms, zone) {
  const key = `${kind}|${currentLanguage()}|${zone ?? ''}|${Math.floor(ms / 60000)}`;
  let text = memo.get(key);
  if (text === undefined) {
    if (memo.size > 5000) memo.clear();
    text = format(ms, zone);
    memo.set(key, text);
  }
  return text;
}

/** "26 Nov 2026, 14:03 (HKT)": the product's date and time, in `zone` (default: the viewer's). */
export const dateTime = (ms, zone) => perMinute('dt', formatDateTime, ms, zone);

/** "14:03", for a timeline's axis and segments (its header says which day and zone). */
export const clockTime = (ms, zone) => perMinute('t', formatTime, ms, zone);

// Formatters to the second, kept per language, zone and style (a table formats hundreds).
const formatters = new Map();

function formatter(style, zone) {
  const key = `${style}|${currentLanguage()}|${zone ?? ''}`;
  if (!formatters.has(key)) {
    const options = style === 'time' ? { timeStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'medium' };
    formatters.set(key, new Intl.DateTimeFormat(formattingLocale(currentLanguage()), { ...options, ...(zone ? { timeZone: zone } : {}) }));
  }
  return formatters.get(key);
}

/** "14:03:27", for an axis whose ticks are seconds apart, and tables whose rows can be. */
export const clockSeconds = (ms, zone) => formatter('time', zone).format(new Date(ms));

/** "27 Nov 2026, 11:51:07 (UTC)": a table row's time, to the second, since entries of one
 *  minute are many (a hearing's document work) and their order must be readable. */
export function dateTimeSeconds(ms, zone) {
  return t('audit.time_zoned', { time: formatter('date', zone).format(new Date(ms)), zone: zoneName(ms, zone) });
}

/** From `start` to `end` to the second, the date and zone once where both fall on one day:
 *  "27 Nov 2026, 18:39:05 – 18:39:52 (GMT+8)"; in full on both sides otherwise. */
export function timeRange(start, end, zone) {
  const [from, to] = [zoneName(start, zone), zoneName(end, zone)];
  if (from === to && calendarDate(start, zone) === calendarDate(end, zone)) {
    return t('audit.time_range_day', { date: calendarDate(start, zone), from: clockSeconds(start, zone), to: clockSeconds(end, zone), zone: from });
  }
  const full = (ms, name) => t('audit.time_zoned', { time: formatter('date', zone).format(new Date(ms)), zone: name });
  return t('audit.time_range', { from: full(start, from), to: full(end, to) });
}

/** "24 Nov", a day on a timeline's axis (its header says the year). */
export function shortDay(ms, zone) {
  const options = { day: 'numeric', month: 'short', ...(zone ? { timeZone: zone } : {}) };
  return perMinute('sd', () => new Intl.DateTimeFormat(formattingLocale(currentLanguage()), options).format(new Date(ms)), ms, zone);
}

/** "26 Nov 2026" in `zone`, written like the date in dateTime (the product's locale). */
export function calendarDate(ms, zone) {
  const options = { dateStyle: 'medium', ...(zone ? { timeZone: zone } : {}) };
  return perMinute('d', () => new Intl.DateTimeFormat(formattingLocale(currentLanguage()), options).format(new Date(ms)), ms, zone);
}

/** The heading of a column of times in the hearing's zone (`steps`: hearing-life.js zoneSteps),
 *  which each row reads in the zone in force then: "Hearing's time (Hong Kong Standard Time)";
 *  when it was changed, which zone from when (in `zone`, the auditor's): "Hearing's time (Hong
 *  Kong Standard Time, then United Kingdom Time from 27 Nov 2026, 10:02 (UTC))". */
export function hearingTimeHeading(steps, zone) {
  const words = (step) => zoneWords(step.zone, { at: step.since, offset: false });
  const zones = steps.map((step, n) => (n ? t('audit.col.zone_then', { zone: words(step), time: dateTime(step.since, zone) }) : words(step)));
  return t('audit.col.hearing_time', { zone: zones.join(t('audit.list_separator')) });
}
