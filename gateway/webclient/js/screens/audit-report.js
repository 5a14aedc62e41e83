// Per-document and per-person reports: every access to one document (upload, view, download,
// release, denial: who and when), where it was kept and which of the hearing's listings may
// have shown it (audit/document-story.js); or everything one person did, every use of their
// invitations among it in time order, refused ones included and counted (someone trying their
// link: audit/attempts.js), and the rooms they were in (the hearing's timeline's stays, one line
// each: audit/stays.js). A staff account is named by its display name as it is now, with
// the user name it signs in with.

import { localZone, t } from '../core/i18n.js';
import { h } from '../core/render.js';
import { auditShell } from '../components/audit-shell.js';
import { hearingRows, invitationUses, nameLedger, personFilter, reportNames, searchAll } from '../audit/data.js';
import { invitationAttempts } from '../audit/attempts.js';
import { caucusesNamedNow } from '../audit/sides.js';
import { documentStory } from '../audit/document-story.js';
import { directory, roomLabel } from '../audit/labels.js';
import { timeRange } from '../audit/times.js';
import { resultsView } from '../audit/results.js';
import { lanes } from '../audit/timeline.js';

// How many refused attempts there were on the person's invitations, and how many after it
// had been used (the rows themselves are in the table, in time order).
function attemptsNote(uses) {
  const { refused, after } = invitationAttempts(uses);
  const text = refused === 0 ? t('audit.report.attempts_none')
    : after ? t('audit.report.attempts_after', { count: refused, after }) : t('audit.report.attempts', { count: refused });
  return h('p', { id: 'invitation-attempts', 'data-refused': refused, 'data-after': after }, text);
}

// One stay in a room: when, and how often the person reconnected during it.
function stayText(rooms, stay) {
  const params = { room: roomLabel(rooms, stay.room), range: timeRange(stay.start, stay.end, localZone()) };
  return stay.reconnects ? t('audit.report.stay_reconnected', { ...params, count: stay.reconnects }) : t('audit.report.stay', params);
}

export async function mount(root, { params }) {
  const isDocument = Boolean(params.document);
  const id = params.document ?? params.person;
  // The names of the person's (or document's) own hearing, with them (data.js reportNames); a
  // staff account's entries, from any hearing, are named by theirs as they are shown.
  const { listed, named } = await reportNames(isDocument ? 'document' : 'person', id);
  const person = isDocument ? null : named;
  const book = nameLedger(listed);
  if (named?.hearing) book.hearingsRead([named.hearing]);
  const dir = book.dir;
  const label = named?.name ?? id;
  const results = h('div', { class: 'results', id: 'results' });
  const extra = h('div', { class: 'report-extra' });
  const after = h('div', { class: 'report-extra' });
  const title = isDocument ? t('audit.report.document_title', { name: label }) : t('audit.report.person_title', { name: label });
  const { node } = auditShell('search', title,
    h('p', { class: 'lede' }, isDocument ? t('audit.report.document_text') : t('audit.report.person_text')),
    person?.username ? h('p', { class: 'muted', id: 'account-note' }, t('audit.report.account', { username: person.username })) : null,
    extra, results, after);
  root.replaceChildren(node);
  // A person's entries with every use of their invitations (a participant's; staff have none),
  // which name no actor: the server finds them (data.js personFilter), paged and counted with
  // the rest, each once; the refused ones are counted above them. A read that fails says so,
  // never "none".
  const filter = isDocument ? { resource_type: 'document', resource_id: id, order: 'asc' } : personFilter(id);
  const invited = !isDocument && Boolean(named?.hearing);
  const uses = invited ? await invitationUses(id).catch(() => null) : null;
  if (uses) extra.append(attemptsNote(uses));
  else if (invited) extra.append(h('p', { class: 'form-error', role: 'alert', id: 'invitation-attempts' }, t('audit.report.attempts_unread')));
  const shown = resultsView(results, filter, dir, { caption: title, names: book });
  if (isDocument) {
    const own = await searchAll(filter);
    const hearing = named?.hearing ?? own.rows.find((r) => r.event.hearing)?.event.hearing ?? null;
    await book.prepare(own.rows).catch(() => null);
    const { kept, listings } = await documentStory(own.rows, hearing, dir, localZone());
    extra.append(...kept);
    after.append(...listings);
  }
  await shown;
  if (!isDocument && named?.hearing) {
    // The same fold as the hearing's timeline, so both say the same about this person.
    const rows = await hearingRows(named.hearing);
    const lane = lanes(rows.map((r) => r.event)).lanes.find((l) => l.participant === id);
    // Caucuses by their names now, as the hearing's timeline names them.
    const rooms = directory(caucusesNamedNow(listed, rows));
    if (lane) {
      const joined = lane.stays; // audit/stays.js, as the timeline draws them
      extra.append(h('h2', null, t('audit.report.rooms')), h('ul', { class: 'rooms-list' },
        joined.map((s) => h('li', { 'data-room': s.room, 'data-reconnects': s.reconnects }, stayText(rooms, s)))),
      ...(joined.some((s) => s.reconnects) ? [h('p', { class: 'muted small', id: 'rooms-note' }, t('audit.report.rooms_note'))] : []));
    }
  }
  return {};
}
