// What a page of audit entries says of itself, and what some rows say of what happened:
// - a pair that a page's edge splits is drawn on the page of its first entry; the next page,
//   left with nothing, says why (or is not offered at all when nothing else is on it), never an
//   empty table without a sentence (results.js acrossEdge, nextLeft, pageHeader);
// - the header counts the rows shown as well as the entries they stand for, in every language;
// - a connection closed in no room says what closed it: "removed from the lobby", "not
//   admitted", and the lobby reads as a place (audit/departures.js, describe.js);
// - a hearing's title and start over time, each change by whom (audit/hearing-life.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useCatalogueFiles } from './catalogues.mjs';

useCatalogueFiles();
const { initI18n, t } = await import('../../gateway/webclient/js/core/i18n.js');
const { acrossEdge, foldRuns, nextLeft, pageHeader } = await import('../../gateway/webclient/js/audit/paging.js');
const { toCsv } = await import('../../gateway/webclient/js/audit/results.js');
const { departures } = await import('../../gateway/webclient/js/audit/departures.js');
const { describeEntry } = await import('../../gateway/webclient/js/audit/describe.js');
const { directory } = await import('../../gateway/webclient/js/audit/labels.js');
const { detailsHistory } = await import('../../gateway/webclient/js/audit/hearing-life.js');

const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);
const ADDRESS = 'addr:2026-11:4be1c0d29a7f3e5b8c61';
const anonymous = { id: 'anonymous', kind: 'anonymous' };
const MED = { id: 'acctMed', role: 'mediator' };
const dir = directory([{ kind: 'person', id: 'pEve', name: 'Eve Ng', role: 'party', hearing: 'h1' },
  { kind: 'person', id: 'pAna', name: 'Ana Chen', role: 'counsel', hearing: 'h1' }]);

const signalling = (index, ms) => ({ index, event: { time: T0 + ms, actor: anonymous, action: 'participant.redeem', outcome: 'denied',
  service: 'signalling', hearing: 'h1', resource: { type: 'invitation', id: 'invEve' }, details: { participant: 'pEve', reason: 'locked' } } });
const gateway = (index, ms) => ({ index, event: { time: T0 + ms, actor: anonymous, action: 'participant.redeem', outcome: 'denied',
  service: 'gateway', hearing: 'h1', resource: { type: 'invitation', id: 'invEve' },
  details: { reason: 'the hearing is locked: nobody new is admitted', address: ADDRESS, kind: 'redeem.conflict' } } });
const lock = (index, ms) => ({ index, event: { time: T0 + ms, actor: MED, action: 'hearing.lock', outcome: 'allowed', service: 'signalling',
  hearing: 'h1', resource: { type: 'hearing', id: 'h1' }, details: {} } });
const report = (index, ms) => ({ index, event: { time: T0 + ms, actor: { id: 'pAna', role: 'counsel' }, action: 'room.peer_state',
  outcome: 'allowed', service: 'signalling', hearing: 'h1', resource: { type: 'participant', id: 'pAna' },
  details: { peer: 'pEve', state: 'connected', room: 'plenary' } } });
const person = (index, ms, action, id, details = {}, actor = MED) => ({ index, event: { time: T0 + ms, actor, action, outcome: 'allowed',
  service: 'signalling', hearing: 'h1', resource: { type: 'participant', id }, details } });

test('a pair split by the last page edge is drawn on its first page; the next page is not offered when nothing else is on it', () => {
  // Oldest first, 3 a page: signalling's entry ends page one, the gateway's is all of page two.
  const pageOne = [lock(1, 0), lock(2, 1000), signalling(3, 2000)];
  const pageTwo = [gateway(4, 2040)];
  const borrowed = acrossEdge(pageOne, pageTwo);
  assert.deepEqual(borrowed.map((r) => r.index), [4]);
  assert.equal(nextLeft(pageTwo, borrowed, false), false); // page two would show nothing: no Next
  assert.equal(nextLeft(pageTwo, borrowed, true), true); // more follows it: offered
  assert.equal(nextLeft([...pageTwo, lock(5, 3000)], borrowed, false), true);
});

test("a page whose entries the page before showed says so, never an empty table without a sentence", async () => {
  for (const lang of ['en', 'zh-Hant', 'zh-Hans']) {
    await initI18n(lang);
    const [key, params] = pageHeader({ before: 3, entries: 0, rows: 0, skipped: 1, total: 4 });
    assert.equal(key, 'audit.results.shown_before');
    const text = t(key, params);
    assert.notEqual(text, key, lang);
    if (lang === 'en') assert.equal(text, 'The one entry on this page is shown with its pair on the previous page. Go back to see it, or on to the next page.');
    assert.equal(pageHeader({ before: 3, entries: 0, rows: 0, skipped: 0, total: 4 })[0], 'audit.results.page_empty');
    assert.equal(pageHeader({ before: 0, entries: 0, rows: 0, total: 0 })[0], 'audit.results.none');
  }
  await initI18n('en');
  assert.equal(t(...pageHeader({ before: 3, entries: 0, rows: 0, skipped: 2, total: 5 })),
    'The 2 entries on this page are shown with their pairs on the previous page. Go back to see them, or on to the next page.');
});

test('the header says how many rows show which entries, in every language', async () => {
  // 14 entries: a run of 3 connection reports (one row), a refused attempt recorded twice (one
  // row), 9 others: 11 rows.
  const rows = [...Array.from({ length: 9 }, (_, n) => lock(n + 1, n * 1000)), report(10, 10_000), report(11, 10_500),
    report(12, 11_000), signalling(13, 20_000), gateway(14, 20_040)];
  const items = foldRuns(rows);
  assert.equal(items.length, 11);
  const header = pageHeader({ before: 0, entries: rows.length, rows: items.length, total: 30 });
  assert.deepEqual(header, ['audit.results.rows', { first: '1', last: '14', total: '30', count: 11 }]);
  const expected = { en: '11 rows from entries 1–14 of 30', 'zh-Hant': '11 行，來自第 1–14 項（共 30 項）', 'zh-Hans': '11 行，来自第 1–14 条（共 30 条）' };
  for (const [lang, text] of Object.entries(expected)) {
    await initI18n(lang);
    assert.equal(t(...header), text, lang);
  }
  await initI18n('en');
  assert.equal(t(...pageHeader({ before: 50, entries: 1, rows: 1, total: 51 })), 'Entries 51–51 of 51');
  assert.equal(t(...pageHeader({ before: 0, entries: 2, rows: 1, total: 2 })), '1 row from entries 1–2 of 2');
});

test('a connection closed in no room says what closed it; the lobby reads as a place', async () => {
  const rows = [
    person(1, 0, 'participant.connect', 'pEve', { room: 'lobby' }, { id: 'pEve', role: 'party' }),
    person(2, 5000, 'participant.remove', 'pEve', { from: 'lobby' }),
    person(3, 5100, 'participant.disconnect', 'pEve', { room: null }, { id: 'pEve', role: 'party' }),
    person(4, 6000, 'participant.deny', 'pAna'),
    person(5, 6100, 'participant.disconnect', 'pAna', {}, { id: 'pAna', role: 'counsel' }),
    person(6, 9000, 'participant.disconnect', 'pAna', { room: 'lobby' }, { id: 'pAna', role: 'counsel' }),
  ];
  const causes = departures([...rows].reverse()); // newest first, as a search shows them
  assert.deepEqual([...causes.keys()].sort(), [3, 5]);
  await initI18n('en');
  const say = ({ index, event }) => describeEntry(event, dir, 'UTC', { withTime: false, cause: causes.get(index) });
  assert.equal(say(rows[0]), 'Eve Ng connected, in the waiting room');
  assert.equal(say(rows[1]), 'acctMed (mediator) removed Eve Ng from the waiting room, and from the hearing');
  assert.equal(say(rows[2]), 'Eve Ng was disconnected: removed from the waiting room, and from the hearing');
  assert.equal(say(rows[4]), 'Ana Chen was disconnected: not admitted, and sent away from the waiting room');
  assert.equal(say(rows[5]), 'Ana Chen disconnected while in the waiting room');
  // The removal not among the rows (another page): what it can say, never "from no room".
  const alone = describeEntry(rows[2].event, dir, 'UTC', { withTime: false });
  assert.ok(!alone.includes(t('audit.room.none')), alone);
  assert.match(alone, /removed from the hearing, or not admitted from the waiting room/);
  assert.match(toCsv(rows, dir, 'UTC'), /was disconnected: removed from the waiting room/);
  // Leaving from the lobby, and a removal from a room.
  assert.equal(describeEntry(person(7, 0, 'participant.leave', 'pEve', { from: 'lobby', to: 'lobby' }, { id: 'pEve', role: 'party' }).event,
    dir, 'UTC', { withTime: false }), 'Eve Ng left the waiting room, and the hearing');
  assert.equal(describeEntry(person(8, 0, 'participant.remove', 'pAna', { from: 'plenary' }).event, dir, 'UTC', { withTime: false }),
    'acctMed (mediator) removed Ana Chen from the hearing, while they were in Plenary');
  for (const lang of ['zh-Hant', 'zh-Hans']) {
    await initI18n(lang);
    const text = say(rows[2]);
    assert.ok(!text.includes(t('audit.room.none')) && text.includes(t('audit.room.lobby')), `${lang}: ${text}`);
  }
});

test("a hearing's title and start over time: its creation, then each change by whom, the rest carried over", () => {
  const hearing = (time, action, details, actor = MED) => ({ time: T0 + time, actor, action, outcome: 'allowed', service: 'signalling',
    hearing: 'h1', resource: { type: 'hearing', id: 'h1' }, details });
  const events = [
    hearing(0, 'hearing.create', { title: 'Lam v. Chen', scheduled_at: T0 + 86_400_000, time_zone: 'Asia/Hong_Kong', mediator: 'acctMed' }),
    hearing(3000, 'hearing.details_change', { title: 'Lam v. Chen (No. 2)', previous_title: 'Lam v. Chen' }),
    hearing(2000, 'hearing.open', {}),
    hearing(5000, 'hearing.details_change', { scheduled_at: T0 + 2 * 86_400_000, time_zone: 'Europe/London',
      previous_scheduled_at: T0 + 86_400_000, previous_time_zone: 'Asia/Hong_Kong' }, { id: 'acctAdmin', role: 'admin' }),
    { ...hearing(6000, 'hearing.details_change', { title: 'refused' }), outcome: 'denied' },
    hearing(7000, 'hearing.details_change', { scheduled_at: null, time_zone: 'Europe/London', previous_scheduled_at: T0 + 2 * 86_400_000,
      previous_time_zone: 'Europe/London' }),
  ];
  const history = detailsHistory(events);
  assert.deepEqual(history.map((x) => [(x.time - T0) / 1000, x.by.id, x.created, x.title, x.scheduledAt && (x.scheduledAt - T0) / 86_400_000,
    x.zone, x.changed.title, x.changed.start]), [
    [0, 'acctMed', true, 'Lam v. Chen', 1, 'Asia/Hong_Kong', false, false],
    [3, 'acctMed', false, 'Lam v. Chen (No. 2)', 1, 'Asia/Hong_Kong', true, false],
    [5, 'acctAdmin', false, 'Lam v. Chen (No. 2)', 2, 'Europe/London', false, true],
    [7, 'acctMed', false, 'Lam v. Chen (No. 2)', null, 'Europe/London', false, true],
  ]);
});
