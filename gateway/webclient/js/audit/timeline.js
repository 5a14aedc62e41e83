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
//                               a new connection); deny and remove: out of the hearing, a
//                               removal marked at that instant on the lane of the one removed
//                               (one who never arrived has no lane: nothing to mark)
//   hearing.close               nobody is anywhere: the hearing's end (`ended`), drawn as a
//                               rule across every lane
// The mediators' lanes come first, in the order they held the hearing. Each lane's segments
// are also joined into stays (audit/stays.js: a reconnection of less than a minute does not
// split one), as a person's report lists them. `timelineSvg(model, options)` draws it as
// inline SVG: one row per lane, a rect per stay with data-participant/-room/-start/-end and
// -reconnects, focusable, labelled with exact times, and each reconnection's gap drawn inside
// it; the same stays are `timelineRows(model)` for the table alternative.
// The axis's ticks fall on round times, a step chosen from the span (audit/axis.js);
// `legendItems` says what the legend must explain: only what is drawn.

import { stays } from './stays.js';


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
  'participant.remove': (f, e, id) => f.remove(id),
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
  let ended = null;
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
    remove(id) {
      if (!id) return;
      if (byId.has(id)) { lane(id).marks.push({ kind: 'remove', time, from: person(id).place, to: null }); note(time); }
      close(id, time);
      person(id).place = null;
    },
    move,
    moveEveryone(where, room, kind) {
      for (const [id, p] of people) if (where(p.place)) move(id, room, kind);
    },
    endAll() {
      for (const [id, p] of people) { close(id, time); p.place = null; }
      ended ??= time;
      note(time);
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
      return { start: Number.isFinite(first) ? first : 0, end: Number.isFinite(stop) ? stop : 0, ended, lanes: ordered, mediator, mediators, names };
    },
  };
}

/** The model: {start, end, ended: when the hearing ended (its first hearing.close), or null,
 *  lanes: [{participant, segments, stays, marks}], mediator: id (the last),
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
 *  a stay has any: [{kind: 'lobby'|'plenary'|'side'|'caucus'|'marks'|'handover'|'remove'|'gaps'|'end', side?}]
 *  (`remove`: removals from the hearing, if there are any; `end`: the hearing's end, if it
 *  ended within the picture). */
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
  if (marks.some((m) => m.kind !== 'handover' && m.kind !== 'remove')) items.push({ kind: 'marks' });
  if (marks.some((m) => m.kind === 'handover')) items.push({ kind: 'handover' });
  if (marks.some((m) => m.kind === 'remove')) items.push({ kind: 'remove' });
  if (model.lanes.some((l) => l.stays?.some((s) => s.gaps.length))) items.push({ kind: 'gaps' });
  if (model.ended !== null && model.ended !== undefined && model.lanes.length) items.push({ kind: 'end' });
  return items;
}

/** Stays as table rows: {participant, room, start, end, reconnects, away, gaps}, by person
 *  then time. */
export function timelineRows(model) {
  return model.lanes.flatMap((l) => l.stays.map((s) => ({ participant: l.participant, ...s })));
}

/** The table alternative's rows, as the picture draws them: each person's stays
 *  (`timelineRows`, kind 'stay') and their removal from the hearing (kind 'remove': {participant,
 *  time}), in time order (a removal after the stay it ended), then the hearing's end (kind
 *  'end': {time}), if it ended within the picture, last. */
export function timelineTableRows(model) {
  const rows = model.lanes.flatMap((l) => [
    ...l.stays.map((s) => ({ kind: 'stay', participant: l.participant, ...s })),
    ...l.marks.filter((m) => m.kind === 'remove').map((m) => ({ kind: 'remove', participant: l.participant, time: m.time })),
  ].sort((a, b) => (a.start ?? a.time) - (b.start ?? b.time) || Number(a.kind === 'remove') - Number(b.kind === 'remove')));
  const ended = model.ended !== null && model.ended !== undefined && model.lanes.length;
  return ended ? [...rows, { kind: 'end', participant: null, time: model.ended }] : rows;
}
