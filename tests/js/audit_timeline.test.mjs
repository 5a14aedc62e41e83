// The timeline's pure fold: audit events → one lane per participant with room segments.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { lanes, timelineRows } from '../../gateway/webclient/js/audit/timeline.js';

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
