// The timeline's pure fold: audit events → one lane per participant with room segments.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { TIMELINE_ACTIONS, TIMELINE_SOURCES, ellipsize, lanes, timelineRows } from '../../gateway/webclient/js/audit/timeline.js';

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
  assert.equal(timelineRows(model).length, 4);
  assert.deepEqual([model.start, model.end], [0, 40]);
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
