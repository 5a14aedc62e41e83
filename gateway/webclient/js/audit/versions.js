// Which version of a document an entry is about, numbered as its uploads came in (pure).
//
// Evidence records each version's upload (`document.upload`, with its `version` id) just
// before it writes the version's manifest, and a failed upload of that version when the
// commit did not happen after all (services/evidence/decisions.py `commit_audited`). Numbered
// in the log's order, the versions that were stored are 1, 2, …; an entry that names a version
// (a view or a download: `details.version`) is "version 2 of 3" when 3 had been uploaded by
// then. A version whose upload is not among the rows (an entry older than the log, a report
// that did not read it) gets no number: the entry's page shows its id.

/** `rows` ({index, event}): a document's entries (its uploads at least), in any order.
 *  Returns (event, index) → {number, count, total} | null: the version's number, how many had
 *  been uploaded by the entry at `index` (all of them when no index is given), and in all. */
export function versionBook(rows) {
  const uploads = new Map(); // document → [{version, index}] in log order
  const failed = new Set();
  for (const { index, event } of [...rows].sort((a, b) => a.index - b.index)) {
    if (event.action !== 'document.upload') continue;
    const version = event.details?.version;
    const document = event.resource?.id;
    if (typeof version !== 'string' || !version || !document) continue;
    if (event.outcome === 'failed') { failed.add(`${document}/${version}`); continue; }
    if (event.outcome !== 'allowed') continue;
    const list = uploads.get(document) ?? [];
    if (!list.some((v) => v.version === version)) list.push({ version, index });
    uploads.set(document, list);
  }
  for (const [document, list] of uploads) uploads.set(document, list.filter((v) => !failed.has(`${document}/${v.version}`)));
  return (event, index) => {
    const list = uploads.get(event?.resource?.id);
    const version = event?.details?.version;
    if (!list || typeof version !== 'string') return null;
    const at = list.findIndex((v) => v.version === version);
    if (at < 0) return null;
    const count = Number.isInteger(index) ? list.filter((v) => v.index <= index).length : list.length;
    return { number: at + 1, count: Math.max(count, at + 1), total: list.length };
  };
}
