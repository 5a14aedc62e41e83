// Which version of a document an entry is about, numbered as its uploads came in (pure).
//
// Evidence records each version's upload (`document.upload`, with its `version` id) just
// before it writes the version's manifest, and a failed upload of that version when the
// commit did not happen after all (services/evidence/decisions.py `commit_audited`). Numbered
// in the log's order, the versions that were stored are 1, 2, …; an entry that names a version
// (a view or a download: `details.version`) is "version 2 of 3" when 3 had been uploaded by
// then. A version whose upload is not among the rows (an entry older than the log, a report
// that did not read it) gets no number: the entry's page shows its id.
//
// The parties number a version within its audience instead (documents/versions.js
// `audienceNumbers`, the same rule, not a copy): so that an auditor can map the two, the book
// also gives the number its readers knew it by, where that differs. A version's audience is
// the compartment of its upload (`details.compartment`), widened by each allowed
// `document.release` that names it (`version`; an older release naming none widened the latest
// version then, as every release does). Chosen: the audience AS OF THE ENTRY (releases up to
// its index, from the release's own entry on, as in listings.js), so an entry says the number
// its readers saw at that time; with no index, as of the end of the rows (the panel's number
// now). Any version involved whose compartment the log does not record: no readers' number.

import { audienceNumbers } from '../documents/versions.js';

/** `rows` ({index, event}): a document's entries (its uploads at least, and its releases for
 *  the readers' numbers), in any order. Returns (event, index) → {number, count, total,
 *  readers} | null: the version's number, how many had been uploaded by the entry at `index`
 *  (all of them when no index is given), in all, and `readers` ({compartment, number}: the
 *  audience it was in then and its number there) when that number is not `number`, else null. */
export function versionBook(rows) {
  const uploads = new Map(); // document → [{version, index, compartment}] in log order
  const releases = new Map(); // document → [{version, index, to}] in log order
  const failed = new Set();
  for (const { index, event } of [...rows].sort((a, b) => a.index - b.index)) {
    const version = event.details?.version;
    const document = event.resource?.id;
    if (event.action === 'document.release' && event.outcome === 'allowed' && document && typeof event.details?.to === 'string') {
      releases.set(document, [...(releases.get(document) ?? []), { version: typeof version === 'string' && version ? version : null, index, to: event.details.to }]);
    }
    if (event.action !== 'document.upload') continue;
    if (typeof version !== 'string' || !version || !document) continue;
    if (event.outcome === 'failed') { failed.add(`${document}/${version}`); continue; }
    if (event.outcome !== 'allowed') continue;
    const list = uploads.get(document) ?? [];
    const compartment = typeof event.details?.compartment === 'string' && event.details.compartment ? event.details.compartment : null;
    if (!list.some((v) => v.version === version)) list.push({ version, index, compartment });
    uploads.set(document, list);
  }
  for (const [document, list] of uploads) uploads.set(document, list.filter((v) => !failed.has(`${document}/${v.version}`)));
  // The readers' number of `list[at]` as of `index` (see above), or null when it is `at + 1`.
  const readersOf = (document, list, at, index) => {
    const where = new Map(list.map((v) => [v.version, v.compartment]));
    for (const r of releases.get(document) ?? []) {
      if (Number.isInteger(index) && r.index > index) break;
      const widened = r.version ?? list.filter((v) => v.index < r.index).at(-1)?.version;
      if (where.has(widened)) where.set(widened, r.to);
    }
    const compartments = list.slice(0, at + 1).map((v) => where.get(v.version));
    if (compartments.some((c) => !c)) return null;
    const number = audienceNumbers(compartments)[at];
    return number === at + 1 ? null : { compartment: compartments[at], number };
  };
  return (event, index) => {
    const document = event?.resource?.id;
    const list = uploads.get(document);
    const version = event?.details?.version;
    if (!list || typeof version !== 'string') return null;
    const at = list.findIndex((v) => v.version === version);
    if (at < 0) return null;
    const count = Number.isInteger(index) ? list.filter((v) => v.index <= index).length : list.length;
    return { number: at + 1, count: Math.max(count, at + 1), total: list.length, readers: readersOf(document, list, at, index) };
  };
}
