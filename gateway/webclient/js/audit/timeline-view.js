// A hearing's timeline on its page (audit-hearings.js): the picture (audit/timeline-svg.js) of
// the lanes audit/timeline.js folds from the log, the day and zone it is read in, its legend
// (only what it draws, each side's caucus in that side's colour), its hand-overs in words, and a
// table of the same stays, built when first shown. The picture is drawn again when its width
// changes.

import { localZone, t, zoneWords } from '../core/i18n.js';
import { h, mount as mountNodes } from '../core/render.js';
import { calendarDate, clockSeconds, clockTime, shortDay } from './times.js';
import { describeEntry } from './describe.js';
import { detailsHistory, titleSteps } from './hearing-life.js';
import { accountLabel, accountOnly, roomLabel } from './labels.js';
import { sideHistory } from './sides.js';
import { zoneOffset } from './axis.js';
import { lanes, legendItems, timelineTableRows } from './timeline.js';
import { timelineSvg } from './timeline-svg.js';

export const sideClass = (side) => (side?.colour ? `room-side-${side.colour}` : 'room-caucus');

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
      if (it.kind === 'remove') return item('mark-remove', t('audit.timeline.removed'), { 'data-kind': 'remove' });
      if (it.kind === 'gaps') return item('gap', t('audit.timeline.gaps'), { 'data-kind': 'gaps' });
      if (it.kind === 'end') return item('mark-end', t('audit.timeline.ended'), { 'data-kind': 'end' });
      if (it.kind === 'caucus') return item('room-caucus', t('audit.timeline.caucus_other'), { 'data-room': 'caucus' });
      const side = sides.get(it.side);
      const name = dir.get('side', it.side)?.name ?? side?.name ?? it.side;
      return item(sideClass(side), t(side?.removed ? 'audit.timeline.caucus_of_removed' : 'audit.timeline.caucus_of', { side: name }),
        { 'data-side': it.side, 'data-colour': side?.colour ?? '' });
    }));
}

// A mediator's account as the log names it (`accounts`, else the hearing's directory), when it
// has no display name and the hearing gave it none: it is then shown as an account, its user
// name and its kind (labels.js accountLabel), as every other audit page shows it.
const bareAccount = (dir, model, accounts, id) => {
  const person = accounts[id] ?? dir.get('person', id);
  return !model.names[id] && accountOnly(person) ? person : null;
};

// A lane's name: the person's name from the log's directory; a mediator (an account, not
// invited, so not in the directory; two after a hand-over) by the name the hearing gave it
// (hearing.create, renames, hand-overs), else its account's name, always with its role.
function laneLabel(dir, model, accounts) {
  return (id) => {
    if (!model.mediators.includes(id)) return dir.get('person', id)?.name ?? model.names[id] ?? id;
    const bare = bareAccount(dir, model, accounts, id);
    if (bare) return accountLabel(bare.username, 'mediator');
    const name = model.names[id] || accounts[id]?.name;
    return name ? t('audit.timeline.mediator_named', { name }) : t('audit.timeline.mediator');
  };
}

// The hearing's hand-overs in words, as the log tells them (the picture marks them).
function handoverList(events, dir, zone) {
  const titles = new Map(events.filter((e) => e.action === 'hearing.create' && e.resource?.type === 'hearing')
    .map((e) => [e.resource.id, titleSteps(detailsHistory(events))]));
  const entries = events.filter((e) => e.action === 'hearing.mediator_handover' && e.outcome === 'allowed');
  return entries.length ? h('ul', { class: 'timeline-handovers', id: 'timeline-handovers', 'aria-label': t('audit.timeline.handovers') },
    entries.map((e) => h('li', { 'data-from': e.details?.from ?? '', 'data-to': e.details?.to ?? '' }, describeEntry(e, dir, zone, { titles })))) : null;
}

// A mediator's lane name as two lines when it is too long for one: the name, then the role.
function laneParts(dir, model, accounts) {
  return (id) => {
    if (!model.mediators.includes(id)) return null;
    const bare = bareAccount(dir, model, accounts, id);
    if (bare) return accountLabel(bare.username, 'mediator', { parts: true });
    const name = model.names[id] || accounts[id]?.name;
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
 *  `accounts`: id → the account as the log names it ({name, username}), for mediators the
 *  hearing did not name. */
export function drawTimeline(figure, events, dir, { accounts = {} } = {}) {
  const t0 = performance.now();
  const model = lanes(events);
  const sides = sideHistory(events);
  const zone = localZone();
  const label = laneLabel(dir, model, accounts);
  const measure = textMeasure(figure);
  const offset = zoneOffset(zone);
  // A time to the second, with its day where the picture spans more than one.
  const oneDay = calendarDate(model.start, zone) === calendarDate(model.end, zone);
  const at = (ms) => (oneDay ? clockSeconds(ms, zone) : t('audit.timeline.day_time', { day: shortDay(ms, zone), time: clockSeconds(ms, zone) }));
  // The picture is drawn at the width it is shown (one SVG unit = one CSS pixel), so names and
  // times keep their type size at tablet width instead of a laptop-wide picture scaled down;
  // it is drawn again when that width changes (a rotated tablet, a resized window).
  const picture = (width) => timelineSvg(model, {
    width, label, parts: laneParts(dir, model, accounts), measure, roomLabel: (room) => roomLabel(dir, room), roomClass: roomClass(dir, sides),
    time: (ms) => clockTime(ms, zone), offset,
    reconnected: (stay) => (stay.reconnects ? t('audit.timeline.reconnected', { count: stay.reconnects }) : ''),
    markLabel: (mark, name) => (mark.kind === 'remove' ? t('audit.timeline.removed_at', { name, time: clockSeconds(mark.time, zone) }) : ''),
    endLabel: (ms) => [t('audit.timeline.ended_at', { time: at(ms) }), t('audit.timeline.ended_short', { time: clockTime(ms, zone) })],
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
  const fillTable = () => mountNodes(table,
    h('caption', null, t('audit.timeline.table_caption')),
    h('thead', null, h('tr', null, ['person', 'room', 'from', 'to', 'away'].map((c) => h('th', { scope: 'col' }, t(`audit.timeline.col_${c}`))))),
    h('tbody', null, timelineTableRows(model).map((r) => (r.kind === 'stay' ? h('tr', { 'data-participant': r.participant, 'data-room': r.room, 'data-reconnects': r.reconnects },
      h('td', { class: 'timeline-person', title: label(r.participant) }, label(r.participant)), h('td', null, roomLabel(dir, r.room)),
      h('td', { class: 'nowrap' }, at(r.start)), h('td', { class: 'nowrap' }, at(r.end)),
      h('td', { class: 'timeline-away' }, r.gaps.length ? r.gaps.map((g) => h('div', { class: 'nowrap' }, `${at(g.start)} – ${at(g.end)}`))
        : t('audit.timeline.not_away')))
      : markRow(r)))));
  // A removal, or the hearing's end, in the words of its mark on the picture, at its time.
  const markRow = (r) => h('tr', { class: `timeline-row-${r.kind}`, 'data-kind': r.kind, 'data-participant': r.participant ?? '', 'data-time': r.time },
    r.kind === 'remove' ? h('td', { class: 'timeline-person', title: label(r.participant) }, label(r.participant)) : h('td', null, '—'),
    h('td', { colspan: '4' }, r.kind === 'remove' ? t('audit.timeline.removed_at', { name: label(r.participant), time: at(r.time) })
      : t('audit.timeline.ended_at', { time: at(r.time) })));
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
