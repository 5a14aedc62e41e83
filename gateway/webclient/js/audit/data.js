// The auditor's reads of the log (each is itself audited by the server).

import { api } from '../core/api.js';
import { TIMELINE_SOURCES } from './timeline.js';
import { versionBook } from './versions.js';

export const SEARCH_FIELDS = ['hearing', 'person', 'actor', 'action', 'resource_type', 'resource_id', 'outcome', 'time_from', 'time_to', 'order'];

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

// The log's names a page at a time (1,000, the most a page holds), by name.
const NAMES_PAGE = 1000;
const readNames = (params) => api('GET', `/api/v1/audit/names?${params}`);

/** Every name `query` matches (a hearing's: all its people, sides, rooms and documents), page
 *  after page as the API's `next_cursor` leads, up to `max` (the whole log's are many: a screen
 *  that reads them all, not one hearing's, asks for one page). `read(params)` fetches one page
 *  (passed in for tests). */
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

/** The first page of the whole log's names, for what belongs to no hearing (staff accounts). */
export const firstNames = (query = {}) => names(query, { max: NAMES_PAGE });

export const inclusionProof = (index, size) => api('GET', `/api/v1/audit/proofs/inclusion?index=${index}&size=${size}`);

const zones = new Map();

/** The hearing's own time zone, as its creation entry recorded it (null if none). */
export async function hearingZone(hearing) {
  if (!hearing) return null;
  if (!zones.has(hearing)) {
    const page = await search({ hearing, action: 'hearing.create', order: 'asc' }, { limit: 1 });
    const zone = page.events[0]?.event.details?.time_zone ?? null;
    zones.set(hearing, typeof zone === 'string' && zone ? zone : null);
  }
  return zones.get(hearing);
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
 *  need not hold them, never leaves them out; the log's first page only for what belongs to no
 *  hearing (a staff account). `read` is names() (passed in for tests). */
export async function reportNames(kind, id, read = names) {
  const named = id && ID.test(id) ? (await read({ id, kind }))[0] ?? null : null;
  const listed = await (named?.hearing ? read({ hearing: named.hearing }) : read({}, { max: NAMES_PAGE }));
  return { listed: named ? [...listed, named] : listed, named };
}

/** The name an account goes by now, or null: for a mediator the hearing did not name. */
export async function accountName(id) {
  return (await personNamed(id))?.name ?? null;
}

/** `list` (from names()) with the people of `ids` it lacks: staff accounts belong to no hearing,
 *  so a hearing's names hold only those that acted in it (an account acted on, or one an entry
 *  outside any hearing names, is asked for here). */
export async function withPeople(list, ids) {
  const known = new Set(list.filter((n) => n.kind === 'person').map((n) => n.id));
  const wanted = [...new Set(ids)].filter((id) => id && !known.has(id));
  const found = await Promise.all(wanted.map((id) => personNamed(id).catch(() => null)));
  return [...list, ...found.filter(Boolean)];
}
