// Hearings as the log knows them: the list (each with its state and dates: audit/life-view.js);
// one hearing's summary (when it was created, scheduled, opened and ended, and whether its
// documents were destroyed; its title and start over time, each change and by whom; people with role and side, the mediator first and any other staff
// account that acted in it among them, each with what became of them (removed, left, never
// joined, invitation withdrawn: audit/outcomes.js), as the names query gives a hearing's people:
// services/audit/names_table.py, each mediator with when it took the hearing on or gave it up
// and who handed it over (audit/handovers.js); documents, each told by who first uploaded it
// and when, since two can share a name; how many refusals, one refused use of an invitation
// once though two services recorded it (audit/attempts.js); its sides with their names and
// colours over time); and its timeline — who was in which room when, drawn from the log's own
// hearing, admission, move and connection entries (audit/timeline.js says which and how), with
// a table of the same data and its hand-overs told in words (audit/timeline-view.js draws it).
// A side's caucus is drawn in the side's own colour as the log last recorded it (its add and
// rename entries: audit/sides.js), the colour every other screen showed it in.

import { describe } from '../core/errors.js';
import { formatNumber, localZone, t } from '../core/i18n.js';
import { h, mount as mountNodes } from '../core/render.js';
import { auditShell } from '../components/audit-shell.js';
import { hearingRows, names, personNamed, search, searchAll } from '../audit/data.js';
import { refusalCount } from '../audit/attempts.js';
import { dateTime } from '../audit/times.js';
import { colourLabel } from '../audit/describe.js';
import { directory, personLabel, personName } from '../audit/labels.js';
import { handovers, mediatorNotes } from '../audit/handovers.js';
import { caucusesNamedNow, sideHistory } from '../audit/sides.js';
import { detailsHistory, hearingLife } from '../audit/hearing-life.js';
import { detailsHistoryView, lifeFacts, lifeLine } from '../audit/life-view.js';
import { documentOrigins, originText } from '../audit/origins.js';
import { lanes } from '../audit/timeline.js';
import { OUTCOME_SOURCE, mediatorOutcome, personOutcomes } from '../audit/outcomes.js';
import { drawTimeline, sideClass } from '../audit/timeline-view.js';

export { drawTimeline }; // the timeline's drawing (audit/timeline-view.js), for its benchmark

async function list(root) {
  const body = h('div');
  const { node } = auditShell('hearings', t('audit.hearings.title'), body);
  root.replaceChildren(node);
  const hearings = await names({ kind: 'hearing' });
  // Every hearing's creation, moves, opening and end: four reads for the whole list.
  const lives = hearingLife((await Promise.all(['hearing.create', 'hearing.details_change', 'hearing.open', 'hearing.close']
    .map((action) => searchAll({ action, order: 'asc' }).catch(() => ({ rows: [] }))))).flatMap((r) => r.rows.map((row) => row.event)));
  const zone = localZone();
  mountNodes(body, hearings.length ? h('ul', { class: 'cards' }, hearings.map((x) => h('li', { class: 'card', 'data-hearing': x.id },
    h('h2', null, h('a', { href: `/audit/hearings/${x.id}` }, x.name)),
    lifeLine(lives.get(x.id), zone),
    h('p', { class: 'actions' }, h('a', { class: 'button small', href: `/audit/hearings/${x.id}/timeline` }, t('audit.hearings.timeline')),
      h('a', { class: 'button small', href: `/audit?hearing=${x.id}` }, t('audit.hearings.entries'))))))
    : h('p', { class: 'muted' }, t('audit.hearings.none')));
}

async function summary(root, hearing) {
  const body = h('div', { class: 'hearing-summary' });
  const dir = directory(await names({ hearing }));
  const title = dir.get('hearing', hearing)?.name ?? hearing;
  const { node } = auditShell('hearings', t('audit.hearing.title', { name: title }), body);
  root.replaceChildren(node);
  const [all, denied, redeems, docs, people, sides, own, shred, uploads, invited] = await Promise.all([
    search({ hearing }, { limit: 1 }), search({ hearing, outcome: 'denied' }, { limit: 1 }),
    searchAll({ hearing, action: 'participant.redeem', outcome: 'denied', order: 'asc' }),
    names({ hearing, kind: 'document' }), names({ hearing, kind: 'person' }), names({ hearing, kind: 'side' }),
    searchAll({ hearing, action: 'hearing.', order: 'asc' }), search({ hearing, action: 'document.shred', order: 'asc' }, { limit: 1 }),
    searchAll({ hearing, action: 'document.upload', outcome: 'allowed', order: 'asc' }),
    searchAll({ hearing, action: OUTCOME_SOURCE, order: 'asc' })]);
  // The mediator first, as on the timeline; everyone else as the log's directory orders them.
  people.sort((a, b) => Number(b.role === 'mediator') - Number(a.role === 'mediator'));
  const events = own.rows.map((r) => r.event);
  const handedOver = handovers(events);
  const history = sideHistory(events);
  const life = hearingLife([...events, ...shred.events.map((r) => r.event)]).get(hearing) ?? null;
  // Documents of one name are told apart by who first uploaded each, and when.
  const origins = documentOrigins(uploads.rows);
  const outcomes = personOutcomes(invited.rows.map((r) => r.event));
  // A mediator's from its connections, hand-overs and the end (it is never invited).
  const ran = (id) => mediatorOutcome([...invited.rows.map((r) => r.event), ...events], id);
  const zone = localZone();
  const stat = (label, value, href) => h('div', { class: 'stat' }, h('div', { class: 'stat-value' }, formatNumber(value)),
    h('div', { class: 'stat-label' }, href ? h('a', { href }, label) : label));
  mountNodes(body,
    h('div', { class: 'stats' },
      stat(t('audit.hearing.entries'), all.total ?? 0, `/audit?hearing=${hearing}`),
      stat(t('audit.hearing.denials'), refusalCount(denied.total ?? 0, redeems.rows), `/audit?hearing=${hearing}&outcome=denied`),
      stat(t('audit.hearing.people'), people.length), stat(t('audit.hearing.documents'), docs.length)),
    lifeFacts(life, dir, zone),
    detailsHistoryView(detailsHistory(events), dir, zone),
    h('p', { class: 'actions' }, h('a', { class: 'button primary', href: `/audit/hearings/${hearing}/timeline` }, t('audit.hearings.timeline'))),
    h('div', { class: 'two-col' },
      h('section', null, h('h2', null, t('audit.hearing.people')), h('table', { class: 'data audit-people' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('audit.hearing.col_name')), h('th', { scope: 'col' }, t('audit.hearing.col_role')), h('th', { scope: 'col' }, t('audit.hearing.col_side')),
          h('th', { scope: 'col' }, t('audit.hearing.col_outcome')))),
        h('tbody', null, people.map((p) => h('tr', { 'data-person': p.id, 'data-role': p.role ?? '' }, h('td', { class: 'person-name' }, h('a', { href: `/audit/people/${p.id}` }, p.name)),
          h('td', { class: 'role' }, h('span', { class: 'role-name' }, p.role ? t(`audit.role.${p.role}`) : '—'), handoverNotes(handedOver, p.id, dir, zone)), h('td', { class: p.side ? 'person-side' : 'person-side no-side' }, p.side ? (dir.get('side', p.side)?.name ?? p.side) : '—'),
          outcomeCell(p.role === 'mediator' ? ran(p.id) : outcomes.get(p.id), zone)))))),
      h('section', null, h('h2', null, t('audit.hearing.documents')), docs.length ? h('ul', { class: 'doc-list' },
        docs.map((d) => h('li', { 'data-document': d.id }, h('a', { href: `/audit/documents/${d.id}` }, d.name),
          h('div', { class: 'muted small doc-origin' }, originText(dir, origins.get(d.id), zone))))) : h('p', { class: 'muted' }, t('audit.hearing.no_documents')),
      h('h2', null, t('audit.hearing.sides')), sideList(sides, history, dir))));
}

// What became of a person (audit/outcomes.js): removed by the mediator, left, never joined, their
// invitation withdrawn, turned away, or joined, with when; a mediator joined, handed the hearing
// over or ended it; an account the hearing never invited has none.
function outcomeCell(outcome, zone) {
  if (!outcome) return h('td', { class: 'person-outcome' }, '—');
  return h('td', { class: 'person-outcome', 'data-outcome': outcome.kind },
    t(`audit.hearing.outcome_${outcome.kind}`, outcome.time === null ? {} : { time: dateTime(outcome.time, zone) }));
}

// Beside a mediator: when it took the hearing on or gave it up, and who handed it over.
function handoverNotes(list, id, dir, zone) {
  return mediatorNotes(list, id).map((n) => h('div', { class: 'muted small handover-note', 'data-handover': n.kind },
    t(`audit.hearing.${n.kind}`, { name: dir.get('person', n.other)?.name ?? n.otherName ?? personName(dir, n.other),
      time: dateTime(n.time, zone), admin: personLabel(dir, n.by) })));
}

// The hearing's sides: each by its name now, in its colour, marked when removed, with what it
// was called and in which colour from when (its add, rename and remove entries).
function sideList(named, history, dir) {
  const zone = localZone();
  const ids = [...history.keys(), ...named.map((s) => s.id).filter((id) => !history.has(id))];
  if (!ids.length) return h('p', { class: 'muted', id: 'side-list' }, t('audit.hearing.no_sides'));
  return h('ul', { class: 'side-list', id: 'side-list' }, ids.map((id) => {
    const side = history.get(id);
    const name = dir.get('side', id)?.name ?? side?.name ?? id;
    const steps = (side?.steps ?? []).map((step) => (step.action === 'hearing.side_remove'
      ? t('audit.hearing.side_removed_at', { time: dateTime(step.time, zone) })
      : t('audit.hearing.side_step', { name: t('audit.side_quoted', { name: step.name ?? name }), colour: colourLabel(step.colour), time: dateTime(step.time, zone) })));
    return h('li', { 'data-side': id, 'data-colour': side?.colour ?? '', 'data-removed': side?.removed ? 'true' : 'false' },
      h('span', { class: `swatch ${sideClass(side)}`, 'aria-hidden': 'true' }), name,
      side?.removed ? [' ', h('span', { class: 'badge state-closed' }, t('audit.hearing.side_removed'))] : null,
      steps.length ? h('div', { class: 'muted small side-steps' }, steps.join(t('audit.hearing.step_separator'))) : null);
  }));
}

async function timeline(root, hearing) {
  const figure = h('figure', { class: 'timeline', id: 'timeline' }, h('p', { class: 'muted' }, t('common.loading')));
  const listed = await names({ hearing });
  const dir = directory(listed);
  const title = dir.get('hearing', hearing)?.name ?? hearing;
  const { node } = auditShell('hearings', t('audit.timeline.title', { name: title }),
    h('p', { class: 'lede' }, t('audit.timeline.lede')), figure);
  root.replaceChildren(node);
  try {
    const rows = await hearingRows(hearing);
    const events = rows.map((r) => r.event);
    const { mediators, names: named } = lanes(events);
    const accounts = Object.fromEntries(await Promise.all(mediators.filter((id) => !named[id])
      .map(async (id) => [id, await personNamed(id)])));
    // Caucuses by their names now, as the legend names their sides.
    drawTimeline(figure, events, directory(caucusesNamedNow(listed, rows)), { accounts });
  } catch (error) {
    mountNodes(figure, h('p', { class: 'form-error', role: 'alert' }, describe(error, 'audit.timeline')));
  }
}

export async function mount(root, { params }) {
  if (!params.hearing) await list(root);
  else if (params.view === 'timeline') await timeline(root, params.hearing);
  else await summary(root, params.hearing);
  return {};
}
