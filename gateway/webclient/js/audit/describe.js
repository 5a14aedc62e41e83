// One audit entry as a sentence a person reads: "Ana Chen (counsel, Claimant) downloaded
// 'Expert report v2.pdf' (version 1 of 2), bytes 0–1,048,575 of 2,000,000, 26 Nov 2026, 14:03
// (HKT)". Names come from the log's own directory (/api/v1/audit/names); what is not named
// there is shown by its id. A side is named in its own entries (added, renamed, removed) as
// those entries recorded it, with the name it has now beside it when that differs.
//
// Every action in actions.js has a sentence (`audit.verb.<action>`) and a short label
// (`audit.action.<action>`). A refused or failed request is told with the label ("… was refused
// ‘Move someone’ on …"): the sentence of an allowed action would say it happened. The rules
// below say which details each sentence shows; dates and times are the product's own
// (core/i18n.js formatDateTime), as everywhere else in Parley.

import { currentLanguage, formatDateTime, formatNumber, formatTime, formattingLocale, has, t, zoneName, zoneWords } from '../core/i18n.js';
import { defaultCaucusName } from '../components/room-name.js';
import { knownZone } from '../core/zones.js';
import { REFUSED_ONLY, SELF_DESCRIBED } from './actions.js';
import { repeatsListed } from './attempts.js';
import { reasonKey } from './reasons.js';
import { routeKey } from './routes.js';
import { SIDE_COLOURS } from './sides.js';

/** A directory from the names API: id → {kind, name, role, side}. */
export function directory(names) {
  const map = new Map();
  for (const n of names) map.set(`${n.kind}:${n.id}`, n);
  return {
    get: (kind, id) => map.get(`${kind}:${id}`) ?? null,
    any: (id) => ['person', 'document', 'room', 'side', 'hearing'].map((k) => map.get(`${k}:${id}`)).find(Boolean) ?? null,
  };
}

// A system actor is one of Parley's services (the signalling service expiring a grace period,
// the audit log rejecting a message) or a setup step: named by the service when it is one.
function systemLabel(id) {
  return has(`audit.service.${id}`) ? t(`audit.service.${id}`) : t('audit.who.system', { id });
}

export function personLabel(dir, actor) {
  if (!actor || actor.id === 'anonymous') return t('audit.who.anonymous');
  if (actor.kind === 'system') return systemLabel(actor.id);
  const person = dir.get('person', actor.id);
  const name = person?.name ?? actor.id;
  const role = actor.role ?? person?.role;
  const sideId = actor.side ?? person?.side;
  const side = sideId ? (dir.get('side', sideId)?.name ?? sideId) : null;
  const roleText = role && has(`audit.role.${role}`) ? t(`audit.role.${role}`) : role;
  const bits = [roleText, side].filter(Boolean);
  return bits.length ? t('audit.person_with', { name, details: bits.join(t('audit.list_separator')) }) : name;
}

/** personLabel, with a staff account's user name beside its display name: "Ms Anna Lee
 *  (mediator), user name ‘anna.lee’" (where a person is looked at one at a time). */
export function personLabelWithAccount(dir, actor) {
  const label = personLabel(dir, actor);
  const person = actor ? dir.get('person', actor.id) : null;
  return person?.username && person.username !== person.name ? t('audit.who.username', { who: label, username: person.username }) : label;
}

/** A person named in an entry's details (a peer, the participant of an invitation). */
export function personName(dir, id) {
  if (!id) return t('audit.resource.unknown');
  return dir.get('person', id)?.name ?? t('audit.resource.participant', { id });
}

// Resource types the directory names, and the kind it names them under.
const NAMED_KINDS = { document: 'document', participant: 'person', account: 'person', room: 'room', side: 'side', hearing: 'hearing' };

export function resourceLabel(dir, resource) {
  const kind = NAMED_KINDS[resource.type];
  if (resource.type === 'room' || ['lobby', 'plenary'].includes(resource.id)) return roomLabel(dir, resource.id);
  const found = kind ? dir.get(kind, resource.id) : null;
  if (found) return resource.type === 'document' ? t('audit.document_name', { name: found.name }) : found.name;
  const route = resource.type === 'route' ? routeKey(resource.id) : null; // "read the hearing list"
  if (route) return t(route);
  const key = `audit.resource.${resource.type}`; // "account 01H…", "the audit log", a route's key
  return has(key) ? t(key, { id: resource.id }) : `${resource.type} ${resource.id}`;
}

/** A compartment as people know it: "Joint" (the documents panel's own word), "Claimant only",
 *  "Claimant, shared with the mediator in confidence", "the mediator's notes"; the recorded text
 *  itself when it is none of those. */
export function compartmentLabel(dir, compartment) {
  if (typeof compartment !== 'string' || !compartment) return t('audit.compartment.unknown');
  const [kind, side] = compartment.split(':');
  const sideName = side ? (dir.get('side', side)?.name ?? side) : null;
  if (compartment === 'joint') return t('participant.docs.tab_joint');
  if (compartment === 'mediator') return t('audit.compartment.mediator');
  if ((kind === 'side' || kind === 'confidential') && sideName && compartment === `${kind}:${side}`) {
    return t(`audit.compartment.${kind}`, { side: sideName });
  }
  return compartment;
}

/** A room as the hearing's screens named it: a side's caucus left with its default name was
 *  logged with none ("") and is named after its side, in the auditor's language, as every
 *  screen of the hearing named it in its reader's. */
export function roomLabel(dir, room) {
  if (!room) return t('audit.room.none');
  if (room === 'lobby' || room === 'plenary') return t(`audit.room.${room}`);
  const found = dir.get('room', room);
  if (found && !found.name && found.side) {
    return defaultCaucusName(dir.get('side', found.side)?.name ?? found.side);
  }
  return found?.name || t('audit.room.caucus_id', { id: room });
}

/** The short name of an action ("Download"), for the filter and for refused requests. */
export function actionLabel(action) {
  return has(`audit.action.${action}`) ? t(`audit.action.${action}`) : action;
}

/** An action as the Action filter offers it: by its label, and one the log holds only as
 *  refusals (actions.js REFUSED_ONLY) as such: "Chat message refused". */
export function actionChoiceLabel(action) {
  return REFUSED_ONLY.has(action) ? t('audit.f.action_refused', { action: actionLabel(action) }) : actionLabel(action);
}

// ------------------------------------------------------------------ dates and times

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

// ------------------------------------------------------------------ sentences

const rooms = (...fields) => (d, dir) => Object.fromEntries(fields.map((f) => [f, roomLabel(dir, d[f])]));
const peerStates = ['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed'];

/** A side's colour in words ("ochre"), as every screen draws it. */
export function colourLabel(colour) {
  return t(`audit.colour.${SIDE_COLOURS.includes(colour) ? colour : 'unknown'}`);
}

// A side as its own entry recorded it (its name then), else as the directory names it now.
function sideThen(dir, id, name) {
  const then = typeof name === 'string' && name ? name : (dir.get('side', id)?.name ?? id);
  return t('audit.side_quoted', { name: then });
}

const sideChange = (d, dir, e) => ({
  side: sideThen(dir, e.resource.id, d.name), colour: colourLabel(d.colour),
  from: sideThen(dir, e.resource.id, d.previous_name), to: sideThen(dir, e.resource.id, d.name),
  from_colour: colourLabel(d.previous_colour), to_colour: colourLabel(d.colour),
});

// A hearing's details as a change of them recorded them (services/signalling/hearing_details.py):
// its titles quoted, its starts in the zone each was set in ("no set time" for none).
const startThen = (ms, zone) => (Number.isSafeInteger(ms)
  ? dateTime(ms, typeof zone === 'string' && knownZone(zone) ? zone : undefined) : t('audit.hearing_unscheduled'));
// A zone by name (no offset: the start's own time says it), or "" when the entry names none.
const zoneThen = (zone, at) => (typeof zone === 'string' && knownZone(zone)
  ? zoneWords(zone, { at: Number.isSafeInteger(at) ? at : Date.now(), offset: false }) : '');
const detailsChange = (d) => ({
  from: t('audit.hearing_quoted', { name: d.previous_title ?? '' }), to: t('audit.hearing_quoted', { name: d.title ?? '' }),
  from_time: startThen(d.previous_scheduled_at, d.previous_time_zone), to_time: startThen(d.scheduled_at, d.time_zone),
  from_zone: zoneThen(d.previous_time_zone, d.previous_scheduled_at), to_zone: zoneThen(d.time_zone, d.scheduled_at),
});

// What each sentence shows from the entry's details, beyond {who} and {what}.
const PARAMS = {
  'hearing.details_change': detailsChange,
  'hearing.mediator_rename': (d) => ({ name: d.mediator_name || t('audit.resource.unknown') }),
  'hearing.mediator_handover': (d, dir) => ({ from: d.from_name || personName(dir, d.from), name: d.mediator_name || personName(dir, d.to) }),
  'participant.redeem': (d, dir) => ({ person: personName(dir, d.participant) }),
  'participant.connect': rooms('room'),
  'participant.disconnect': rooms('room'),
  'participant.admit': rooms('from', 'to'),
  'participant.leave': rooms('from'),
  'participant.remove': rooms('from'),
  'room.move': rooms('from', 'to'),
  'room.move_side': (d, dir) => ({ to: roomLabel(dir, d.to), count: Number(d.moved ?? 0) }),
  'room.shuttle': rooms('from', 'to'),
  'room.grace_expired': rooms('from'),
  'room.knock': rooms('room'),
  'room.timer': (d) => ({ count: Math.max(1, Math.round(Number(d.seconds ?? 0) / 60)) }),
  'room.peer_state': (d, dir) => ({ person: personName(dir, d.peer), room: roomLabel(dir, d.room),
    state: t(`audit.peer.${peerStates.includes(d.state) ? d.state : 'unknown'}`) }),
  'document.list': (d) => ({ count: Number(d.count ?? 0) }),
  'document.upload': (d, dir) => ({ compartment: compartmentLabel(dir, d.compartment) }),
  'document.release': (d, dir) => ({ from: compartmentLabel(dir, d.compartment), to: compartmentLabel(dir, d.to) }),
  'document.view': (d) => ({ count: Number(d.versions ?? 0) }),
  'document.versions_list': (d) => ({ count: Number(d.versions ?? 0) }),
  'hearing.side_add': sideChange,
  'hearing.side_rename': sideChange,
  'hearing.side_remove': sideChange,
};

// What a side's rename changed (evidence of neither: an entry older than the details).
function renamed(d) {
  const name = typeof d.previous_name === 'string' && typeof d.name === 'string' && d.previous_name !== d.name;
  const colour = SIDE_COLOURS.includes(d.previous_colour) && SIDE_COLOURS.includes(d.colour) && d.previous_colour !== d.colour;
  if (name && colour) return 'both';
  return name ? 'name' : colour ? 'colour' : null;
}

// Where a connection closed with no room (audit/departures.js: `cause`, the removal or denial
// that closed it, when it is known) — "the lobby is a place": a sentence of its own.
function departure(d, cause) {
  if (d.room === 'lobby') return 'lobby';
  if (d.room) return null;
  if (cause?.action === 'participant.deny') return 'denied';
  if (cause?.action === 'participant.remove') return cause.details?.from === 'lobby' ? 'removed_lobby' : 'removed';
  return 'nowhere';
}

// Another sentence for the same action (`audit.verb.<action>.<variant>`), chosen by its details
// (and, for a connection closed in no room, by what closed it: `cause`).
const VARIANTS = {
  'participant.connect': (d) => (d.room === 'lobby' ? 'lobby' : null),
  'participant.disconnect': (d, e, cause) => departure(d, cause),
  'participant.leave': (d) => (d.from === 'lobby' ? 'lobby' : d.from ? null : 'nowhere'),
  'participant.remove': (d) => (d.from === 'lobby' ? 'lobby' : typeof d.from === 'string' && d.from ? 'room' : null),
  // renamed, moved, or both; the start and its zone are recorded together when either changed,
  // so a zone changed alone (the same instant) is told as that, never as a move
  'hearing.details_change': (d) => {
    const title = typeof d.title === 'string' && typeof d.previous_title === 'string';
    const time = 'scheduled_at' in d && 'previous_scheduled_at' in d;
    const zone = time && d.scheduled_at === d.previous_scheduled_at && Number.isSafeInteger(d.scheduled_at)
      && typeof d.time_zone === 'string' && typeof d.previous_time_zone === 'string' && d.time_zone !== d.previous_time_zone;
    if (zone) return title ? 'title_zone' : 'zone';
    return title && time ? null : title ? 'title' : time ? 'time' : 'unspecified';
  },
  'hearing.close': (d) => (d.destroy_documents ? 'destroy' : null),
  'room.timer': (d) => (d.seconds ? null : 'cleared'),
  'room.knock': (d) => (d.on === false ? 'off' : null),
  'audit.query': (d, e) => (e.resource.id === 'names' ? 'names' : null),
  // evidence's `versions` before it had its own action (`document.versions_list`): the
  // document's versions listed, audited as a view of it
  'document.view': (d) => (d.versions !== undefined ? 'versions' : null),
  // the bytes read to be shown in the page (the purpose the client declared), not saved;
  // without a purpose (older entries, API clients), a download
  'document.download': (d) => (d.purpose === 'view' ? 'view' : null),
  // a refused read says what it was for, as its grant would have (evidence records the
  // purpose on the refusal too); an older entry, only that access was refused
  'document.denied': (d) => (d.purpose === 'view' || d.purpose === 'download' ? d.purpose : null),
  // a refused route the catalogue has words for: "was refused: read the hearing list"
  'auth.denied': (d, e) => (e.resource.type === 'route' && routeKey(e.resource.id) ? 'route' : null),
  // a share with the mediator in confidence says so, in the words the participant's screen
  // used for it (a release to Joint is a share with everyone: the sentence names Joint)
  'document.release': (d) => (typeof d.to === 'string' && d.to.startsWith('confidential:') ? 'confidential' : null),
  // the rename's own details say from what to what; an older entry, only that it happened
  'hearing.side_rename': (d) => { const what = renamed(d); return what === 'both' ? null : (what ?? 'unspecified'); },
};

/** A network address as the gateway recorded it, a keyed pseudonym ("addr:2026-11:7fec3a…",
 *  gateway/identity/pseudonym.py), as people read it: "a network address (pseudonym 7fec3a…)";
 *  the entry's page shows it whole. */
export function addressLabel(address) {
  const found = /^addr:[0-9-]+:([0-9a-f]{6})[0-9a-f]*$/.exec(typeof address === 'string' ? address : '');
  return found ? t('audit.address', { short: found[1] }) : t('audit.resource.unknown');
}

// A refusal told more closely than "… was refused: <action> (<what>)", by its details. A
// refused invitation is recorded by two services: the signalling service names whose
// invitation it was (`participant`); the gateway, where the request came from (`address`, a
// pseudonym) and counts repeats (`kind` "redeem.<code>"). Each sentence says which it is.
const REFUSED = {
  'participant.redeem': (d, dir) => {
    if (typeof d.participant === 'string' && d.participant) return ['for', { person: personName(dir, d.participant) }];
    if (typeof d.kind === 'string' && d.kind.startsWith('redeem.')) return ['gateway', { address: addressLabel(d.address) }];
    return null;
  },
};

// The entries that name one version of a document (a view of the list of versions names the
// latest: it is about them all). A release names the version it widened: the latest.
const ONE_VERSION = new Set(['document.upload', 'document.view', 'document.download', 'document.release',
  'document.integrity_failure']);

/** The number a version's readers knew it by (versions.js `readers`: {compartment, number}),
 *  named by its audience as the documents panel words it: "its readers' joint version 1". */
export function readersText(readers) {
  const kind = readers.compartment === 'joint' || readers.compartment === 'mediator' ? readers.compartment
    : String(readers.compartment).startsWith('confidential:') ? 'confidential' : 'side';
  return t(`audit.version.readers.${kind}`, { number: readers.number });
}

/** The entry page's "Version": its number among the document's uploads, with the number its
 *  readers knew it by where that is another (as the entry's sentence gives it), and its id. */
export function versionFact(numbered, id) {
  const params = { number: numbered.number, count: numbered.count, total: numbered.total, id };
  return numbered.readers ? t('audit.entry.version_numbered_readers', { ...params, readers: readersText(numbered.readers) })
    : t('audit.entry.version_numbered', params);
}

// " (version 2 of 3)" when the report can number the version (audit/versions.js) and the
// document has more than one; nothing otherwise (the entry's page shows the version's id).
// " (version 2 of 3, its readers' joint version 1)" where its readers numbered it otherwise.
function versionText(event, versions, index) {
  if (!versions || !ONE_VERSION.has(event.action) || (event.details || {}).versions !== undefined) return '';
  const found = versions(event, index);
  if (!found || found.total < 2) return '';
  if (found.count < 2) return t('audit.version.only_then', { number: found.number });
  return found.readers ? t('audit.version.of_readers', { number: found.number, count: found.count, readers: readersText(found.readers) })
    : t('audit.version.of', { number: found.number, count: found.count });
}

/** The bytes a download (or a failed read) covered, from its details: the recorded `end` is
 *  exclusive (services/evidence/ranges.py), so the last byte is `end - 1`; `size` is the
 *  version's size. "" when the details do not say. */
export function rangeText(d) {
  const start = Number(d.start);
  const end = Number(d.end);
  if (d.start === undefined || d.end === undefined || !Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return '';
  const size = Number.isSafeInteger(Number(d.size)) && d.size !== undefined ? Number(d.size) : null;
  if (size !== null && start === 0 && end === size) return t('audit.range.whole', { count: size });
  if (end <= start) return '';
  const span = { first: formatNumber(start), last: formatNumber(end - 1) };
  return size !== null ? t('audit.range.part_of', { ...span, size: formatNumber(size) }) : t('audit.range.part', span);
}

/** A recorded reason in words: `audit.why.<key>` (audit/reasons.js), or a neutral sentence
 *  pointing to the entry's details for a reason no sentence can say; never the raw code. */
export function reasonText(action, reason) {
  const key = reasonKey(action, reason);
  return t(key ? `audit.why.${key}` : 'audit.why.unknown');
}

// Added after the sentence: the byte range of a download, a side's name now, a refusal's
// reason, and how many refusals a summary entry stands for (gateway/identity/denials.py writes
// one per period).
function suffixes(event, dir, zone) {
  const d = event.details || {};
  const out = [];
  if (['document.download', 'document.integrity_failure'].includes(event.action)) out.push(rangeText(d));
  const now = event.action.startsWith('hearing.side_') && event.outcome === 'allowed' ? dir.get('side', event.resource.id)?.name : null;
  if (now && typeof d.name === 'string' && d.name && now !== d.name) out.push(t('audit.side_now_called', { name: now }));
  if (d.summary && d.count) {
    // `to_ms` is when the period closed and the summary was written, not the last attempt's time.
    const span = { count: Number(d.count), from: clockTime(d.from_ms ?? event.time, zone), to: clockTime(d.to_ms ?? event.time, zone) };
    out.push(t(repeatsListed(event) ? 'audit.repeated_listed' : 'audit.repeated', span));
  }
  if (event.outcome !== 'allowed' && typeof d.reason === 'string' && d.reason) out.push(t('audit.reason', { reason: reasonText(event.action, d.reason) }));
  return out.join('');
}

function verbKey(event, cause) {
  const variant = VARIANTS[event.action]?.(event.details || {}, event, cause);
  const key = `audit.verb.${event.action}`;
  return variant && has(`${key}.${variant}`) ? `${key}.${variant}` : key;
}

/** The sentence; `withTime: false` leaves the time out (a table shows it in its own column).
 *  `versions` (audit/versions.js `versionBook`) and the entry's `index` number the version
 *  an entry is about, where the caller read the document's uploads; `cause` is what closed
 *  a connection that ended in no room (audit/departures.js), where the caller has it. */
export function describeEntry(event, dir, zone, { withTime = true, versions = null, index = undefined, cause = null } = {}) {
  const who = personLabel(dir, event.actor);
  const what = resourceLabel(dir, event.resource) + versionText(event, versions, index);
  const d = event.details || {};
  const key = verbKey(event, cause);
  const refused = event.outcome === 'denied' && !SELF_DESCRIBED.has(event.action) ? REFUSED[event.action]?.(d, dir) : null;
  let text;
  if (!has(key)) {
    text = t('audit.verb.other', { who, what, action: event.action });
  } else if (event.outcome === 'allowed' || SELF_DESCRIBED.has(event.action)) {
    text = t(key, { who, what, ...(PARAMS[event.action]?.(d, dir, event) ?? {}) });
  } else if (refused) {
    text = t(`audit.refused.${event.action}.${refused[0]}`, { who, what, ...refused[1] });
  } else {
    text = t(`audit.attempt.${event.outcome === 'failed' ? 'failed' : 'denied'}`, { who, what, action: actionLabel(event.action) });
  }
  text += suffixes(event, dir, zone);
  return withTime ? t('audit.sentence_at', { text, time: dateTime(event.time, zone) }) : text;
}

/** One refused use of an invitation that both services recorded (audit/attempts.js) as one
 *  sentence: who, from where (the gateway's), whose invitation (signalling's) and why — as the
 *  gateway answered it: for the wrong code that blocked the invitation, the block. */
export function describeAttempt(signalling, gateway, dir) {
  const text = t('audit.refused.participant.redeem.both', { who: personLabel(dir, gateway.actor),
    address: addressLabel(gateway.details?.address), person: personName(dir, signalling.details?.participant) });
  return text + t('audit.reason', { reason: reasonText(gateway.action, gateway.details?.reason) });
}

/** A run of folded reports (FOLDED) as one line: "14 connection reports from Ana Chen, Bo Lam"
 *  (names only: each entry, opened, gives the role and side). */
export function describeRun(events, dir) {
  const people = [...new Set(events.map((e) => dir.get('person', e.actor?.id)?.name ?? personLabel(dir, e.actor)))];
  const shown = people.slice(0, 3).join(t('audit.list_separator'));
  const names = people.length > 3 ? t('audit.fold.more', { names: shown, count: people.length - 3 }) : shown;
  return t(`audit.fold.${events[0].action}`, { count: events.length, names });
}
