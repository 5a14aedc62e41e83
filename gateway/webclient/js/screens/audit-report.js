// Per-document and per-person reports: every access to one document (list, view, download,
// release, denial: who and when), or everything one person did and was subject to, with the
// rooms they were in (from the hearing's timeline).

import { t } from '../core/i18n.js';
import { h } from '../core/render.js';
import { auditShell } from '../components/audit-shell.js';
import { hearingEvents, names } from '../audit/data.js';
import { dateTime, directory, roomLabel } from '../audit/describe.js';
import { resultsView } from '../audit/results.js';
import { lanes } from '../audit/timeline.js';

export async function mount(root, { params }) {
  const dir = directory(await names());
  const isDocument = Boolean(params.document);
  const id = params.document ?? params.person;
  const named = isDocument ? dir.get('document', id) : dir.get('person', id);
  const label = named?.name ?? id;
  const results = h('div', { class: 'results', id: 'results' });
  const extra = h('div', { class: 'report-extra' });
  const title = isDocument ? t('audit.report.document_title', { name: label }) : t('audit.report.person_title', { name: label });
  const { node } = auditShell('search', title,
    h('p', { class: 'lede' }, isDocument ? t('audit.report.document_text') : t('audit.report.person_text')), extra, results);
  root.replaceChildren(node);
  const filter = isDocument ? { resource_type: 'document', resource_id: id, order: 'asc' } : { actor: id, order: 'asc' };
  await resultsView(results, filter, dir, { caption: title });
  if (!isDocument && named?.hearing) {
    // The same fold as the hearing's timeline, so both say the same about this person.
    const lane = lanes(await hearingEvents(named.hearing)).lanes.find((l) => l.participant === id);
    if (lane) {
      extra.append(h('h2', null, t('audit.report.rooms')), h('ul', { class: 'rooms-list' },
        lane.segments.map((s) => h('li', null, `${roomLabel(dir, s.room)}: ${dateTime(s.start)} – ${dateTime(s.end)}`))));
    }
  }
  return {};
}
