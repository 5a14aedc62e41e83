// Telling documents of the same name apart: two sides (or a side and the mediator) can each
// upload a "Settlement offer.pdf", and the log's directory names both alike. Each is told by
// its first stored upload: who uploaded it (their role and side say whose it is: a side's or
// the mediator's) and when.

import { t } from '../core/i18n.js';
import { dateTime } from './times.js';
import { personLabel } from './labels.js';

/** document id → {time, actor, compartment, index} of its first allowed upload, from upload
 *  rows ({index, event}) in any order. */
export function documentOrigins(uploadRows) {
  const out = new Map();
  for (const { index, event } of [...uploadRows].sort((a, b) => a.index - b.index)) {
    if (event.action !== 'document.upload' || event.outcome !== 'allowed') continue;
    const id = event.resource?.id;
    if (!id || out.has(id)) continue;
    out.set(id, { time: event.time, actor: event.actor, compartment: event.details?.compartment ?? null, index });
  }
  return out;
}

/** The documents a name search means (`found` from the names query): those named exactly so
 *  (case aside), else every one whose name contains it. Several means the auditor chooses. */
export function documentsNamed(found, name) {
  const wanted = String(name ?? '').toLowerCase();
  const exact = found.filter((d) => d.kind === 'document' && d.name.toLowerCase() === wanted);
  return exact.length ? exact : found.filter((d) => d.kind === 'document');
}

/** "first uploaded by Ana Chen (counsel, Claimant), 27 Nov 2026, 18:39 (GMT+8)": the line that
 *  tells a document from another of its name (or says the log holds no upload of it). */
export function originText(dir, origin, zone) {
  if (!origin) return t('audit.document.origin_unknown');
  return t('audit.document.origin', { who: personLabel(dir, origin.actor), time: dateTime(origin.time, zone) });
}
