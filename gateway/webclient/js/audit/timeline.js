// Who was in which room when, from the audit log alone (pure: no DOM but the SVG it builds).
//
// `lanes(events)` folds a hearing's audit events (in log order) into one lane per person:
// segments {room, start, end} and marks {kind, time, from, to}. Each person has a place (the
// room the hearing has them in, connected or not) and is present while connected (or, after
// redeeming an invitation, on the join page): a segment is drawn only while present, so a
// person moved while offline shows no time in the room until they reconnect. What each action
// does is in RULES, read from the signalling core (services/signalling/core*.py):
//   hearing.create              the mediator's place is plenary (new_hearing); its name
//   hearing.mediator_rename     the mediator's name
//   hearing.mediator_handover   an admin handed the hearing to another mediator (handover.py):
//                               the old one's lane ends there (its sockets close, unaudited),
//                               the new one holds its place, not present until it connects;
//                               both named (details from_name, mediator_name), both marked
//   participant.redeem          present in the lobby (details.participant)
//   participant.connect         present in details.room
//   participant.disconnect      not present (the place stays)
//   participant.admit, room.move (one per person, also when a whole side moves), room.shuttle
//                               (the mediator's own move): from details.from to details.to
//   room.caucus_close           everyone in that caucus goes to plenary (no details: by place)
//   room.recall                 everyone in a caucus goes to plenary (no details: by place)
//   room.grace_expired          offline too long: to the lobby
//   participant.leave           to the lobby, not present (the sockets close; coming back is
//                               a new connection); deny and remove: out of the hearing
//   hearing.close               nobody is anywhere
// The mediators' lanes come first, in the order they held the hearing. Each lane's segments
// are also joined into stays (audit/stays.js: a reconnection of less than a minute does not
// split one), as a person's report lists them. `timelineSvg(model, options)` draws it as
// inline SVG: one row per lane, a rect per stay with data-participant/-room/-start/-end and
// -reconnects, focusable, labelled with exact times, and each reconnection's gap drawn inside
// it; the same stays are `timelineRows(model)` for the table alternative.
// The axis's ticks fall on round times, a step chosen from the span (audit/axis.js);
// `legendItems` says what the legend must explain: only what is drawn.

import { axisTicks, tickLabels } from './axis.js';
import { stays } from './stays.js';

const SVG = 'http://www.w3.org/2000/svg';
const isCaucus = (room) => Boolean(room) && room !== 'lobby' && room !== 'plenary';

/** The queries that fetch every action RULES folds (whole families, or one action of the
 *  room family: its connection reports and knocks are many and change nobody's room). */
export const TIMELINE_SOURCES = ['hearing.', 'participant.', 'room.move', 'room.shuttle', 'room.recall',
  'room.caucus_close', 'room.grace_expired'];

// The person an event is about.
function subjectOf(event) {
  if (event.action === 'participant.redeem') return event.details?.participant ?? null;
  return event.resource?.type === 'participant' ? event.resource.id : null;
}

const RULES = {
  'hearing.create': (f, e) => f.seatMediator(e.details?.mediator, e.details?.mediator_name),
  'hearing.mediator_rename': (f, e) => f.learnName(e.details?.mediator, e.details?.mediator_name),
  'hearing.mediator_handover': (f, e) => f.handOver(e.details?.from, e.details?.to ?? e.details?.mediator,
    e.details?.from_name, e.details?.mediator_name),
  'participant.redeem': (f, e, id) => f.arrive(id, 'lobby'),
  'participant.connect': (f, e, id) => f.arrive(id, e.details?.room ?? f.placeOf(id)),
  'participant.disconnect': (f, e, id) => f.depart(id, e.details?.room ?? f.placeOf(id)),
  'participant.admit': (f, e, id) => f.move(id, e.details?.to, 'admit'),
  'room.move': (f, e, id) => f.move(id, e.details?.to, 'move'),
  'room.shuttle': (f, e, id) => f.move(id, e.details?.to, 'shuttle'),
  'room.caucus_close': (f, e) => f.moveEveryone((room) => room === e.resource?.id, 'plenary', 'caucus_close'),
  'room.recall': (f) => f.moveEveryone(isCaucus, 'plenary', 'recall'),
  'room.grace_expired': (f, e, id) => f.move(id, 'lobby'),
  'participant.leave': (f, e, id) => f.depart(id, e.details?.to ?? null),
  'participant.deny': (f, e, id) => f.depart(id, null),
  'participant.remove': (f, e, id) => f.depart(id, null),
  'hearing.close': (f) => f.endAll(),
};

export const TIMELINE_ACTIONS = Object.keys(RULES);

// The state of the fold: each person's place and open segment, and the lanes drawn so far.
// Per-person steps ignore an event that names nobody (a malformed entry draws nothing).
function fold() {
  const people = new Map(); // id → {place, open}
  const byId = new Map(); // id → lane, in order of appearance
  const names = {};
  let mediator = null;
  const mediators = [];
  let time = 0;
  let first = Infinity;
  let last = -Infinity;
  const note = (at) => { first = Math.min(first, at); last = Math.max(last, at); };
  const person = (id) => {
    if (!people.has(id)) people.set(id, { place: null, open: null });
    return people.get(id);
  };
  const lane = (id) => {
    if (!byId.has(id)) byId.set(id, { participant: id, segments: [], marks: [] });
    return byId.get(id);
  };
  const close = (id, at) => {
    const p = person(id);
    if (!p.open) return;
    p.open.end = at;
    lane(id).segments.push(p.open);
    p.open = null;
    note(at);
  };
  const open = (id, room) => {
    close(id, time);
    if (!room) return;
    person(id).open = { room, start: time, end: null };
    lane(id);
    note(time);
  };
  const move = (id, room, kind) => {
    if (!id) return;
    const p = person(id);
    if (kind) { lane(id).marks.push({ kind, time, from: p.place, to: room ?? null }); note(time); }
    p.place = room ?? null;
    if (p.open && p.open.room !== p.place) open(id, p.place);
  };
  const learnName = (id, name) => { if (id && name) names[id] = name; };
  const seatMediator = (id, name) => {
    if (!id) return;
    mediator = id;
    if (!mediators.includes(id)) mediators.push(id);
    person(id).place ??= 'plenary';
    learnName(id, name);
  };
  return {
    at(ms) { time = ms; },
    placeOf: (id) => (id ? person(id).place : null),
    seatMediator,
    learnName,
    // The new mediator takes the old one's place (handover.py: its room, else plenary).
    handOver(from, to, fromName, toName) {
      if (!to || to === from) return;
      const place = from ? person(from).place : null;
      if (from) {
        if (!mediators.includes(from)) mediators.push(from);
        lane(from).marks.push({ kind: 'handover', time, from: place, to: null });
        close(from, time);
        person(from).place = null;
        learnName(from, fromName);
      }
      person(to).place = place ?? 'plenary';
      seatMediator(to, toName);
      lane(to).marks.push({ kind: 'handover', time, from: null, to: person(to).place });
      note(time);
    },
    arrive(id, room) {
      if (!id) return;
      const p = person(id);
      p.place = room ?? p.place;
      if (!p.open || p.open.room !== p.place) open(id, p.place);
    },
    depart(id, place) {
      if (!id) return;
      close(id, time);
      person(id).place = place;
    },
    move,
    moveEveryone(where, room, kind) {
      for (const [id, p] of people) if (where(p.place)) move(id, room, kind);
    },
    endAll() {
      for (const [id, p] of people) { close(id, time); p.place = null; }
    },
    result(end) {
      const stop = end ?? last;
      for (const id of people.keys()) close(id, stop);
      const all = [...byId.values()].map((l) => {
        const segments = l.segments.filter((s) => s.end >= s.start);
        return { ...l, segments, stays: stays(segments) };
      });
      const staff = mediators.map((id) => all.find((l) => l.participant === id)).filter(Boolean);
      const ordered = [...staff, ...all.filter((l) => !mediators.includes(l.participant))];
      return { start: Number.isFinite(first) ? first : 0, end: Number.isFinite(stop) ? stop : 0, lanes: ordered, mediator, mediators, names };
    },
  };
}

/** The model: {start, end, lanes: [{participant, segments, stays, marks}], mediator: id (the last),
 *  mediators: [id] (every one, in order: hand-overs), names: {id: name}} (names the log itself
 *  gives: the mediators', from hearing.create, renames and hand-overs). */
export function lanes(events, { end = null } = {}) {
  const f = fold();
  for (const e of events) {
    const rule = RULES[e.action];
    if (!rule || (e.outcome && e.outcome !== 'allowed')) continue;
    f.at(e.time);
    rule(f, e, subjectOf(e));
  }
  return f.result(end);
}

// ------------------------------------------------------------------ the legend

/** What the legend explains, in its order, and only what the picture draws: the lobby and
 *  plenary if anyone was there, each side whose caucus someone was in (`sideOf(room)` → its
 *  side, or null; in the order of `sides`), caucus rooms of no side the log names, the room
 *  changes' marks if there are any, hand-overs' if there are any, and reconnections' gaps if
 *  a stay has any: [{kind: 'lobby'|'plenary'|'side'|'caucus'|'marks'|'handover'|'gaps', side?}]. */
export function legendItems(model, sideOf, sides = []) {
  const drawn = new Set(model.lanes.flatMap((l) => l.segments.map((s) => s.room)));
  const items = ['lobby', 'plenary'].filter((room) => drawn.has(room)).map((kind) => ({ kind }));
  const seen = new Set();
  let other = false;
  for (const room of drawn) {
    if (!isCaucus(room)) continue;
    const side = sideOf(room);
    if (side) seen.add(side);
    else other = true;
  }
  const ordered = [...sides.filter((side) => seen.has(side)), ...[...seen].filter((side) => !sides.includes(side))];
  items.push(...ordered.map((side) => ({ kind: 'side', side })));
  if (other) items.push({ kind: 'caucus' });
  const marks = model.lanes.flatMap((l) => l.marks);
  if (marks.some((m) => m.kind !== 'handover')) items.push({ kind: 'marks' });
  if (marks.some((m) => m.kind === 'handover')) items.push({ kind: 'handover' });
  if (model.lanes.some((l) => l.stays?.some((s) => s.gaps.length))) items.push({ kind: 'gaps' });
  return items;
}

/** Stays as table rows: {participant, room, start, end, reconnects, away, gaps}, by person
 *  then time. */
export function timelineRows(model) {
  return model.lanes.flatMap((l) => l.stays.map((s) => ({ participant: l.participant, ...s })));
}

function el(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  for (const child of children) node.append(child);
  return node;
}

// A rough width of text in the lane names' type (12 px, semi-bold): CJK characters are square,
// others about 0.6 em. The page passes a measure of its own font (a canvas) when it has one.
const roughWidth = (text) => [...text].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 12 : 7.2), 0);

/** `text`, cut to fit `width` with an ellipsis at the end (whole when it fits). */
export function ellipsize(text, width, measure = roughWidth) {
  if (measure(text) <= width) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) { // the longest prefix that fits with its ellipsis
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${chars.slice(0, mid).join('').trimEnd()}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('').trimEnd()}…`;
}

/** A lane's name in at most two lines of `width`: whole on one when it fits; else `parts` (the
 *  name and its role: ["Mr David Lam", "(mediator)"]) one a line, or the text broken at its
 *  last space that leaves a first line that fits (anywhere, for a name without one); a line
 *  is cut with an ellipsis only when it still does not fit. */
export function labelLines(text, width, measure = roughWidth, parts = null) {
  if (measure(text) <= width) return [text];
  if (parts && parts.length === 2 && parts.every((p) => typeof p === 'string' && p)) return parts.map((p) => ellipsize(p, width, measure));
  const chars = [...text];
  let fits = 0; // the longest prefix that fits
  while (fits < chars.length && measure(chars.slice(0, fits + 1).join('').trimEnd()) <= width) fits += 1;
  const space = chars.slice(0, fits + 1).lastIndexOf(' ');
  const cut = space > 0 ? space : Math.max(1, fits);
  const rest = chars.slice(cut).join('').trim();
  return rest ? [chars.slice(0, cut).join('').trimEnd(), ellipsize(rest, width, measure)] : [text];
}

/** The SVG picture. options: {width, laneHeight, label(participant) → text, roomLabel(room) →
 *  text, roomClass(room) → CSS class, time(ms) → text, tickFormat: {time, seconds, day} (the
 *  axis's labels, tickLabels), offset(ms) → the zone's offset (zoneOffset), title,
 *  measure(text) → px, reconnected(stay) → text ('' for none: what a stay's label adds),
 *  parts(participant) → [name, role] or null (the two lines of a name too long for one)}.
 *  A name too long for its column takes two lines (labelLines), every lane then taller. */
export function timelineSvg(model, options) {
  const { width = 1000, label, roomLabel, roomClass, time, title, measure, reconnected = () => '', parts = () => null } = options;
  const tickFormat = options.tickFormat ?? { time, seconds: time, day: () => '' };
  const gutter = 170;
  const nameWidth = gutter - 14; // the names' column, less a margin before the chart
  const names = new Map(model.lanes.map((l) => [l.participant, labelLines(label(l.participant), nameWidth, measure, parts(l.participant))]));
  const laneHeight = options.laneHeight ?? ([...names.values()].some((lines) => lines.length > 1) ? 40 : 28);
  const bar = 20; // a stay's height, centred in its lane
  const inset = (laneHeight - bar) / 2;
  const axis = 26;
  const height = axis + model.lanes.length * laneHeight + 8;
  const span = Math.max(1, model.end - model.start);
  const chart = width - gutter - 10;
  const x = (ms) => gutter + ((ms - model.start) / span) * chart;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', class: 'timeline-svg',
    role: 'group', 'aria-label': title, 'data-start': model.start, 'data-end': model.end });
  // As many ticks as their labels leave room for (a label with its day is wider).
  const days = tickFormat.day(model.start) !== tickFormat.day(model.end);
  const { step, ticks } = axisTicks(model.start, model.end, { maxTicks: Math.max(2, Math.floor(chart / (days ? 150 : 80))), offset: options.offset });
  const labels = tickLabels(ticks, step, tickFormat, { start: model.start, end: model.end });
  ticks.forEach((ms, i) => {
    const at = x(ms);
    const anchor = at - gutter < 30 ? 'start' : gutter + chart - at < 30 ? 'end' : 'middle';
    svg.append(el('line', { x1: at, x2: at, y1: axis - 6, y2: height, class: 'timeline-tick' }),
      el('text', { x: at, y: 14, class: 'timeline-axis', 'text-anchor': anchor, 'data-ms': ms }, labels[i]));
  });
  model.lanes.forEach((l, row) => {
    const y = axis + row * laneHeight;
    const name = label(l.participant);
    const group = el('g', { class: 'timeline-lane', 'data-participant': l.participant, role: 'list', 'aria-label': name });
    // A long name takes two lines of its column (the full name is the lane's label and its
    // tooltip); only what still does not fit is cut.
    const lines = names.get(l.participant);
    const middle = y + laneHeight / 2 + 4;
    group.append(el('text', { x: 4, y: middle, class: 'timeline-name', 'data-lines': lines.length },
      ...(lines.length === 1 ? lines : lines.map((line, n) => el('tspan', { x: 4, y: middle + (n ? 7 : -7) }, line))),
      el('title', {}, name)));
    for (const s of l.stays) {
      const text = `${name}: ${roomLabel(s.room)}, ${time(s.start)} – ${time(s.end)}${reconnected(s)}`;
      group.append(el('rect', {
        x: x(s.start), y: y + inset, width: Math.max(2, x(s.end) - x(s.start)), height: bar, rx: 3,
        class: `timeline-segment ${roomClass(s.room)}`, tabindex: 0, role: 'listitem', 'aria-label': text,
        'data-participant': l.participant, 'data-room': s.room, 'data-start': s.start, 'data-end': s.end,
        'data-reconnects': s.reconnects,
      }, el('title', {}, text)));
      // Each reconnection's gap, inside the stay (the stay's label says how many): at least
      // 2 units wide, so a few seconds away on a day-long axis still shows.
      for (const g of s.gaps) {
        const width = Math.max(2, x(g.end) - x(g.start));
        group.append(el('rect', {
          x: Math.min(x(g.start), x(s.end) - width), y: y + inset, width, height: bar,
          class: 'timeline-gap', 'aria-hidden': 'true', 'data-participant': l.participant, 'data-start': g.start, 'data-end': g.end,
        }));
      }
    }
    for (const m of l.marks) {
      // A room change: a notch above the lane; a hand-over: a bar across it.
      group.append(el('path', {
        d: m.kind === 'handover' ? `M ${x(m.time) - 1.5} ${y + inset - 3} h 3 v ${bar + 6} h -3 z` : `M ${x(m.time)} ${y + inset - 2} l 4 -4 l -8 0 z`,
        class: `timeline-mark mark-${m.kind}`,
        'data-kind': m.kind, 'data-time': m.time, 'aria-hidden': 'true',
      }));
    }
    svg.append(group);
  });
  return svg;
}
