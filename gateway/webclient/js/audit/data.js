// The auditor's reads of the log (each is itself audited by the server).

import { api } from '../core/api.js';
import { detailsHistory, titleSteps, zoneSteps } from './hearing-life.js';
import { directory } from './labels.js';
import { TIMELINE_SOURCES } from './timeline.js';
import { versionBook } from './versions.js';

export const SEARCH_FIELDS = ['hearing', 'person', 'actor', 'with_invitations', 'action', 'resource_type', 'resource_id', 'outcome',
  'time_from', 'time_to', 'order'];

export function searchParams(filter, { cursor = null, limit = 50 } = {}) {
  const params = new URLSearchParams();
  for (const name of SEARCH_FIELDS) if (filter[name]) params.set(name, filter[name]);
  if (cursor) params.set('cursor', cursor);
  params.set('limit', String(limit));
  return params;
}

export async function search(filter, options) {
  const page = await api('GET', `/api/v1/audit/events?${searchParams(filter, options)}`);
  return { ...page, events: page.events.map((row) => ({ index: row.index, raw: row.entry, event: JSON.parse(row.entry) })) };
}

/** Every matching entry (pages of 1000), up to `max`; `onPage(done, total)` reports progress. */
export async function searchAll(filter, { max = 20000, onPage = () => {} } = {}) {
  const rows = [];
  let cursor = null;
  let total = 0;
  do {
    const page = await search(filter, { cursor, limit: 1000 });
    rows.push(...page.events);
    total = page.total ?? rows.length;
    cursor = page.next_cursor ?? null;
    onPage(rows.length, total);
  } while (cursor && rows.length < max);
  return { rows, total, truncated: Boolean(cursor) };
}

export async function entryAt(index) {
  const params = new URLSearchParams({ limit: '1' });
  if (index > 0) params.set('cursor', String(index - 1));
  const page = await api('GET', `/api/v1/audit/events?${params}`);
  const row = page.events[0];
  if (!row || row.index !== index) return null;
  return { index, raw: row.entry, event: JSON.parse(row.entry) };
}

// The log's names a page at a time (1,000, the most a page holds; fewer when they are long:
// services/audit/names_table.py `page`), by name.
const NAMES_PAGE = 1000;
const readNames = (params) => api('GET', `/api/v1/audit/names?${params}`);

/** Every name `query` matches (a hearing's: all its people, sides, rooms and documents), page
 *  after page as the API's `next_cursor` leads, up to `max` (the whole log's are many: a screen
 *  names what it shows by the hearings it belongs to instead, nameLedger). `read(params)`
 *  fetches one page (passed in for tests). */
export async function names(query = {}, { max = 20000, read = readNames } = {}) {
  const found = [];
  let cursor = null;
  do {
    const params = new URLSearchParams({ limit: String(Math.min(NAMES_PAGE, max)), ...query });
    if (cursor) params.set('cursor', cursor);
    const page = await read(params);
    found.push(...page.names);
    cursor = page.next_cursor ?? null;
  } while (cursor && found.length < max);
  return found;
}

export const inclusionProof = (index, size) => api('GET', `/api/v1/audit/proofs/inclusion?index=${index}&size=${size}`);

const histories = new Map();

// A hearing's details over time (hearing-life.js detailsHistory), read once per hearing.
function hearingHistory(hearing) {
  if (!histories.has(hearing)) {
    const read = Promise.all(['hearing.create', 'hearing.details_change'].map((action) => searchAll({ hearing, action, order: 'asc' })))
      .then((parts) => detailsHistory(parts.flatMap((part) => part.rows.map((r) => r.event))));
    read.catch(() => histories.delete(hearing)); // read again next time, not failed for good
    histories.set(hearing, read);
  }
  return histories.get(hearing);
}

/** The hearing's time zone over time, as its creation and its changes of details recorded it
 *  (hearing-life.js zoneSteps: [{since, zone}], empty if none): an entry's time in the hearing's
 *  zone is in the zone in force then (zoneAt), not the one it was created in. */
export async function hearingZones(hearing) {
  return hearing ? zoneSteps(await hearingHistory(hearing)) : [];
}

/** The hearing's title over time (hearing-life.js titleSteps: [{since, title}], empty if none):
 *  a sentence naming the hearing names it by the title it had then (titleAt). */
export async function hearingTitles(hearing) {
  return hearing ? titleSteps(await hearingHistory(hearing)) : [];
}

// The entries versions.js numbers versions by: uploads, and releases (its readers' numbers).
const VERSION_SOURCES = ['document.upload', 'document.release'];

/** The numbering of documents' versions (audit/versions.js) for entries a `filter` shows:
 *  from the uploads of its document, or of its hearing; null when it names neither. */
export async function versionsFor(filter) {
  const scope = filter.resource_type === 'document' && filter.resource_id
    ? { resource_type: 'document', resource_id: filter.resource_id } : filter.hearing ? { hearing: filter.hearing } : null;
  if (!scope) return null;
  const parts = await Promise.all(VERSION_SOURCES.map((action) => searchAll({ ...scope, action, order: 'asc' })));
  return versionBook(parts.flatMap((part) => part.rows));
}

// The entries that name one version of a document (describe.js numbers them).
const NAMES_VERSION = (event) => event?.resource?.type === 'document' && typeof event.details?.version === 'string';

/** The numbering of documents' versions for any entries, whatever the filter that found them
 *  (a person's, an action's): `prepare(rows)` reads the uploads and releases of each hearing (or, for an
 *  entry of no hearing, each document) the rows name a version of and has not read yet;
 *  `book(event, index)` is versions.js's answer over every upload read so far. `read` is
 *  searchAll (passed in for tests). */
export function versionLedger(read = searchAll) {
  const uploads = [];
  const done = new Set();
  let numbered = versionBook([]);
  const scopeOf = (event) => (event.hearing ? `hearing:${event.hearing}` : `document:${event.resource.id}`);
  const filterOf = (scope) => {
    const at = scope.indexOf(':');
    const id = scope.slice(at + 1);
    return scope.slice(0, at) === 'hearing' ? { hearing: id } : { resource_type: 'document', resource_id: id };
  };
  return {
    async prepare(rows) {
      const wanted = [...new Set(rows.map((r) => r.event).filter(NAMES_VERSION).map(scopeOf))].filter((scope) => !done.has(scope));
      if (!wanted.length) return;
      const parts = await Promise.all(wanted.flatMap((scope) => VERSION_SOURCES.map((action) => read({ ...filterOf(scope), action, order: 'asc' }))));
      wanted.forEach((scope) => done.add(scope));
      const seen = new Set(uploads.map((r) => r.index));
      for (const row of parts.flatMap((part) => part.rows)) {
        if (!seen.has(row.index)) uploads.push(row);
        seen.add(row.index);
      }
      numbered = versionBook(uploads);
    },
    book: (event, index) => numbered(event, index),
  };
}

/** The filter of person `id`'s report: what they did and every use of the invitations issued
 *  to them, refused ones included, each entry once, in log order. A redemption's entries name
 *  the invitation, not the person, and are nobody's as actor (no one is signed in yet): the
 *  server finds them through the entries that issued the invitations (with_invitations:
 *  services/audit/invitations.py), paged and counted with the rest. */
export const personFilter = (id) => ({ actor: id, with_invitations: true, order: 'asc' });

/** Every use of the invitations issued to participant `id` (rows, in log order), refused ones
 *  included: the report's own filter, its redemptions alone. `read` is searchAll (passed in
 *  for tests). */
export async function invitationUses(id, read = searchAll) {
  return (await read({ ...personFilter(id), resource_type: 'invitation', action: 'participant.redeem' })).rows;
}

/** The entries a hearing's timeline folds, in log order (audit/timeline.js says which), as
 *  rows ({index, event}): their side renames also rename caucuses (sides.js caucusesNamedNow). */
export async function hearingRows(hearing) {
  const parts = await Promise.all(TIMELINE_SOURCES.map((action) => searchAll({ hearing, action, order: 'asc' })));
  return parts.flatMap((p) => p.rows).sort((a, b) => a.index - b.index);
}

/** The same entries' events. */
export async function hearingEvents(hearing) {
  return (await hearingRows(hearing)).map((r) => r.event);
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The person the log's directory names `id` (a staff account by its display name as it is
 *  now, else its user name; with `username`), or null. */
export async function personNamed(id) {
  if (!id || !ID.test(id)) return null;
  return (await names({ id, kind: 'person' }))[0] ?? null;
}

/** The names a report on one person or document (`kind`: "person", "document") reads, and
 *  that one ({listed, named}; named null when the log names no such one): the names of its
 *  hearing (the names API's `hearing` filter), so that a large log, whose first page of names
 *  need not hold them, never leaves them out. What belongs to no hearing (a staff account) has
 *  only its own: the hearings of its entries are named as they are shown (nameLedger). `read`
 *  is names() (passed in for tests). */
export async function reportNames(kind, id, read = names) {
  const named = id && ID.test(id) ? (await read({ id, kind }))[0] ?? null : null;
  const listed = named?.hearing ? await read({ hearing: named.hearing }) : [];
  return { listed: named ? [...listed, named] : listed, named };
}

/** At most this many hearings, and people named on their own, a ledger reads for one set of
 *  entries (a page of results, or a whole CSV): each hearing is one read of its every name, and
 *  every read of the names is audited and rate-limited like a search. */
export const NAMED_AT_ONCE = { hearings: 25, people: 25 };

/** The hearings `rows` ({event}) belong to that are not in `done`, in the order the rows first
 *  name them, at most `max`. */
export function hearingsToRead(rows, done, max = NAMED_AT_ONCE.hearings) {
  const ids = [...new Set(rows.map((r) => r.event?.hearing).filter((id) => typeof id === 'string' && ID.test(id)))];
  return ids.filter((id) => !done.has(id)).slice(0, max);
}

// A staff account as an entry names it: the actor (an account unless said otherwise), or the
// account acted on.
const accountsOf = (event) => [(event?.actor?.kind ?? 'account') === 'account' ? event?.actor?.id : null,
  event?.resource?.type === 'account' ? event.resource.id : null];

/** The accounts `rows` name that `dir` does not and that were not asked for (`asked`), in the
 *  order the rows first name them, at most `max`: staff belong to no hearing, so the names of
 *  the hearings hold only those that acted in them. */
export function peopleToAsk(rows, dir, asked, max = NAMED_AT_ONCE.people) {
  const ids = [...new Set(rows.flatMap((r) => accountsOf(r.event)).filter((id) => id && id !== 'anonymous' && ID.test(id)))];
  return ids.filter((id) => !asked.has(id) && !dir.get('person', id)).slice(0, max);
}

/** The names entries from anywhere in the log need, read as they are shown: `prepare(rows)`
 *  reads every name of each hearing the rows belong to that was not read yet (page after page:
 *  names()), then each account they name that no hearing did (personNamed), within
 *  NAMED_AT_ONCE, and waits for those reads (its own, or another caller's still running); `dir`
 *  is the directory of `known` and of everything read so far (the same object throughout: it
 *  answers from the latest). Not the whole log's first page of names: on a large log that holds
 *  a small part of them, and says nothing of which. `hearingsRead(ids)` counts hearings whose
 *  names `known` already holds. A read that fails names nothing and is tried again by a later
 *  `prepare`. `read` and `person` are names() and personNamed() (passed in for tests). */
export function nameLedger(known = [], { read = names, person = personNamed, max = NAMED_AT_ONCE } = {}) {
  const found = new Map();
  let current = directory([]);
  const add = (list) => {
    for (const n of list) found.set(`${n.kind}:${n.id}`, n);
    current = directory([...found.values()]);
  };
  add(known);
  const dir = { get: (kind, id) => current.get(kind, id), any: (id) => current.any(id) };
  // hearing or account id → its read (settled once its names are in `found`)
  const hearings = new Map();
  const people = new Map();
  const reading = (map, ids) => Promise.all([...new Set(ids)].map((id) => map.get(id)).filter(Boolean));
  return {
    dir,
    hearingsRead(ids) { for (const id of ids) if (id) hearings.set(id, Promise.resolve()); },
    async prepare(rows) {
      for (const id of hearingsToRead(rows, hearings, max.hearings)) {
        hearings.set(id, read({ hearing: id }).then(add, () => { hearings.delete(id); }));
      }
      await reading(hearings, rows.map((r) => r.event?.hearing));
      for (const id of peopleToAsk(rows, dir, people, max.people)) {
        people.set(id, person(id).then((n) => add(n ? [n] : []), () => { people.delete(id); }));
      }
      await reading(people, rows.flatMap((r) => accountsOf(r.event)));
    },
  };
}
