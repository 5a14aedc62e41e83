// Which listings of a hearing's documents may have shown one document (pure: no I/O, no words).
//
// Evidence audits a listing once per request (`document.list` on the hearing, with how many
// documents it showed: `details.count`), never per document. So the log cannot say that a
// listing showed a given document; it can say which listings could not have, and the rest
// *may have*. A listing may have shown the document when, in the log's order:
//
// - it comes after an allowed `document.upload` of the document (evidence records the upload
//   just before it writes the manifest, the commit point, so no listing recorded before that
//   entry can have read it) and no failed upload of that version has since said the commit
//   did not happen;
// - the lister could read the document's compartment as it was then (the upload's
//   `compartment`, widened by each `document.release` to its `to`; a release is recorded before
//   the manifests are rewritten, so the wider compartment counts from that entry on): the rules
//   of services/evidence/access.py — `joint`: everyone admitted (a listing is only allowed to
//   a member, an observer only while admitted); `side:X`: that side's party and counsel;
//   `confidential:X`: that side and the mediator; `mediator`: the mediator;
// - it showed at least one document.
//
// Each rule only leaves out listings that cannot have shown the document: the rest are an upper
// bound, never a claim that they showed it. A compartment the log does not record (an entry
// older than the field) rules nothing out.

const CAN_READ = {
  joint: () => true,
  side: (actor, side) => (actor.role === 'party' || actor.role === 'counsel') && actor.side === side,
  confidential: (actor, side) => actor.role === 'mediator'
    || ((actor.role === 'party' || actor.role === 'counsel') && actor.side === side),
  mediator: (actor) => actor.role === 'mediator',
};

/** Whether `actor` ({role, side}) could read a document in `compartment` ("joint", "side:X",
 *  "confidential:X", "mediator"); null when the compartment is not one of those. */
export function canRead(actor, compartment) {
  if (typeof compartment !== 'string') return null;
  const [kind, side, ...rest] = compartment.split(':');
  const rule = CAN_READ[kind];
  if (!rule || rest.length || ((kind === 'side' || kind === 'confidential') !== Boolean(side))) return null;
  return rule(actor ?? {}, side);
}

/** Where the document was kept, in log order: [{compartment, version, document, index, time, by, action}]
 *  — each version's upload, then each release (the document's own rows: {index, event}). A
 *  release widens one version, the one it names (`version`: the latest then); so each step is
 *  where that version was kept from then on, and a step that changes nothing for its version
 *  is left out. `version` is null where the entry names none (older entries). */
export function compartmentHistory(documentRows) {
  const out = [];
  const where = new Map(); // version → its compartment so far
  for (const { index, event } of [...documentRows].sort((a, b) => a.index - b.index)) {
    if (event.outcome !== 'allowed') continue;
    const d = event.details ?? {};
    const to = event.action === 'document.release' ? d.to : event.action === 'document.upload' ? d.compartment : undefined;
    const version = typeof d.version === 'string' && d.version ? d.version : null;
    if (typeof to !== 'string' || where.get(version) === to) continue;
    where.set(version, to);
    out.push({ compartment: to, version, document: event.resource?.id ?? null, index, time: event.time, by: event.actor, action: event.action });
  }
  return out;
}

/**
 * The hearing's listings (its `document.list` rows) judged against one document (its own rows):
 *   { may: [{index, event, compartment}], before, hidden, empty, first }
 * `may`: the listings that may have shown it, in log order, with its compartment at the time
 * (null when the log does not record one); `before`, `hidden`, `empty`: how many were left out
 * because the document was not stored yet, because the lister could not read it, or because
 * the listing showed nothing; `first`: the index of its first stored upload (null if none).
 */
export function documentListings(documentRows, listingRows) {
  const timeline = [
    ...documentRows.map((row) => ({ row, listing: false })),
    ...listingRows.filter((r) => r.event.action === 'document.list' && r.event.outcome === 'allowed')
      .map((row) => ({ row, listing: true })),
  ].sort((a, b) => a.row.index - b.row.index);
  const versions = new Set();
  let compartment = null;
  let first = null;
  const out = { may: [], before: 0, hidden: 0, empty: 0, first: null };
  for (const { row, listing } of timeline) {
    const { event } = row;
    const d = event.details ?? {};
    if (!listing) {
      if (event.action === 'document.upload' && event.outcome === 'allowed') {
        versions.add(String(d.version ?? row.index));
        if (typeof d.compartment === 'string') compartment = d.compartment;
        first ??= row.index;
      } else if (event.action === 'document.upload' && event.outcome === 'failed') {
        versions.delete(String(d.version ?? ''));
      } else if (event.action === 'document.release' && event.outcome === 'allowed' && typeof d.to === 'string') {
        compartment = d.to;
      }
      continue;
    }
    if (!versions.size) out.before += 1;
    else if (Number(d.count ?? 1) === 0) out.empty += 1;
    else if (canRead(event.actor, compartment) === false) out.hidden += 1;
    else out.may.push({ index: row.index, event, compartment: canRead(event.actor, compartment) === null ? null : compartment });
  }
  out.first = first;
  return out;
}

/** The listings that may have shown it, by lister: [{actor, rows, first, last}], in order of
 *  each lister's first listing. */
export function byLister(may) {
  const people = new Map();
  for (const item of may) {
    const id = item.event.actor?.id ?? '';
    if (!people.has(id)) people.set(id, { actor: item.event.actor, rows: [], first: item.event.time, last: item.event.time });
    const person = people.get(id);
    person.rows.push(item);
    person.first = Math.min(person.first, item.event.time);
    person.last = Math.max(person.last, item.event.time);
  }
  return [...people.values()];
}
