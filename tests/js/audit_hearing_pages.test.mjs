// The auditor's hearing pages, their pure rules:
// - an entry's time in the hearing's zone is read in the zone in force when it was written, not
//   the one the hearing was created in, and a column of them says which zones from when
//   (audit/hearing-life.js zoneSteps, zoneAt; times.js hearingTimeHeading);
// - the timeline knows when the hearing ended (audit/timeline.js `ended`);
// - what became of each person: removed by the mediator, left, never joined, invitation
//   withdrawn, turned away, joined (audit/outcomes.js);
// - an account with no display name reads as an account, its role once (labels.js);
// - a sentence naming the hearing names it by the title in force when its entry was written
//   (hearing-life.js titleSteps, titleAt; describe.js `titles`);
// - the timeline's table lists removals and the hearing's end among the stays, in time order
//   (timeline.js timelineTableRows).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useCatalogueFiles } from './catalogues.mjs';

useCatalogueFiles();
const { initI18n } = await import('../../gateway/webclient/js/core/i18n.js');
const { detailsHistory, titleAt, titleSteps, zoneAt, zoneSteps } = await import('../../gateway/webclient/js/audit/hearing-life.js');
const { describeEntry } = await import('../../gateway/webclient/js/audit/describe.js');
const { hearingTimeHeading } = await import('../../gateway/webclient/js/audit/times.js');
const { lanes, timelineTableRows } = await import('../../gateway/webclient/js/audit/timeline.js');
const { mediatorOutcome, personOutcomes } = await import('../../gateway/webclient/js/audit/outcomes.js');
const { accountLabel, directory, personLabel } = await import('../../gateway/webclient/js/audit/labels.js');

const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);
const MIN = 60_000;
const MED = { id: 'acctMed', role: 'mediator' };
const hearing = (ms, action, details = {}, outcome = 'allowed') => ({ time: T0 + ms, actor: MED, action, outcome,
  hearing: 'h1', resource: { type: 'hearing', id: 'h1' }, details });
const person = (ms, action, id, details = {}, outcome = 'allowed') => ({ time: T0 + ms, actor: MED, action, outcome,
  hearing: 'h1', resource: { type: 'participant', id }, details });
const redeem = (ms, id) => ({ time: T0 + ms, actor: { id: 'anonymous', kind: 'anonymous' }, action: 'participant.redeem', outcome: 'allowed',
  hearing: 'h1', resource: { type: 'invitation', id: `inv${id}` }, details: { participant: id } });

// Created in Hong Kong time, retitled, moved to London time, the start moved in London, a refused
// change to Tokyo (nothing changed).
const DETAILS = [
  hearing(0, 'hearing.create', { title: 'Chan v. Wong', scheduled_at: T0 + 86_400_000, time_zone: 'Asia/Hong_Kong' }),
  hearing(1 * MIN, 'hearing.details_change', { title: 'Chan v. Wong (day 1)', previous_title: 'Chan v. Wong' }),
  hearing(2 * MIN, 'hearing.details_change', { scheduled_at: T0 + 86_400_000, time_zone: 'Europe/London',
    previous_scheduled_at: T0 + 86_400_000, previous_time_zone: 'Asia/Hong_Kong' }),
  hearing(3 * MIN, 'hearing.details_change', { scheduled_at: T0 + 90_000_000, time_zone: 'Europe/London',
    previous_scheduled_at: T0 + 86_400_000, previous_time_zone: 'Europe/London' }),
  hearing(4 * MIN, 'hearing.details_change', { scheduled_at: T0 + 90_000_000, time_zone: 'Asia/Tokyo' }, 'denied'),
];

test("an entry's time in the hearing's zone is read in the zone in force then, not the one it was created in", () => {
  const steps = zoneSteps(detailsHistory(DETAILS));
  assert.deepEqual(steps, [{ since: T0, zone: 'Asia/Hong_Kong' }, { since: T0 + 2 * MIN, zone: 'Europe/London' }]);
  assert.equal(zoneAt(steps, T0 + MIN), 'Asia/Hong_Kong'); // the retitling: still Hong Kong
  assert.equal(zoneAt(steps, T0 + 2 * MIN), 'Europe/London'); // the change itself: the new zone
  assert.equal(zoneAt(steps, T0 + 3_600_000), 'Europe/London'); // the hearing, run after it
  assert.equal(zoneAt(steps, T0 - MIN), 'Asia/Hong_Kong'); // before its creation: the first
  assert.equal(zoneAt([], T0), null);
  // A start unset (no zone recorded) keeps the zone in force.
  const unset = zoneSteps(detailsHistory([DETAILS[0], hearing(MIN, 'hearing.details_change', { scheduled_at: null, previous_scheduled_at: T0 })]));
  assert.deepEqual(unset, [{ since: T0, zone: 'Asia/Hong_Kong' }]);
});

test("the column of the hearing's time says which zone from when, once it changed", async () => {
  await initI18n('en');
  const steps = zoneSteps(detailsHistory(DETAILS));
  assert.equal(hearingTimeHeading(steps.slice(0, 1), 'UTC'), "Hearing's time (Hong Kong Standard Time)");
  assert.equal(hearingTimeHeading(steps, 'UTC'),
    "Hearing's time (Hong Kong Standard Time, then United Kingdom Time from 27 Nov 2026, 09:02 (UTC))");
  for (const lang of ['zh-Hant', 'zh-Hans']) {
    await initI18n(lang);
    const text = hearingTimeHeading(steps, 'UTC');
    assert.match(text, lang === 'zh-Hant' ? /^調解會議時間（.+，.+起為.+）$/ : /^调解会议时间（.+，.+起为.+）$/, text);
  }
  await initI18n('en');
});

test('a sentence naming the hearing names it by the title in force when its entry was written', async () => {
  await initI18n('en');
  const steps = titleSteps(detailsHistory([...DETAILS,
    hearing(5 * MIN, 'hearing.details_change', { title: 'Chan v. Wong Ltd', previous_title: 'Chan v. Wong (day 1)' })]));
  assert.deepEqual(steps.map((s) => [s.since - T0, s.title]),
    [[0, 'Chan v. Wong'], [MIN, 'Chan v. Wong (day 1)'], [5 * MIN, 'Chan v. Wong Ltd']]); // the moves give none
  assert.equal(titleAt(steps, T0 + MIN - 1), 'Chan v. Wong');
  assert.equal(titleAt(steps, T0 + MIN), 'Chan v. Wong (day 1)'); // the rename itself: the new title
  assert.equal(titleAt(steps, T0 + 4 * MIN), 'Chan v. Wong (day 1)');
  assert.equal(titleAt(steps, T0 - MIN), 'Chan v. Wong'); // before its creation: the first
  assert.equal(titleAt([], T0), null);
  // The directory names it by its title now; the move, the opening, a listing say the one then.
  const dir = directory([{ kind: 'hearing', id: 'h1', name: 'Chan v. Wong Ltd', hearing: 'h1' }]);
  const titles = new Map([['h1', steps]]);
  const said = (e) => describeEntry(e, dir, 'UTC', { withTime: false, titles });
  assert.match(said(DETAILS[3]), /moved the hearing Chan v\. Wong \(day 1\) from /);
  assert.match(said(hearing(-MIN + 30_000, 'document.list', { count: 0 })), /listed the documents of Chan v\. Wong \(/);
  assert.match(said(hearing(6 * MIN, 'hearing.open')), /opened the hearing Chan v\. Wong Ltd$/);
  // Without the titles (or of another hearing), as the directory names it now.
  assert.match(describeEntry(DETAILS[3], dir, 'UTC', { withTime: false }), /moved the hearing Chan v\. Wong Ltd from /);
  assert.match(describeEntry(DETAILS[3], dir, 'UTC', { withTime: false, titles: new Map([['h2', steps]]) }), /the hearing Chan v\. Wong Ltd from /);
});

test('the timeline knows when the hearing ended (its first end), and not before it did', () => {
  const events = [redeem(0, 'ana'), person(MIN, 'participant.admit', 'ana', { from: 'lobby', to: 'plenary' }),
    person(2 * MIN, 'participant.disconnect', 'ana', { room: 'plenary' }), hearing(5 * MIN, 'hearing.close')];
  const ended = lanes(events);
  assert.equal(ended.ended, T0 + 5 * MIN);
  assert.equal(ended.end, T0 + 5 * MIN); // the picture reaches it, though nobody was there
  assert.equal(lanes(events.slice(0, 3)).ended, null);
  assert.equal(lanes([...events.slice(0, 3), { ...events[3], outcome: 'denied' }]).ended, null);
});

test("the timeline's table lists removals and the end among the stays, in time order", () => {
  const events = [redeem(0, 'ana'), person(MIN, 'participant.admit', 'ana', { from: 'lobby', to: 'plenary' }),
    redeem(2 * MIN, 'bo'), person(3 * MIN, 'participant.remove', 'bo', { from: 'lobby' }),
    person(4 * MIN, 'participant.remove', 'cy', {}), // never arrived: no lane, no row
    hearing(5 * MIN, 'hearing.close')];
  const rows = timelineTableRows(lanes(events)).map((r) => [r.kind, r.participant, (r.start ?? r.time) - T0]);
  assert.deepEqual(rows, [['stay', 'ana', 0], ['stay', 'ana', MIN], ['stay', 'bo', 2 * MIN], ['remove', 'bo', 3 * MIN],
    ['end', null, 5 * MIN]]);
  assert.deepEqual(timelineTableRows(lanes(events.slice(0, 4))).map((r) => r.kind), ['stay', 'stay', 'stay', 'remove']); // not ended
});

test('what became of each person: removed, withdrawn, turned away, left, joined, never joined', () => {
  const events = [
    ...['ana', 'bo', 'cy', 'dee', 'eve', 'fay', 'gus'].map((id, n) => person(n, 'participant.invite', id, { name: id })),
    redeem(10 * MIN, 'ana'), person(11 * MIN, 'participant.admit', 'ana'), person(20 * MIN, 'participant.remove', 'ana', { from: 'plenary' }),
    person(12 * MIN, 'participant.remove', 'bo'), // never joined: the invitation withdrawn
    redeem(13 * MIN, 'cy'), person(14 * MIN, 'participant.deny', 'cy'),
    redeem(15 * MIN, 'dee'), person(16 * MIN, 'participant.connect', 'dee', { room: 'lobby' }), person(30 * MIN, 'participant.leave', 'dee'),
    redeem(15 * MIN, 'eve'), person(31 * MIN, 'participant.leave', 'eve'), person(32 * MIN, 'participant.connect', 'eve', { room: 'lobby' }),
    person(17 * MIN, 'participant.remove', 'fay', {}, 'denied'), // refused: nothing happened
    person(1, 'participant.connect', 'acctMed', { room: 'plenary' }),
  ];
  const outcomes = personOutcomes(events);
  const kinds = Object.fromEntries([...outcomes].map(([id, o]) => [id, [o.kind, o.time === null ? null : o.time - T0]]));
  assert.deepEqual(kinds, {
    ana: ['removed', 20 * MIN], bo: ['withdrawn', 12 * MIN], cy: ['denied', 14 * MIN], dee: ['left', 30 * MIN],
    eve: ['joined', 15 * MIN], fay: ['never_joined', null], gus: ['never_joined', null], acctMed: ['never_joined', null],
  });
  assert.deepEqual(outcomes.get('ana').by, MED);
});

test("the mediator's outcome: joined, ended the hearing, or handed to another mediator (never a dash)", () => {
  const ADMIN = { id: 'acctAdm', role: 'admin' };
  const connect = (ms, id) => person(ms, 'participant.connect', id, { room: 'plenary' });
  const handover = (ms, from, to) => ({ ...hearing(ms, 'hearing.mediator_handover', { from, to, mediator: to }), actor: ADMIN });
  const closed = (ms, by) => ({ ...hearing(ms, 'hearing.close'), actor: by });
  const kind = (events, id) => { const o = mediatorOutcome(events, id); return [o.kind, o.time === null ? null : o.time - T0]; };
  const LEE = { id: 'acctLee', role: 'mediator' };
  assert.deepEqual(kind([connect(2 * MIN, 'acctMed'), connect(9 * MIN, 'acctMed')], 'acctMed'), ['joined', 2 * MIN]);
  assert.deepEqual(kind([connect(2 * MIN, 'acctMed'), closed(30 * MIN, MED)], 'acctMed'), ['ended', 30 * MIN]);
  assert.deepEqual(kind([closed(30 * MIN, MED), { ...closed(31 * MIN, MED), outcome: 'denied' }], 'acctMed'), ['ended', 30 * MIN]);
  const handed = [connect(MIN, 'acctMed'), handover(5 * MIN, 'acctMed', 'acctLee'), connect(6 * MIN, 'acctLee'), closed(20 * MIN, LEE)];
  assert.deepEqual(kind(handed, 'acctMed'), ['handed_over', 5 * MIN]);
  assert.deepEqual(mediatorOutcome(handed, 'acctMed').by, ADMIN);
  assert.deepEqual(kind(handed, 'acctLee'), ['ended', 20 * MIN]);
  // handed back: theirs again, and they joined
  assert.deepEqual(kind([...handed.slice(0, 2), handover(8 * MIN, 'acctLee', 'acctMed')], 'acctMed'), ['joined', MIN]);
  assert.deepEqual(kind([hearing(0, 'hearing.create')], 'acctMed'), ['never_joined', null]);
});

test('an account with no display name reads as an account, its role once; a named one as before', async () => {
  await initI18n('en');
  const dir = directory([
    { kind: 'person', id: 'acctMed', name: 'mediator', role: 'mediator', username: 'mediator', hearing: '' },
    { kind: 'person', id: 'acctLee', name: 'Ms Anna Lee', role: 'mediator', username: 'alee', hearing: '' },
    { kind: 'person', id: 'pAna', name: 'Ana Chen', role: 'counsel', hearing: 'h1' },
  ]);
  assert.equal(personLabel(dir, MED), 'mediator · Mediator account');
  assert.equal(accountLabel('admin', 'admin'), 'admin · Administrator account');
  assert.deepEqual(accountLabel('mediator', 'mediator', { parts: true }), ['mediator', 'Mediator account']);
  assert.equal(personLabel(dir, { id: 'acctLee', role: 'mediator' }), 'Ms Anna Lee (mediator)');
  assert.equal(personLabel(dir, { id: 'pAna', role: 'counsel' }), 'Ana Chen (counsel)');
  await initI18n('zh-Hant');
  assert.equal(personLabel(dir, MED), 'mediator · 調解員帳戶');
  await initI18n('en');
});
