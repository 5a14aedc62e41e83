// One audit entry as a sentence a person reads: "Ana Chen (counsel, Claimant) downloaded
// 'Expert report v2.pdf', bytes 0–1,048,575, 14:03:22 HKT". Names come from the log's own
// directory (/api/v1/audit/names); what is not named there is shown by its id.

import { currentLanguage, formatNumber, has, t } from '../core/i18n.js';

/** A directory from the names API: id → {kind, name, role, side}. */
export function directory(names) {
  const map = new Map();
  for (const n of names) map.set(`${n.kind}:${n.id}`, n);
  return {
    get: (kind, id) => map.get(`${kind}:${id}`) ?? null,
    any: (id) => ['person', 'document', 'room', 'side', 'hearing'].map((k) => map.get(`${k}:${id}`)).find(Boolean) ?? null,
  };
}

export function personLabel(dir, actor) {
  if (!actor || actor.id === 'anonymous') return t('audit.who.anonymous');
  const person = dir.get('person', actor.id);
  const name = person?.name ?? actor.id;
  const role = actor.role ?? person?.role;
  const sideId = actor.side ?? person?.side;
  const side = sideId ? (dir.get('side', sideId)?.name ?? sideId) : null;
  const roleText = role && has(`audit.role.${role}`) ? t(`audit.role.${role}`) : role;
  const bits = [roleText, side].filter(Boolean);
  return bits.length ? t('audit.person_with', { name, details: bits.join(t('audit.list_separator')) }) : name;
}

export function resourceLabel(dir, resource) {
  const kind = { document: 'document', participant: 'person', account: 'person', room: 'room', side: 'side', hearing: 'hearing' }[resource.type];
  const found = kind ? dir.get(kind, resource.id) : null;
  if (found) return resource.type === 'document' ? t('audit.document_name', { name: found.name }) : found.name;
  if (resource.type === 'room' || ['lobby', 'plenary'].includes(resource.id)) return roomLabel(dir, resource.id);
  return `${resource.type} ${resource.id}`;
}

export function roomLabel(dir, room) {
  if (room === 'lobby' || room === 'plenary') return t(`audit.room.${room}`);
  return dir.get('room', room)?.name ?? t('audit.room.caucus_id', { id: room });
}

// Formatters are costly to build (a timeline formats a thousand times): one per zone.
const formatters = new Map();

function formattersFor(zone) {
  const key = zone ?? '';
  let pair = formatters.get(key);
  if (!pair) {
    const options = { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };
    if (zone) options.timeZone = zone;
    pair = { time: new Intl.DateTimeFormat(undefined, options), zone: new Intl.DateTimeFormat(undefined, { timeZoneName: 'short', ...(zone ? { timeZone: zone } : {}) }) };
    formatters.set(key, pair);
  }
  return pair;
}

/** "26 Nov 2026" in `zone` (default: the viewer's), in the page's language. */
export function calendarDate(ms, zone) {
  const key = `date:${currentLanguage()}:${zone ?? ''}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'medium', ...(zone ? { timeZone: zone } : {}) });
    formatters.set(key, format);
  }
  return format.format(new Date(ms));
}

/** "14:03:22" in `zone` (default: the viewer's). */
export const clockTime = (ms, zone) => formattersFor(zone).time.format(new Date(ms));

/** "14:03:22 HKT". */
export function timeWithZone(ms, zone) {
  const pair = formattersFor(zone);
  const date = new Date(ms);
  const name = pair.zone.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? zone ?? '';
  return `${pair.time.format(date)} ${name}`;
}

/** The sentence; `withTime: false` leaves the time out (a table shows it in its own column). */
export function describeEntry(event, dir, zone, { withTime = true } = {}) {
  const who = personLabel(dir, event.actor);
  const what = resourceLabel(dir, event.resource);
  const d = event.details || {};
  const verbKey = `audit.verb.${event.action}`;
  let text = has(verbKey) ? t(verbKey, { who, what }) : t('audit.verb.other', { who, what, action: event.action });
  if (event.action === 'document.download' && d.start !== undefined && d.end !== undefined) {
    text += t('audit.bytes', { start: formatNumber(d.start), end: formatNumber(d.end) });
  }
  if ((event.action === 'room.move' || event.action === 'participant.admit') && d.to) {
    text += t('audit.to_room', { room: roomLabel(dir, d.to) });
  }
  if (event.outcome !== 'allowed') text += ` — ${t(`audit.outcome.${event.outcome}`)}`;
  return withTime ? t('audit.sentence_at', { text, time: timeWithZone(event.time, zone) }) : text;
}
