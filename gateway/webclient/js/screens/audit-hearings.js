// Hearings as the log knows them: the list (each with its state and dates: audit/life-view.js);
// one hearing's summary (when it was created, scheduled, opened and ended, and whether its
// documents were destroyed; its title and start over time, each change and by whom; people with role and side, the mediator first and any other staff
// account that acted in it among them, as the names query gives a hearing's people:
// services/audit/names_table.py, each mediator with when it took the hearing on or gave it up
// and who handed it over (audit/handovers.js); documents, each told by who first uploaded it
// and when, since two can share a name; how many refusals, one refused use of an invitation
// once though two services recorded it (audit/attempts.js); its sides with their names and
// colours over time); and its timeline — who was in which room when, drawn from the log's own
// hearing, admission, move and connection entries (audit/timeline.js says which and how), with
// a table of the same data and its hand-overs told in words.
// A side's caucus is drawn in the side's own colour as the log last recorded it (its add and
// rename entries: audit/sides.js), the colour every other screen showed it in.

import { describe } from '../core/errors.js';
import { formatNumber, localZone, t, zoneWords } from '../core/i18n.js';
import { h, mount as mountNodes } from '../core/render.js';
import { auditShell } from '../components/audit-shell.js';
import { accountName, hearingRows, names, search, searchAll } from '../audit/data.js';
import { refusalCount } from '../audit/attempts.js';
import { calendarDate, clockSeconds, clockTime, dateTime, shortDay } from '../audit/times.js';
import { colourLabel, describeEntry } from '../audit/describe.js';
import { directory, personLabel, personName, roomLabel } from '../audit/labels.js';
import { handovers, mediatorNotes } from '../audit/handovers.js';
import { caucusesNamedNow, sideHistory } from '../audit/sides.js';
import { detailsHistory, hearingLife } from '../audit/hearing-life.js';
import { detailsHistoryView, lifeFacts, lifeLine } from '../audit/life-view.js';
import { documentOrigins, originText } from '../audit/origins.js';
import { zoneOffset } from '../audit/axis.js';
import { lanes, legendItems, timelineRows } from '../audit/timeline.js';
import { timelineSvg } from '../audit/timeline-svg.js';

const sideClass = (side) => (side?.colour ? `room-side-${side.colour}` : 'room-caucus');

function roomClass(dir, sides) {
  return (room) => {
    if (room === 'lobby' || room === 'plenary') return `room-${room}`;
    const side = dir.get('room', room)?.side;
    return side ? sideClass(sides.get(side)) : 'room-caucus';
  };
}

// The legend: only what the picture draws, each side's caucus in that side's colour.
function legend(model, dir, sides) {
  const sideOf = (room) => dir.get('room', room)?.side ?? null;
  const item = (swatch, text, data = {}) => h('li', data, h('span', { class: `swatch ${swatch}` }), text);
  return h('ul', { class: 'legend', id: 'timeline-legend', 'aria-label': t('audit.timeline.legend') },
    legendItems(model, sideOf, [...sides.keys()]).map((it) => {
      if (it.kind === 'lobby' || it.kind === 'plenary') return item(`room-${it.kind}`, t(`audit.room.${it.kind}`), { 'data-room': it.kind });
      if (it.kind === 'marks') return item('mark', t('audit.timeline.marks'));
      if (it.kind === 'handover') return item('mark-handover', t('audit.timeline.handover'));
      if (it.kind === 'gaps') return item('gap', t('audit.timeline.gaps'), { 'data-kind': 'gaps' });
      if (it.kind === 'caucus') return item('room-caucus', t('audit.timeline.caucus_other'), { 'data-room': 'caucus' });
      const side = sides.get(it.side);
      const name = dir.get('side', it.side)?.name ?? side?.name ?? it.side;
      return item(sideClass(side), t(side?.removed ? 'audit.timeline.caucus_of_removed' : 'audit.timeline.caucus_of', { side: name }),
        { 'data-side': it.side, 'data-colour': side?.colour ?? '' });
    }));
}

// A lane's name: the person's name from the log's directory; a mediator (an account, not
// invited, so not in the directory; two after a hand-over) by the name the hearing gave it
// (hearing.create, renames, hand-overs), else its account's name, always with its role.
function laneLabel(dir, model, accountNames) {
  return (id) => {
    if (!model.mediators.includes(id)) return dir.get('person', id)?.name ?? model.names[id] ?? id;
    const name = model.names[id] || accountNames[id];
    return name ? t('audit.timeline.mediator_named', { name }) : t('audit.timeline.mediator');
  };
}

// The hearing's hand-overs in words, as the log tells them (the picture marks them).
function handoverList(events, dir, zone) {
  const entries = events.filter((e) => e.action === 'hearing.mediator_handover' && e.outcome === 'allowed');
  return entries.length ? h('ul', { class: 'timeline-handovers', id: 'timeline-handovers', 'aria-label': t('audit.timeline.handovers') },
    entries.map((e) => h('li', { 'data-from': e.details?.from ?? '', 'data-to': e.details?.to ?? '' }, describeEntry(e, dir, zone)))) : null;
}

// A mediator's lane name as two lines when it is too long for one: the name, then the role.
function laneParts(model, accountNames) {
  return (id) => {
    const name = model.mediators.includes(id) ? model.names[id] || accountNames[id] : null;
    return name ? [name, t('audit.timeline.mediator_role')] : null;
  };
}

// The width of a lane name in the page's own type (the names' column wraps and cuts by it).
function textMeasure(figure) {
  const context = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
  if (!context) return undefined;
  const family = getComputedStyle(figure.isConnected ? figure : document.body).fontFamily;
  context.font = `600 12px ${family}`;
  return (text) => context.measureText(text).width;
}

/** Draw the timeline of a hearing's `events` (data.js hearingEvents: its side entries too,
 *  which give the caucuses' colours) into `figure`; returns the milliseconds it took.
 *  `accountNames`: id → account name, for mediators the hearing did not name. */
export function drawTimeline(figure, events, dir, { accountNames = {} } = {}) {
  const t0 = performance.now();
  const model = lanes(events);
  const sides = sideHistory(events);
  const zone = localZone();
  const label = laneLabel(dir, model, accountNames);
  const measure = textMeasure(figure);
  const offset = zoneOffset(zone);
  // The picture is drawn at the width it is shown (one SVG unit = one CSS pixel), so names and
  // times keep their type size at tablet width instead of a laptop-wide picture scaled down;
  // it is drawn again when that width changes (a rotated tablet, a resized window).
  const picture = (width) => timelineSvg(model, {
    width, label, parts: laneParts(model, accountNames), measure, roomLabel: (room) => roomLabel(dir, room), roomClass: roomClass(dir, sides),
    time: (ms) => clockTime(ms, zone), offset,
    reconnected: (stay) => (stay.reconnects ? t('audit.timeline.reconnected', { count: stay.reconnects }) : ''),
    tickFormat: { time: (ms) => clockTime(ms, zone), seconds: (ms) => clockSeconds(ms, zone), day: (ms) => shortDay(ms, zone) },
    title: t('audit.timeline.svg_label', { count: model.lanes.length }),
  });
  let drawnWidth = pictureWidth(figure);
  const scroll = h('div', { class: 'timeline-scroll' }, picture(drawnWidth));
  // The table alternative is built when first shown: the picture is what most people read.
  // One row per stay, as the picture draws them, with the reconnections' times away.
  // Its times are clock times to the second (moves can come seconds apart), where the picture
  // spans one day (the line above it says which day, and in which zone); the day too where it
  // spans more. Its own box scrolls sideways if a language's words are still too wide, never
  // the page.
  const table = h('table', { class: 'data timeline-table', hidden: true, id: 'timeline-table' });
  const oneDay = calendarDate(model.start, zone) === calendarDate(model.end, zone);
  const at = (ms) => (oneDay ? clockSeconds(ms, zone) : t('audit.timeline.day_time', { day: shortDay(ms, zone), time: clockSeconds(ms, zone) }));
  const fillTable = () => mountNodes(table,
    h('caption', null, t('audit.timeline.table_caption')),
    h('thead', null, h('tr', null, ['person', 'room', 'from', 'to', 'away'].map((c) => h('th', { scope: 'col' }, t(`audit.timeline.col_${c}`))))),
    h('tbody', null, timelineRows(model).map((r) => h('tr', { 'data-participant': r.participant, 'data-room': r.room, 'data-reconnects': r.reconnects },
      h('td', { class: 'timeline-person', title: label(r.participant) }, label(r.participant)), h('td', null, roomLabel(dir, r.room)),
      h('td', { class: 'nowrap' }, at(r.start)), h('td', { class: 'nowrap' }, at(r.end)),
      h('td', { class: 'timeline-away' }, r.gaps.length ? r.gaps.map((g) => h('div', { class: 'nowrap' }, `${at(g.start)} – ${at(g.end)}`))
        : t('audit.timeline.not_away'))))));
  const toggle = h('button', { type: 'button', class: 'button small', 'aria-controls': 'timeline-table', 'aria-expanded': 'false' }, t('audit.timeline.show_table'));
  toggle.addEventListener('click', () => {
    if (!table.childElementCount) fillTable();
    table.hidden = !table.hidden;
    toggle.setAttribute('aria-expanded', String(!table.hidden));
    toggle.textContent = t(table.hidden ? 'audit.timeline.show_table' : 'audit.timeline.hide_table');
  });
  mountNodes(figure, when(model, zone), scroll, legend(model, dir, sides), handoverList(events, dir, zone), h('div', { class: 'actions' }, toggle),
    h('div', { class: 'table-scroll' }, table));
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(() => {
      const width = pictureWidth(figure);
      if (Math.abs(width - drawnWidth) < 24) return;
      drawnWidth = width;
      scroll.replaceChildren(picture(width));
    }).observe(figure);
  }
  const took = performance.now() - t0;
  figure.dataset.renderMs = took.toFixed(1);
  figure.dataset.lanes = String(model.lanes.length);
  return took;
}

// The width inside the figure's padding, in CSS pixels (at least the picture's 720 px minimum;
// 1100 for a figure not laid out yet).
function pictureWidth(figure) {
  if (!figure.isConnected || !figure.clientWidth) return 1100;
  const style = getComputedStyle(figure);
  const inner = figure.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return Math.max(720, Math.round(inner));
}

// The picture's axis shows clock times only: say which day (or days) and in which zone (the
// days the picture spans, not the hearing's creation, which can be weeks before).
function when(model, zone) {
  if (!model.lanes.length) return null;
  const first = calendarDate(model.start, zone);
  const last = calendarDate(model.end, zone);
  return h('p', { class: 'muted timeline-when', id: 'timeline-when' },
    t('audit.timeline.when', { dates: first === last ? first : `${first} – ${last}`, zone: zoneWords(zone ?? 'UTC', { offset: false }) }));
}

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
  const [all, denied, redeems, docs, people, sides, own, shred, uploads] = await Promise.all([
    search({ hearing }, { limit: 1 }), search({ hearing, outcome: 'denied' }, { limit: 1 }),
    searchAll({ hearing, action: 'participant.redeem', outcome: 'denied', order: 'asc' }),
    names({ hearing, kind: 'document' }), names({ hearing, kind: 'person' }), names({ hearing, kind: 'side' }),
    searchAll({ hearing, action: 'hearing.', order: 'asc' }), search({ hearing, action: 'document.shred', order: 'asc' }, { limit: 1 }),
    searchAll({ hearing, action: 'document.upload', outcome: 'allowed', order: 'asc' })]);
  // The mediator first, as on the timeline; everyone else as the log's directory orders them.
  people.sort((a, b) => Number(b.role === 'mediator') - Number(a.role === 'mediator'));
  const events = own.rows.map((r) => r.event);
  const handedOver = handovers(events);
  const history = sideHistory(events);
  const life = hearingLife([...events, ...shred.events.map((r) => r.event)]).get(hearing) ?? null;
  // Documents of one name are told apart by who first uploaded each, and when.
  const origins = documentOrigins(uploads.rows);
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
      h('section', null, h('h2', null, t('audit.hearing.people')), h('table', { class: 'data' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('audit.hearing.col_name')), h('th', { scope: 'col' }, t('audit.hearing.col_role')), h('th', { scope: 'col' }, t('audit.hearing.col_side')))),
        h('tbody', null, people.map((p) => h('tr', { 'data-person': p.id, 'data-role': p.role ?? '' }, h('td', null, h('a', { href: `/audit/people/${p.id}` }, p.name)),
          h('td', { class: 'role' }, h('span', { class: 'role-name' }, p.role ? t(`audit.role.${p.role}`) : '—'), handoverNotes(handedOver, p.id, dir, zone)), h('td', null, p.side ? (dir.get('side', p.side)?.name ?? p.side) : '—')))))),
      h('section', null, h('h2', null, t('audit.hearing.documents')), docs.length ? h('ul', { class: 'doc-list' },
        docs.map((d) => h('li', { 'data-document': d.id }, h('a', { href: `/audit/documents/${d.id}` }, d.name),
          h('div', { class: 'muted small doc-origin' }, originText(dir, origins.get(d.id), zone))))) : h('p', { class: 'muted' }, t('audit.hearing.no_documents')),
      h('h2', null, t('audit.hearing.sides')), sideList(sides, history, dir))));
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
    const accountNames = Object.fromEntries(await Promise.all(mediators.filter((id) => !named[id])
      .map(async (id) => [id, await accountName(id)])));
    // Caucuses by their names now, as the legend names their sides.
    drawTimeline(figure, events, directory(caucusesNamedNow(listed, rows)), { accountNames });
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
