// The timeline's pure fold: audit events → one lane per participant with room segments.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { lanes, legendItems, TIMELINE_ACTIONS, TIMELINE_SOURCES, timelineRows } from '../../gateway/webclient/js/audit/timeline.js';
import { ellipsize, labelLines } from '../../gateway/webclient/js/audit/timeline-svg.js';
import { TICK_STEPS, axisTicks, tickLabels, zoneOffset } from '../../gateway/webclient/js/audit/axis.js';
import { sideHistory } from '../../gateway/webclient/js/audit/sides.js';
import { handovers, mediatorNotes } from '../../gateway/webclient/js/audit/handovers.js';

const ev = (time, action, resource, details = {}, outcome = 'allowed') => ({
  time, action, outcome, details, resource: { type: resource ? 'participant' : 'invitation', id: resource ?? 'inv1' },
});

test('redeem, admit, moves, disconnect and close fold into segments', () => {
  const model = lanes([
    ev(0, 'participant.redeem', null, { participant: 'ana' }),
    ev(10, 'participant.admit', 'ana', { from: 'lobby', to: 'plenary' }),
    ev(20, 'room.move', 'ana', { from: 'plenary', to: 'c1' }),
    ev(25, 'room.move', 'bo', { from: 'plenary', to: 'c1' }, 'denied'),
    ev(30, 'participant.disconnect', 'ana', { room: 'c1' }),
    ev(35, 'participant.connect', 'ana', { room: 'c1' }),
    ev(40, 'hearing.close', null),
  ]);
  assert.equal(model.lanes.length, 1);
  const [ana] = model.lanes;
  assert.deepEqual(ana.segments.map((s) => [s.room, s.start, s.end]),
    [['lobby', 0, 10], ['plenary', 10, 20], ['c1', 20, 30], ['c1', 35, 40]]);
  assert.deepEqual(ana.marks.map((m) => [m.kind, m.time, m.to]), [['admit', 10, 'plenary'], ['move', 20, 'c1']]);
  // Drawn and tabled as stays (audit/stays.js): the reconnection in c1 is a gap inside one.
  assert.deepEqual(timelineRows(model).map((r) => [r.room, r.start, r.end, r.reconnects, r.gaps]),
    [['lobby', 0, 10, 0, []], ['plenary', 10, 20, 0, []], ['c1', 20, 40, 1, [{ start: 30, end: 35 }]]]);
  assert.deepEqual([model.start, model.end], [0, 40]);
});

test("the timeline's stays are the person report's: one rule, reconnections inside a stay", async () => {
  const { stays, RECONNECT_GAP_MS } = await import('../../gateway/webclient/js/audit/stays.js');
  const s = 1000;
  const model = lanes([
    ev(0, 'participant.redeem', null, { participant: 'ana' }),
    ev(10 * s, 'participant.admit', 'ana', { from: 'lobby', to: 'plenary' }),
    // a reload, and a network drop: each back within the minute, in the same room
    ev(100 * s, 'participant.disconnect', 'ana', { room: 'plenary' }),
    ev(104 * s, 'participant.connect', 'ana', { room: 'plenary' }),
    ev(200 * s, 'participant.disconnect', 'ana', { room: 'plenary' }),
    ev(230 * s, 'participant.connect', 'ana', { room: 'plenary' }),
    // away longer than that: a stay of its own
    ev(300 * s, 'participant.disconnect', 'ana', { room: 'plenary' }),
    ev(300 * s + RECONNECT_GAP_MS, 'participant.connect', 'ana', { room: 'plenary' }),
    ev(500 * s, 'hearing.close', null),
  ]);
  const [ana] = model.lanes;
  assert.equal(ana.segments.length, 5); // what the fold saw: connected time only
  assert.deepEqual(ana.stays, stays(ana.segments));
  assert.deepEqual(ana.stays.map((x) => [x.room, x.start / s, x.end / s, x.reconnects, x.away / s]),
    [['lobby', 0, 10, 0, 0], ['plenary', 10, 300, 2, 34], ['plenary', 360, 500, 0, 0]]);
  assert.deepEqual(ana.stays[1].gaps.map((g) => [g.start / s, g.end / s]), [[100, 104], [200, 230]]);
  assert.equal(timelineRows(model).length, 3);
  // The legend explains the gaps only when one is drawn.
  assert.ok(legendItems(model, () => null).some((it) => it.kind === 'gaps'));
  const steady = lanes([ev(0, 'participant.redeem', null, { participant: 'ana' }), ev(9, 'hearing.close', null)]);
  assert.ok(!legendItems(steady, () => null).some((it) => it.kind === 'gaps'));
});

test('leaving ends the room segment at once; coming back opens one in the lobby', () => {
  const model = lanes([
    ev(0, 'participant.redeem', null, { participant: 'ana' }),
    ev(10, 'participant.admit', 'ana', { from: 'lobby', to: 'plenary' }),
    ev(20, 'participant.leave', 'ana', { from: 'plenary', to: 'lobby' }),
    ev(21, 'participant.disconnect', 'ana', { room: 'lobby' }),
    ev(50, 'participant.connect', 'ana', { room: 'lobby' }),
    ev(60, 'participant.admit', 'ana', { from: 'lobby', to: 'plenary' }),
    ev(70, 'hearing.close', null),
  ]);
  const [ana] = model.lanes;
  assert.deepEqual(ana.segments.map((s) => [s.room, s.start, s.end]),
    [['lobby', 0, 10], ['plenary', 10, 20], ['lobby', 50, 60], ['plenary', 60, 70]]);
});

// ---------------------------------------------------------------- every move the core writes
// (services/signalling/core_controls.py, core_actions.py, core.py: which audit event, which details)

const hearing = (time, action, details = {}, resource = { type: 'hearing', id: 'h1' }) => ({ time, action, outcome: 'allowed', details, resource });
const room = (time, action, id) => ({ time, action, outcome: 'allowed', details: {}, resource: { type: 'room', id } });
const segments = (model, id) => model.lanes.find((l) => l.participant === id)?.segments.map((s) => [s.room, s.start, s.end]);

// A mediator (an account: seated in plenary when the hearing is created) and two admitted people.
const opening = [
  hearing(0, 'hearing.create', { mediator: 'med', mediator_name: 'Ms Anna Lee', title: 'Lam v. Chen' }),
  ev(1, 'participant.connect', 'med', { room: 'plenary' }),
  ev(2, 'participant.redeem', null, { participant: 'ana' }),
  ev(2, 'participant.redeem', null, { participant: 'bo' }),
  ev(3, 'participant.admit', 'ana', { from: 'lobby', to: 'plenary' }),
  ev(3, 'participant.admit', 'bo', { from: 'lobby', to: 'plenary' }),
];

test('the mediator moving into a room (room.shuttle) moves its own lane; its lane comes first, named', () => {
  const model = lanes([...opening,
    ev(10, 'room.shuttle', 'med', { from: 'plenary', to: 'c1' }),
    ev(20, 'room.shuttle', 'med', { from: 'c1', to: 'plenary' }),
    hearing(30, 'hearing.close')]);
  assert.equal(model.lanes[0].participant, 'med');
  assert.equal(model.mediator, 'med');
  assert.equal(model.names.med, 'Ms Anna Lee');
  assert.deepEqual(segments(model, 'med'), [['plenary', 1, 10], ['c1', 10, 20], ['plenary', 20, 30]]);
  assert.deepEqual(model.lanes[0].marks.map((m) => [m.kind, m.time, m.from, m.to]),
    [['shuttle', 10, 'plenary', 'c1'], ['shuttle', 20, 'c1', 'plenary']]);
});

test('a recall brings everyone in a caucus, the mediator too, back to plenary; the lobby stays', () => {
  const model = lanes([...opening,
    ev(4, 'participant.redeem', null, { participant: 'cy' }),
    ev(10, 'room.move', 'ana', { from: 'plenary', to: 'c1' }),
    ev(11, 'room.move', 'bo', { from: 'plenary', to: 'c2' }),
    ev(12, 'room.shuttle', 'med', { from: 'plenary', to: 'c1' }),
    hearing(20, 'room.recall'),
    hearing(30, 'hearing.close')]);
  assert.deepEqual(segments(model, 'ana'), [['lobby', 2, 3], ['plenary', 3, 10], ['c1', 10, 20], ['plenary', 20, 30]]);
  assert.deepEqual(segments(model, 'bo'), [['lobby', 2, 3], ['plenary', 3, 11], ['c2', 11, 20], ['plenary', 20, 30]]);
  assert.deepEqual(segments(model, 'med'), [['plenary', 1, 12], ['c1', 12, 20], ['plenary', 20, 30]]);
  assert.deepEqual(segments(model, 'cy'), [['lobby', 4, 30]]);
  assert.deepEqual(model.lanes.find((l) => l.participant === 'ana').marks.at(-1), { kind: 'recall', time: 20, from: 'c1', to: 'plenary' });
});

test('moving a whole side moves each member, one room.move each; a member offline shows no time there', () => {
  const model = lanes([...opening,
    ev(4, 'participant.redeem', null, { participant: 'cy' }),
    ev(5, 'participant.admit', 'cy', { from: 'lobby', to: 'plenary' }),
    ev(6, 'participant.disconnect', 'bo', { room: 'plenary' }),
    hearing(10, 'room.move_side', { to: 'c1', moved: 2 }, { type: 'side', id: 's1' }),
    ev(10, 'room.move', 'ana', { from: 'plenary', to: 'c1', side: 's1' }),
    ev(10, 'room.move', 'bo', { from: 'plenary', to: 'c1', side: 's1' }),
    ev(15, 'participant.connect', 'bo', { room: 'c1' }),
    hearing(30, 'hearing.close')]);
  assert.deepEqual(segments(model, 'ana'), [['lobby', 2, 3], ['plenary', 3, 10], ['c1', 10, 30]]);
  assert.deepEqual(segments(model, 'bo'), [['lobby', 2, 3], ['plenary', 3, 6], ['c1', 15, 30]]);
  assert.deepEqual(segments(model, 'cy'), [['lobby', 4, 5], ['plenary', 5, 30]]);
});

test('closing a caucus sends whoever is in it to plenary, and only them', () => {
  const model = lanes([...opening,
    ev(10, 'room.move', 'ana', { from: 'plenary', to: 'c1' }),
    ev(11, 'room.move', 'bo', { from: 'plenary', to: 'c2' }),
    ev(12, 'room.shuttle', 'med', { from: 'plenary', to: 'c1' }),
    room(20, 'room.caucus_close', 'c1'),
    hearing(30, 'hearing.close')]);
  assert.deepEqual(segments(model, 'ana'), [['lobby', 2, 3], ['plenary', 3, 10], ['c1', 10, 20], ['plenary', 20, 30]]);
  assert.deepEqual(segments(model, 'med'), [['plenary', 1, 12], ['c1', 12, 20], ['plenary', 20, 30]]);
  assert.deepEqual(segments(model, 'bo'), [['lobby', 2, 3], ['plenary', 3, 11], ['c2', 11, 30]]);
});

test('grace expiry, denial and removal: offline people go to the lobby, the others out', () => {
  const model = lanes([...opening,
    ev(4, 'participant.redeem', null, { participant: 'cy' }),
    ev(8, 'participant.deny', 'cy'),
    ev(10, 'participant.disconnect', 'ana', { room: 'plenary' }),
    ev(15, 'room.grace_expired', 'ana', { from: 'plenary', to: 'lobby' }),
    ev(18, 'participant.connect', 'ana', { room: 'lobby' }),
    ev(20, 'participant.remove', 'bo'),
    hearing(30, 'hearing.close')]);
  assert.deepEqual(segments(model, 'cy'), [['lobby', 4, 8]]);
  assert.deepEqual(segments(model, 'ana'), [['lobby', 2, 3], ['plenary', 3, 10], ['lobby', 18, 30]]);
  assert.deepEqual(segments(model, 'bo'), [['lobby', 2, 3], ['plenary', 3, 20]]);
});

test('the picture spans the hearing, not the days between its creation and its start', () => {
  const model = lanes([hearing(-86_400_000, 'hearing.create', { mediator: 'med' }), ...opening.slice(1), hearing(30, 'hearing.close')]);
  assert.deepEqual([model.start, model.end], [1, 30]);
  assert.equal(model.names.med, undefined); // no name given: the page asks the account
});

test('the timeline fetches every action it folds', () => {
  for (const action of TIMELINE_ACTIONS) {
    assert.ok(TIMELINE_SOURCES.some((s) => (s.endsWith('.') ? action.startsWith(s) : action === s)), action);
  }
});

test('a long name is cut to its column with an ellipsis', () => {
  const measure = (text) => text.length * 10;
  assert.equal(ellipsize('Ana Chen', 100, measure), 'Ana Chen');
  const cut = ellipsize('01M8DPCJQGPQ72AJWAPMR3S2QW', 100, measure);
  assert.equal(cut, '01M8DPCJQ…');
  assert.ok(measure(cut) <= 100);
  assert.ok(ellipsize('陳大文律師事務所合夥人代表當事人', 80).endsWith('…'));
});

test("a name too long for its column takes two lines, the mediator's role on its own; nothing cut that fits", () => {
  const measure = (text) => text.length * 7.2; // the rough width of the names' type
  const width = 156; // the names' column
  assert.deepEqual(labelLines('陳大文 Chan Tai Man', width), ['陳大文 Chan Tai Man']);
  // The walkthrough's: "Mr David Lam (medi…" — now the name, then the role, whole.
  assert.deepEqual(labelLines('Mr David Lam (mediator)', width, measure, ['Mr David Lam', '(mediator)']), ['Mr David Lam', '(mediator)']);
  assert.deepEqual(labelLines('Ms Mei Chan (mediator)', width, measure), ['Ms Mei Chan', '(mediator)']);
  // A longer name breaks at a space; only a second line that still does not fit is cut.
  const [first, second] = labelLines('Ms Anna Lee SC, Senior Counsel for the Claimant', width, measure);
  assert.equal(first, 'Ms Anna Lee SC,');
  assert.ok(second.startsWith('Senior Counsel') && second.endsWith('…') && measure(second) <= width, second);
  // A name with no space breaks where the line is full.
  const cjk = labelLines('陳大文律師事務所合夥人代表當事人及其家屬', 80);
  assert.equal(cjk.length, 2);
  assert.ok(cjk[0].length >= 6 && !cjk[0].endsWith('…') && cjk[1].endsWith('…'), cjk);
  // Parts too long are each cut to the column, never dropped.
  const parts = labelLines('Ms Anna Lee-Fitzgerald SC, Senior Mediator (mediator)', width, measure, ['Ms Anna Lee-Fitzgerald SC, Senior Mediator', '(mediator)']);
  assert.ok(parts[0].startsWith('Ms Anna Lee') && parts[0].endsWith('…') && parts[1] === '(mediator)', parts);
});

// ---------------------------------------------------------------- the axis

const MIN = 60_000;
const utcClock = (ms, seconds) => new Date(ms).toISOString().slice(11, seconds ? 19 : 16);
const utcFormat = { time: (ms) => utcClock(ms, false), seconds: (ms) => utcClock(ms, true), day: (ms) => new Date(ms).toISOString().slice(5, 10) };

test('the axis ticks fall on round times, a step chosen from the span, and never read the same', () => {
  const base = Date.UTC(2025, 10, 24, 8, 51, 17);
  // The tester's hearing: about two minutes drew "08:51, 08:51 … 08:53, 08:53".
  const short = axisTicks(base, base + 2 * MIN + 40_000, { maxTicks: 9 });
  assert.equal(short.step, 30_000);
  assert.deepEqual(tickLabels(short.ticks, short.step, utcFormat), ['08:51:30', '08:52:00', '08:52:30', '08:53:00', '08:53:30']);
  const hour = axisTicks(Date.UTC(2025, 10, 24, 16, 10), Date.UTC(2025, 10, 24, 17, 37), { maxTicks: 7 });
  assert.equal(hour.step, 15 * MIN);
  assert.deepEqual(tickLabels(hour.ticks, hour.step, utcFormat), ['16:15', '16:30', '16:45', '17:00', '17:15', '17:30']);
  // Every span from a second to weeks, any number of ticks room allows: round, in the span,
  // at most as many as asked, and distinct labels (a day beside the time over several days).
  for (const span of [1000, 7_000, 59_000, 61_000, 5 * MIN, 47 * MIN, 3 * 3_600_000, 20 * 3_600_000, 30 * 3_600_000, 9 * 86_400_000]) {
    for (const maxTicks of [2, 5, 7, 12]) {
      const start = base + 123;
      const { step, ticks } = axisTicks(start, start + span, { maxTicks });
      assert.ok(TICK_STEPS.includes(step));
      assert.ok(ticks.length <= maxTicks && ticks.length >= 1, `${span} ${maxTicks}: ${ticks.length}`);
      assert.ok(ticks.every((ms) => ms >= start && ms <= start + span && ms % Math.min(step, 86_400_000) === 0), `${span} ${maxTicks}`);
      const labels = tickLabels(ticks, step, utcFormat, { start, end: start + span });
      assert.equal(new Set(labels).size, labels.length, `${span} ${maxTicks}: ${labels}`);
    }
  }
});

test("an hour's tick falls on the hearing's hour in its own zone", () => {
  const offset = zoneOffset('Asia/Kolkata'); // +05:30
  assert.equal(offset(Date.UTC(2025, 10, 24)), 5.5 * 3_600_000);
  const { step, ticks } = axisTicks(Date.UTC(2025, 10, 24, 3, 0), Date.UTC(2025, 10, 24, 9, 0), { maxTicks: 4, offset });
  assert.equal(step, 2 * 3_600_000);
  assert.deepEqual(ticks.map((ms) => new Date(ms + offset(ms)).toISOString().slice(11, 16)), ['10:00', '12:00', '14:00']);
  assert.equal(zoneOffset('Asia/Hong_Kong')(Date.UTC(2025, 10, 24)), 8 * 3_600_000);
});

// ---------------------------------------------------------------- sides and the legend

const sideEvent = (time, action, id, details, outcome = 'allowed') => ({ time, action, outcome, details, resource: { type: 'side', id } });
// As services/signalling/sides.py records them: the tester's hearing, where the Respondent was
// rust, then purple, and a third side was added by mistake, renamed, and removed.
const sideEvents = [
  sideEvent(1, 'hearing.side_add', 'sClaim', { name: 'Claimant', colour: 'e' }),
  sideEvent(2, 'hearing.side_add', 'sResp', { name: 'Respondent', colour: 'b' }),
  sideEvent(3, 'hearing.side_add', 'sX', { name: 'Third party', colour: 'a' }),
  sideEvent(4, 'hearing.side_rename', 'sResp', { name: 'Respondent', colour: 'd', previous_name: 'Respondent', previous_colour: 'b' }),
  sideEvent(5, 'hearing.side_rename', 'sClaim', { name: 'Claimant', colour: 'c', previous_name: 'Claimant', previous_colour: 'e' }, 'denied'),
  sideEvent(6, 'hearing.side_rename', 'sX', { name: 'Insurer', colour: 'a', previous_name: 'Third party', previous_colour: 'a' }),
  sideEvent(7, 'hearing.side_remove', 'sX', { name: 'Insurer', colour: 'a' }),
];

test("a side's colour and names are the log's, step by step; a refused change changes nothing", () => {
  const sides = sideHistory(sideEvents);
  assert.deepEqual([...sides.keys()], ['sClaim', 'sResp', 'sX']);
  assert.deepEqual([...sides.values()].map((s) => [s.name, s.colour, s.removed]),
    [['Claimant', 'e', null], ['Respondent', 'd', null], ['Insurer', 'a', 7]]);
  assert.deepEqual(sides.get('sResp').steps.map((s) => s.colour), ['b', 'd']);
  assert.deepEqual(sides.get('sX').steps.map((s) => [s.time, s.action, s.name]),
    [[3, 'hearing.side_add', 'Third party'], [6, 'hearing.side_rename', 'Insurer'], [7, 'hearing.side_remove', 'Insurer']]);
  // A log that starts after the side was added knows it from its first rename's "previous".
  const later = sideHistory([sideEvents[3]]);
  assert.deepEqual(later.get('sResp').steps.map((s) => s.colour), ['d']);
  assert.equal(later.get('sResp').colour, 'd');
});

test('the legend names only what the picture draws', () => {
  const rooms = { cClaim: 'sClaim', cResp: 'sResp', cFree: null };
  const sideOf = (room) => rooms[room] ?? null;
  const model = lanes([...opening,
    ev(10, 'room.move', 'ana', { from: 'plenary', to: 'cResp' }),
    ev(12, 'room.move', 'ana', { from: 'cResp', to: 'plenary' }),
    hearing(30, 'hearing.close')]);
  const order = [...sideHistory(sideEvents).keys()];
  // Nobody was in the lobby at the end? They were (from redeeming to admission): lobby drawn.
  // The hearing's end is a rule across every lane, explained last.
  assert.deepEqual(legendItems(model, sideOf, order), [{ kind: 'lobby' }, { kind: 'plenary' }, { kind: 'side', side: 'sResp' }, { kind: 'marks' },
    { kind: 'end' }]);
  const withFree = lanes([...opening, ev(10, 'room.move', 'bo', { from: 'plenary', to: 'cFree' }), ev(11, 'room.move', 'ana', { from: 'plenary', to: 'cClaim' }),
    hearing(30, 'hearing.close')]);
  assert.deepEqual(legendItems(withFree, sideOf, order).map((i) => i.side ?? i.kind), ['lobby', 'plenary', 'sClaim', 'caucus', 'marks', 'end']);
  // No marks, no lobby: only plenary (and the end); a hearing not ended has no end drawn.
  const still = lanes([hearing(0, 'hearing.create', { mediator: 'med' }), ev(1, 'participant.connect', 'med', { room: 'plenary' }), hearing(9, 'hearing.close')]);
  assert.deepEqual(legendItems(still, sideOf, order), [{ kind: 'plenary' }, { kind: 'end' }]);
  const running = lanes([hearing(0, 'hearing.create', { mediator: 'med' }), ev(1, 'participant.connect', 'med', { room: 'plenary' })], { end: 9 });
  assert.equal(running.ended, null);
  assert.deepEqual(legendItems(running, sideOf, order), [{ kind: 'plenary' }]);
});

// ---------------------------------------------------------------- a hand-over to another mediator
// (services/signalling/handover.py: the old mediator's sockets close unaudited; the new one holds
// its room, present once it connects)

test("a hand-over ends the old mediator's lane and begins the new one's, both named and marked", () => {
  const handover = { ...hearing(20, 'hearing.mediator_handover', { from: 'med', from_name: 'Ms Anna Lee', to: 'ben',
    mediator: 'ben', mediator_name: 'Mr Ben Wong' }), actor: { id: 'adm', role: 'admin' } };
  const model = lanes([...opening,
    ev(10, 'room.shuttle', 'med', { from: 'plenary', to: 'c1' }),
    handover,
    ev(25, 'participant.connect', 'ben', { room: 'c1' }),
    hearing(30, 'room.recall'),
    hearing(40, 'hearing.close')]);
  assert.deepEqual(model.lanes.slice(0, 2).map((l) => l.participant), ['med', 'ben']);
  assert.deepEqual(model.mediators, ['med', 'ben']);
  assert.equal(model.mediator, 'ben');
  assert.deepEqual([model.names.med, model.names.ben], ['Ms Anna Lee', 'Mr Ben Wong']);
  // The old mediator is gone at the hand-over (a recall no longer moves it); the new one takes
  // its room, drawn from when it connects, and moves with it.
  assert.deepEqual(segments(model, 'med'), [['plenary', 1, 10], ['c1', 10, 20]]);
  assert.deepEqual(segments(model, 'ben'), [['c1', 25, 30], ['plenary', 30, 40]]);
  const handoverMarks = (id) => model.lanes.find((l) => l.participant === id).marks.filter((m) => m.kind === 'handover');
  assert.deepEqual(handoverMarks('med'), [{ kind: 'handover', time: 20, from: 'c1', to: null }]);
  assert.deepEqual(handoverMarks('ben'), [{ kind: 'handover', time: 20, from: null, to: 'c1' }]);
  assert.deepEqual(legendItems(model, () => null, []).map((i) => i.kind), ['lobby', 'plenary', 'caucus', 'marks', 'handover', 'end']);
  // A refused hand-over changes nothing.
  const refused = lanes([...opening, { ...handover, outcome: 'denied' }, hearing(40, 'hearing.close')]);
  assert.deepEqual(refused.mediators, ['med']);
  assert.deepEqual(segments(refused, 'med'), [['plenary', 1, 40]]);
});

test("the People table's notes: who took a hearing on, who gave it up, when, and by whom", () => {
  const admin = { id: 'adm', role: 'admin' };
  const list = handovers([
    hearing(5, 'hearing.create', { mediator: 'med' }),
    { ...hearing(20, 'hearing.mediator_handover', { from: 'med', from_name: '', to: 'ben', mediator: 'ben', mediator_name: 'Mr Ben Wong' }), actor: admin },
    { ...hearing(25, 'hearing.mediator_handover', { from: 'ben', to: 'cy', mediator: 'cy' }), outcome: 'denied', actor: admin },
  ]);
  assert.deepEqual(list, [{ time: 20, from: 'med', fromName: null, to: 'ben', toName: 'Mr Ben Wong', by: admin }]);
  assert.deepEqual(mediatorNotes(list, 'med'), [{ kind: 'handed_over', time: 20, other: 'ben', otherName: 'Mr Ben Wong', by: admin }]);
  assert.deepEqual(mediatorNotes(list, 'ben'), [{ kind: 'took_over', time: 20, other: 'med', otherName: null, by: admin }]);
  assert.deepEqual(mediatorNotes(list, 'ana'), []);
});

test('a removal by the mediator is marked at that instant on the lane of the one removed, and explained in the legend', () => {
  const model = lanes([
    ev(0, 'participant.redeem', null, { participant: 'ana' }),
    ev(10, 'participant.admit', 'ana', { from: 'lobby', to: 'plenary' }),
    ev(15, 'participant.remove', 'cy'), // invited, never arrived: no lane to mark
    ev(20, 'participant.remove', 'ana', { reason: 'conduct' }),
    ev(25, 'participant.remove', 'ana', {}, 'denied'), // refused: nothing happened
    ev(40, 'hearing.close', null),
  ]);
  assert.deepEqual(model.lanes.map((l) => l.participant), ['ana']);
  const [ana] = model.lanes;
  assert.deepEqual(ana.segments.map((s) => [s.room, s.start, s.end]), [['lobby', 0, 10], ['plenary', 10, 20]]);
  assert.deepEqual(ana.marks.at(-1), { kind: 'remove', time: 20, from: 'plenary', to: null });
  assert.deepEqual(legendItems(model, () => null).map((i) => i.kind), ['lobby', 'plenary', 'marks', 'remove', 'end']);
  // A leave or a refusal at the door is no removal.
  const left = lanes([ev(0, 'participant.redeem', null, { participant: 'bo' }), ev(5, 'participant.deny', 'bo'), ev(9, 'hearing.close', null)]);
  assert.ok(!left.lanes[0].marks.some((m) => m.kind === 'remove'));
  assert.ok(!legendItems(left, () => null).some((i) => i.kind === 'remove'));
});
