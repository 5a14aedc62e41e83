// Which rows one page of audit entries shows (pure: no DOM): runs of connection reports, a
// refused use of an invitation recorded twice, and listings repeated at once each folded into
// one row (foldRuns); a pair split by the page edge kept whole on the page of its first entry
// (acrossEdge, nextLeft); and what the page's header says (pageHeader). audit/results.js draws
// them.

import { formatNumber } from '../core/i18n.js';
import { FOLDED } from './actions.js';
import { redemptionPairs } from './attempts.js';

// A listing read again at once: one page reads the hearing's documents again as they change
// (an upload, a release), and a person may have it open in two tabs; evidence audits each
// request, and the log does not say which page or device made it. Listings by the same person
// of the same hearing that showed as many documents, each within this long of the one before,
// are one row linking to each entry.
export const REPEAT_MS = 1000;

function repeats(a, b) {
  const [x, y] = [a.event, b.event];
  return y.action === 'document.list' && y.outcome === 'allowed' && x.action === y.action && x.outcome === y.outcome
    && (x.actor?.id ?? '') === (y.actor?.id ?? '') && x.resource?.id === y.resource?.id
    && Number(x.details?.count ?? -1) === Number(y.details?.count ?? -1) && Math.abs(y.time - x.time) <= REPEAT_MS;
}

/** A page's rows, with each run of at least two folded reports as one {run: [rows]} item
 *  (only allowed reports fold: a refused one is worth its own line), each refused use of
 *  an invitation recorded twice as one {pair: {signalling, gateway}} item where the first of
 *  its two rows was, and each listing repeated at once (REPEAT_MS) as one {repeat: [rows]}
 *  item, whichever `fold` says (each of its entries stays one click away). */
export function foldRuns(rows, fold = true) {
  const out = [];
  const paired = new Map();
  for (const pair of redemptionPairs(rows)) {
    paired.set(pair.signalling.index, pair);
    paired.set(pair.gateway.index, pair);
  }
  const placed = new Set();
  for (const row of rows) {
    const pair = paired.get(row.index);
    if (pair) {
      if (!placed.has(pair)) out.push({ pair });
      placed.add(pair);
      continue;
    }
    const previous = out[out.length - 1];
    const foldable = fold && FOLDED.has(row.event.action) && row.event.outcome === 'allowed';
    if (foldable && previous?.run && previous.run[0].event.action === row.event.action) previous.run.push(row);
    else if (foldable) out.push({ run: [row] });
    else if (previous?.repeat && repeats(previous.repeat[previous.repeat.length - 1], row)) previous.repeat.push(row);
    else if (row.event.action === 'document.list') out.push({ repeat: [row] });
    else out.push(row);
  }
  return out.flatMap((item) => ((item.run ?? item.repeat)?.length < 2 ? (item.run ?? item.repeat) : [item]));
}

/** The rows of the next page (`next`, in the page's order) to draw on this one (`rows`): each
 *  the other entry of a refused attempt whose first entry is on this page (attempts.js), so the
 *  page edge never splits one attempt into two lines; the next page leaves them out. */
export function acrossEdge(rows, next) {
  const here = new Set(rows.map((r) => r.index));
  return redemptionPairs([...rows, ...next])
    .filter((p) => here.has(p.signalling.index) !== here.has(p.gateway.index))
    .map((p) => (here.has(p.signalling.index) ? p.gateway : p.signalling));
}

/** Whether the next page has anything to show once the rows this page borrowed from it
 *  (acrossEdge) are left out: `peek`, its first rows (in the page's order), `more` whether
 *  rows follow them. */
export function nextLeft(peek, borrowed, more) {
  const taken = new Set(borrowed.map((r) => r.index));
  return Boolean(more) || peek.some((r) => !taken.has(r.index));
}

/** What a page's header says, as [key, params]: how many rows show which entries (a run of
 *  connection reports, or a pair, is one row of several entries). `before`: the entries the
 *  pages before showed; `entries`: this page's; `rows`: the rows they make; `skipped`: this
 *  page's entries the page before showed beside their pairs; `total`: every page's entries. */
export function pageHeader({ before, entries, rows, skipped = 0, total }) {
  if (!total) return ['audit.results.none', {}];
  if (!entries) return skipped ? ['audit.results.shown_before', { count: skipped }] : ['audit.results.page_empty', {}];
  const range = { first: formatNumber(before + 1), last: formatNumber(before + entries), total: formatNumber(total) };
  return rows === entries ? ['audit.results.range', range] : ['audit.results.rows', { ...range, count: rows }];
}

// Whether a page has a refused use of an invitation not paired on it (its twin may be on the next).
export function unpaired(rows) {
  const paired = new Set(redemptionPairs(rows).flatMap((p) => [p.signalling.index, p.gateway.index]));
  return rows.some((r) => r.event?.action === 'participant.redeem' && r.event.outcome === 'denied' && !paired.has(r.index));
}
