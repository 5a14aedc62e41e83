// A page of audit entries as a table (time in the auditor's zone, the sentence, the outcome),
// with the total, previous/next paging by cursor, and a CSV of the whole result.
//
// Connection reports (actions.js FOLDED: every client reports each of its calls' connections)
// would bury everything else: unless the auditor asks for them one by one, a run of them on a
// page is one line saying how many and from whom, which opens in place. A refused use of an
// invitation that two services recorded (audit/attempts.js) is one line too, linking to both
// entries. The total and the paging count every entry, folded or not, and the CSV has them all;
// the header says how many rows show which entries (pageHeader). A pair split by the page edge
// is shown on the page of its first entry, the other borrowed from the next page, which then
// leaves it out: this page says it borrowed, and a next page left with nothing says why, or is
// not offered when nothing else is on it (nextLeft). A listing of a hearing's documents that the
// same person's page made again at once (within a second, as many shown) is one line too,
// linking to each entry (foldRuns `repeat`).

import { describe } from '../core/errors.js';
import { formatNumber, localZone, t, zoneWords } from '../core/i18n.js';
import { h, mount } from '../core/render.js';
import { hearingTitles, hearingZones, search, searchAll, versionLedger } from './data.js';
import { zoneAt } from './hearing-life.js';
import { departures } from './departures.js';
import { dateTime, dateTimeSeconds, hearingTimeHeading, timeRange } from './times.js';
import { describeAttempt, describeEntry, describeRun } from './describe.js';
import { acrossEdge, foldRuns, nextLeft, pageHeader, unpaired } from './paging.js';


function csvCell(value) {
  const text = String(value ?? '');
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows, dir, zone, versions = null, titles = null) {
  const head = ['index', 'time_utc', 'time_local', 'actor', 'role', 'action', 'resource_type', 'resource_id', 'outcome', 'hearing', 'text'];
  const lines = [head.join(',')];
  const causes = departures(rows);
  for (const { index, event } of rows) {
    lines.push([index, new Date(event.time).toISOString(), dateTime(event.time, zone), event.actor.id, event.actor.role ?? '',
      event.action, event.resource.type, event.resource.id, event.outcome, event.hearing ?? '',
      describeEntry(event, dir, zone, { versions, index, cause: causes.get(index), titles })].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(url); link.remove(); }, 1000);
}

// The cell of a row's time in the hearing's zone as it was then (`theirs`: hearing-life.js
// zoneSteps; null: no such column), of a run of `events` from their first.
function theirCell(events, theirs) {
  if (!theirs) return null;
  const zone = zoneAt(theirs, Math.min(...events.map((e) => e.time)));
  return h('td', { class: 'nowrap muted', 'data-zone': zone ?? '' }, events.length === 1 ? dateTimeSeconds(events[0].time, zone) : runSpan(events, zone));
}

// One entry's row: its time (and the hearing's, when that zone differs), sentence, outcome, link.
function entryRow({ index, event }, dir, zone, theirs, { versions, titles }, cause = null) {
  return h('tr', { 'data-index': index, 'data-action': event.action },
    h('td', { class: 'nowrap' }, dateTimeSeconds(event.time, zone)),
    theirCell([event], theirs),
    h('td', { class: 'what' }, describeEntry(event, dir, zone, { withTime: false, versions, index, cause, titles })),
    h('td', null, h('span', { class: `badge outcome-${event.outcome}` }, t(`audit.outcome_short.${event.outcome}`))),
    h('td', null, h('a', { class: 'button small', href: `/audit/entry/${index}`, 'aria-label': t('audit.open_entry', { index }) }, t('audit.col.open'))));
}

/** A run's time span, earliest – latest, whichever way the page is sorted (newest first by
 *  default: its first row is then the latest), to the second as every row's time: the date
 *  and zone once when both ends fall on one day; one time when they fall in one second. */
export function runSpan(events, zone) {
  const times = events.map((e) => e.time);
  const [first, last] = [Math.min(...times), Math.max(...times)];
  return dateTimeSeconds(first, zone) === dateTimeSeconds(last, zone) ? dateTimeSeconds(first, zone) : timeRange(first, last, zone);
}

// A folded run's row: its time span, how many and from whom, and a button putting the run's own
// rows in its place (focus moves to the first of them, where the button was; `opened(n)` is
// told how many rows took its place).
function runRow(run, dir, zone, theirs, books, opened = () => {}) {
  const events = run.map((r) => r.event);
  const open = h('button', { type: 'button', class: 'button small', 'aria-label': t('audit.fold.open_named', { count: run.length }) }, t('audit.fold.open'));
  const row = h('tr', { class: 'folded', 'data-folded': events[0].action, 'data-count': run.length },
    h('td', { class: 'nowrap' }, runSpan(events, zone)),
    theirCell(events, theirs),
    h('td', { class: 'what' }, describeRun(events, dir)),
    h('td', null, h('span', { class: 'badge outcome-allowed' }, t('audit.outcome_short.allowed'))),
    h('td', null, open));
  open.addEventListener('click', () => {
    const rows = run.map((r) => entryRow(r, dir, zone, theirs, books));
    row.replaceWith(...rows);
    rows[0].querySelector('a')?.focus();
    opened(rows.length);
  });
  return row;
}

// A refused use of an invitation as one line (audit/attempts.js): when, the sentence that says
// both what signalling recorded (whose invitation) and what the gateway did (from where), and a
// link to each of the two entries, named by the service that recorded it.
function pairRow({ signalling, gateway }, dir, zone, theirs) {
  const events = [signalling.event, gateway.event];
  const open = ({ index, event }) => h('a', { class: 'button small', href: `/audit/entry/${index}`, 'data-index': index,
    'aria-label': t('audit.pair.open_named', { index, service: t(`audit.service.${event.service}`) }) }, t('audit.pair.entry', { index }));
  return h('tr', { class: 'paired', 'data-action': 'participant.redeem', 'data-indexes': `${signalling.index} ${gateway.index}` },
    h('td', { class: 'nowrap' }, runSpan(events, zone)),
    theirCell(events, theirs),
    h('td', { class: 'what' }, describeAttempt(signalling.event, gateway.event, dir),
      h('div', { class: 'muted small' }, t('audit.pair.recorded'))),
    h('td', null, h('span', { class: 'badge outcome-denied' }, t('audit.outcome_short.denied'))),
    h('td', null, open(signalling), ' ', open(gateway)));
}

// Listings repeated at once (foldRuns `repeat`) as one line: their span, the sentence once with
// how many times, that each is an entry of its own (the log does not say by which tab or
// device), and a link to each entry.
function repeatRow(rows, dir, zone, theirs, { versions, titles }) {
  const events = rows.map((r) => r.event);
  const count = rows.length;
  const open = ({ index }, n) => h('a', { class: 'button small', href: `/audit/entry/${index}`, 'data-index': index,
    'aria-label': t('audit.repeat.open_named', { index, number: n + 1, count }) }, t('audit.pair.entry', { index }));
  const ordered = [...rows].sort((a, b) => a.index - b.index);
  return h('tr', { class: 'repeated', 'data-action': events[0].action, 'data-indexes': ordered.map((r) => r.index).join(' '), 'data-count': count },
    h('td', { class: 'nowrap' }, runSpan(events, zone)),
    theirCell(events, theirs),
    h('td', { class: 'what' }, describeEntry(events[0], dir, zone, { withTime: false, versions, index: rows[0].index, titles })
      + t('audit.repeat.times', { count }), h('div', { class: 'muted small' }, t('audit.repeat.recorded'))),
    h('td', null, h('span', { class: 'badge outcome-allowed' }, t('audit.outcome_short.allowed'))),
    h('td', { class: 'entry-links' }, ordered.map((r, n) => [n ? ' ' : null, open(r, n)])));
}

// The titles over time of the hearings that `rows`' entries about a hearing are about (read
// once each, into `titles`): their sentences name each by the title it had then. A hearing
// whose titles cannot be read is named as the log's directory names it now.
async function readTitles(titles, rows) {
  const wanted = new Set(rows.map((r) => r.event).filter((e) => e.resource?.type === 'hearing' && !titles.has(e.resource.id))
    .map((e) => e.resource.id));
  await Promise.all([...wanted].map(async (id) => titles.set(id, await hearingTitles(id).catch(() => []))));
}

/** Mount a paged result for `filter` into `root`; `fold: false` shows every connection report.
 *  A document's versions are numbered whatever the filter (a person's entries too): by the
 *  uploads of the hearings the shown entries belong to (data.js versionLedger). With `names`
 *  (data.js nameLedger, whose `dir` is then `dir`), the names of those hearings are read as
 *  their entries are shown too: a search of the whole log names them all, not only those the
 *  log's first page of names happens to hold. */
export function resultsView(root, filter, dir, { caption, fold = true, names = null }) {
  const zone = localZone();
  const stack = [];
  const shownBefore = []; // how many rows each earlier page showed
  let cursor = null;
  let skip = new Set(); // the rows the page before drew already (acrossEdge)
  let theirs = null;
  const ledger = versionLedger();
  const versions = ledger.book;
  const titles = new Map(); // hearing id → its titles over time (data.js hearingTitles)
  const books = { versions, titles };
  const load = async () => {
    root.setAttribute('aria-busy', 'true');
    if (filter.hearing && theirs === null) theirs = await hearingZones(filter.hearing).catch(() => []);
    let page;
    try {
      const own = await search(filter, { cursor });
      const events = own.events.filter((r) => !skip.has(r.index));
      let borrowed = [];
      let next = own.next_cursor ?? null;
      if (next && unpaired(events)) {
        const peek = await search(filter, { cursor: next, limit: 20 });
        const ahead = peek.events;
        borrowed = acrossEdge(events, ahead);
        if (!nextLeft(ahead, borrowed, peek.next_cursor)) next = null; // it would show nothing: not offered
      }
      page = { ...own, next_cursor: next, last: Boolean(own.next_cursor) && !next, total: own.total ?? own.events.length,
        skipped: own.events.length - events.length, borrowed: new Set(borrowed.map((r) => r.index)),
        events: [...events, ...borrowed].sort((a, b) => (filter.order === 'desc' ? b.index - a.index : a.index - b.index)) };
      await Promise.all([ledger.prepare(page.events).catch(() => null), // unnumbered, not unshown, if it fails
        names?.prepare(page.events).catch(() => null), // and unnamed (ids), likewise
        readTitles(titles, page.events)]);
    } catch (error) {
      root.removeAttribute('aria-busy');
      mount(root, h('p', { class: 'form-error', role: 'alert' }, describe(error, 'audit.search')));
      return;
    }
    root.removeAttribute('aria-busy');
    const before = shownBefore.reduce((sum, n) => sum + n, 0);
    const other = theirs?.some((step) => step.zone !== zone) ? theirs : null; // the hearing's zones, when one differs
    const total = page.total;
    const items = foldRuns(page.events, fold);
    const causes = departures(page.events);
    // The header says what is shown: rows of how many entries (and again once a run is opened).
    const head = h('p', { class: 'total', 'data-total': total, role: 'status' });
    const counted = { before, entries: page.events.length, rows: items.length, skipped: page.skipped, total };
    const say = () => {
      const [key, params] = pageHeader(counted);
      head.textContent = t(key, params);
      head.dataset.rows = String(counted.rows);
      head.dataset.entries = String(counted.entries);
    };
    say();
    const opened = (n) => { counted.rows += n - 1; say(); };
    const csvButton = h('button', { type: 'button', class: 'button small', id: 'csv' }, t('audit.csv.action'));
    csvButton.addEventListener('click', async () => {
      csvButton.disabled = true;
      const all = await searchAll(filter, { onPage: (n, of) => { csvButton.textContent = t('audit.csv.progress', { done: formatNumber(n), total: formatNumber(of) }); } });
      await Promise.all([ledger.prepare(all.rows).catch(() => null), names?.prepare(all.rows).catch(() => null),
        readTitles(titles, all.rows)]);
      download('audit-view.csv', new Blob([toCsv(all.rows, dir, zone, versions, titles)], { type: 'text/csv' }));
      csvButton.textContent = t('audit.csv.action');
      csvButton.disabled = false;
    });
    mount(root,
      h('div', { class: 'results-head' }, head, h('div', { class: 'actions' }, csvButton)),
      items.length < page.events.length ? h('p', { class: 'muted small', id: 'folded-note' }, t('audit.results.folded_note')) : null,
      page.borrowed.size ? h('p', { class: 'muted small', id: 'borrowed-note', 'data-count': page.borrowed.size },
        t(page.last ? 'audit.results.borrowed_last' : 'audit.results.borrowed', { count: page.borrowed.size })) : null,
      h('p', { class: 'muted small' }, t('audit.csv.note')),
      // its own box scrolls sideways where the columns do not fit (a phone), never the page
      page.events.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'data results' },
        h('caption', { class: 'visually-hidden' }, caption),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, t('audit.col.time', { zone: zoneWords(zone, { offset: false }) })),
          other ? h('th', { scope: 'col', id: 'hearing-time', 'data-zones': other.length }, hearingTimeHeading(other, zone)) : null,
          h('th', { scope: 'col' }, t('audit.col.what')),
          h('th', { scope: 'col' }, t('audit.col.outcome')),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('audit.col.open'))))),
        h('tbody', null, items.map((item) => (item.run ? runRow(item.run, dir, zone, other, books, opened)
          : item.pair ? pairRow(item.pair, dir, zone, other)
            : item.repeat ? repeatRow(item.repeat, dir, zone, other, books)
              : entryRow(item, dir, zone, other, books, causes.get(item.index))))))) : null,
      h('div', { class: 'pager' },
        h('button', { type: 'button', class: 'button', disabled: stack.length === 0,
          onclick: () => { ({ cursor, skip } = stack.pop() ?? { cursor: null, skip: new Set() }); shownBefore.pop(); load(); } }, t('audit.page.previous')),
        h('button', { type: 'button', class: 'button', id: 'next-page', disabled: !page.next_cursor,
          onclick: () => { stack.push({ cursor, skip }); shownBefore.push(page.events.length); cursor = page.next_cursor; skip = page.borrowed; load(); } }, t('audit.page.next'))));
  };
  return load();
}
