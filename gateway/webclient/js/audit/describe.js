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
// Names (audit/labels.js) and dates (audit/times.js) are their own modules; they are exported
// from here too, where the report's screens have always found them.

import { formatNumber, has, t, zoneWords } from '../core/i18n.js';
import { knownZone } from '../core/zones.js';
import { SELF_DESCRIBED } from './actions.js';
import { repeatsListed } from './attempts.js';
import { titleAt } from './hearing-life.js';
import { actionLabel, compartmentLabel, personLabel, personName, resourceLabel, roomLabel } from './labels.js';
import { reasonKey } from './reasons.js';
import { routeKey } from './routes.js';
import { SIDE_COLOURS } from './sides.js';
import { clockTime, dateTime } from './times.js';


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
  // the title it was created with (its own entry), not the one it has now: a later rename is a
  // line of its own (hearing.details_change)
  'hearing.create': (d) => (typeof d.title === 'string' && d.title ? { what: t('audit.hearing_quoted', { name: d.title }) } : {}),
  'hearing.details_change': detailsChange,
  'hearing.mediator_rename': (d) => ({ name: d.mediator_name || t('audit.resource.unknown') }),
  'hearing.mediator_handover': (d, dir) => ({ from: d.from_name || personName(dir, d.from), name: d.mediator_name || personName(dir, d.to) }),
  'participant.redeem': (d, dir) => ({ person: personName(dir, d.participant) }),
  'participant.connect': rooms('room'),
  'participant.disconnect': rooms('room'),
  'participant.media_claim': rooms('room'), 'participant.media_free': rooms('room'),
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
  'participant.media_claim': (d) => (d.moved === true ? 'moved' : null), // from a console that held them
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
  // time added to the timer running (the server adds `seconds` to its deadline), set, or cleared
  'room.timer': (d) => (d.added ? 'added' : d.seconds ? null : 'cleared'),
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

// The hearing an entry is about by the title it had then (`titles`: hearing id → its
// hearing-life.js titleSteps), not the one the log's directory gives it now; null where the
// caller read none.
const hearingThen = (event, titles) => {
  const steps = event.resource?.type === 'hearing' ? titles?.get(event.resource.id) : null;
  return steps?.length ? titleAt(steps, event.time) : null;
};

/** The sentence; `withTime: false` leaves the time out (a table shows it in its own column).
 *  `versions` (audit/versions.js `versionBook`) and the entry's `index` number the version
 *  an entry is about, where the caller read the document's uploads; `cause` is what closed
 *  a connection that ended in no room (audit/departures.js), where the caller has it;
 *  `titles` (a Map: hearing id → hearing-life.js titleSteps, data.js hearingTitles) name a
 *  hearing by the title it had when the entry was written. */
export function describeEntry(event, dir, zone, { withTime = true, versions = null, index = undefined, cause = null, titles = null } = {}) {
  const who = personLabel(dir, event.actor);
  const what = (hearingThen(event, titles) ?? resourceLabel(dir, event.resource)) + versionText(event, versions, index);
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
