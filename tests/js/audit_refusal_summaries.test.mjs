// The gateway's summaries of repeated refusals (gateway/identity/denials.py: `summary`, `count`,
// `from_ms` the first refusal, `to_ms` when the period closed and the summary was written) of
// uses of a genuine invitation repeat attempts signalling recorded one by one (core.py
// `_redeem`): no count adds them again, and their line says so. A pair that a page's edge splits
// is still one line (results.js acrossEdge). The hearing's People table capitalises the role
// word only, never a hand-over note beside it ("Took over from admin").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { useCatalogueFiles } from './catalogues.mjs';

useCatalogueFiles();
const { initI18n } = await import('../../gateway/webclient/js/core/i18n.js');
const { invitationAttempts, refusalCount, repeatsListed } = await import('../../gateway/webclient/js/audit/attempts.js');
const { acrossEdge, foldRuns } = await import('../../gateway/webclient/js/audit/paging.js');
const { describeEntry } = await import('../../gateway/webclient/js/audit/describe.js');
const { directory } = await import('../../gateway/webclient/js/audit/labels.js');

const T0 = Date.UTC(2026, 10, 27, 23, 26, 0);
const ADDRESS = 'addr:2026-11:4be1c0d29a7f3e5b8c61';
const anonymous = { id: 'anonymous', kind: 'anonymous' };
const dir = directory([{ kind: 'person', id: 'pEve', name: 'Eve Ng', role: 'party', hearing: 'h1' }]);

const signalling = (index, ms, reason = 'the invitation was already used') => ({ index, event: {
  time: T0 + ms, actor: anonymous, action: 'participant.redeem', outcome: 'denied', service: 'signalling', hearing: 'h1',
  resource: { type: 'invitation', id: 'invEve' }, details: { participant: 'pEve', reason } } });
const gateway = (index, ms, extra = {}, reason = 'the invitation was already used') => ({ index, event: {
  time: T0 + ms, actor: anonymous, action: 'participant.redeem', outcome: 'denied', service: 'gateway', hearing: 'h1',
  resource: { type: 'invitation', id: 'invEve' }, details: { reason, address: ADDRESS, kind: 'redeem.unauthenticated', ...extra } } });

// Four tries from one address, 23:26:00 to 23:27:00 (signalling's entries), the gateway's entry of
// the first, and its summary of the four when the period closed, at 23:28:00.
const TRIES = [signalling(1, 0), gateway(2, 30), signalling(3, 20_000), signalling(4, 40_000), signalling(5, 60_000),
  gateway(6, 120_000, { summary: true, count: 4, from_ms: T0 + 30, to_ms: T0 + 120_000 })];

test("a summary of attempts listed one by one is not counted again, in a hearing's or a person's count", () => {
  assert.ok(repeatsListed(TRIES[5].event));
  assert.ok(!repeatsListed(TRIES[1].event) && !repeatsListed(TRIES[0].event));
  // Six refused entries in the hearing: four attempts (one of them recorded twice) and the summary.
  assert.equal(refusalCount(6, TRIES), 4);
  // With a refused read of a document beside them: five.
  assert.equal(refusalCount(7, TRIES), 5);
  assert.deepEqual(invitationAttempts(TRIES), { refused: 4, after: 0 });
});

test("a summary's line says it repeats attempts listed, and when it was written, not that the last came then", async () => {
  await initI18n('en');
  const text = describeEntry(TRIES[5].event, dir, 'UTC', { withTime: false });
  assert.match(text, /a summary of attempts listed one by one, not counted again: 4 from 23:26, written at 23:28/);
  assert.doesNotMatch(text, /4 times from 23:26 to 23:28/);
  // Another refusal's summary (its repeats are nowhere else): how many, since when, written when.
  const forbidden = { time: T0 + 120_000, actor: { id: 'acctX', role: 'mediator' }, action: 'hearing.lock', outcome: 'denied',
    service: 'gateway', hearing: 'h1', resource: { type: 'hearing', id: 'h1' },
    details: { reason: 'forbidden', address: ADDRESS, kind: 'forbidden', summary: true, count: 3, from_ms: T0, to_ms: T0 + 120_000 } };
  assert.ok(!repeatsListed(forbidden));
  const other = describeEntry(forbidden, dir, 'UTC', { withTime: false });
  assert.match(other, /\(3 times from 23:26; summary written at 23:28\)/);
  for (const lang of ['zh-Hans', 'zh-Hant']) {
    await initI18n(lang);
    const zh = describeEntry(TRIES[5].event, dir, 'UTC', { withTime: false });
    assert.match(zh, lang === 'zh-Hans' ? /逐条列出.+不再重复计算.+4 次.+写于/ : /逐條列出.+不再重複計算.+4 次.+寫於/);
  }
});

test('a refused attempt split by the page edge is one line, on the page of its first entry', () => {
  // Newest first, 50 a page: the gateway's entry (2) ends page one, signalling's (1) starts page two.
  const fillers = Array.from({ length: 49 }, (_, n) => ({ index: 100 - n, event: { time: T0 + 500_000 - n, actor: { id: 'acctMed', role: 'mediator' },
    action: 'hearing.lock', outcome: 'allowed', service: 'signalling', hearing: 'h1', resource: { type: 'hearing', id: 'h1' }, details: {} } }));
  const pageOne = [...fillers, gateway(2, 30)];
  const pageTwo = [signalling(1, 0), { index: 0, event: { ...fillers[0].event, time: T0 - 10 } }];
  const borrowed = acrossEdge(pageOne, pageTwo);
  assert.deepEqual(borrowed.map((r) => r.index), [1]);
  const items = foldRuns([...pageOne, ...borrowed]);
  assert.equal(items.filter((item) => item.pair).length, 1);
  assert.ok(!items.some((item) => item.index === 1 || item.index === 2));
  // Nothing to take when the page's own entries are paired, or the next page's pair among themselves.
  assert.deepEqual(acrossEdge([signalling(1, 0), gateway(2, 30)], [signalling(3, 900)]), []);
  assert.deepEqual(acrossEdge(fillers, [gateway(2, 30), signalling(1, 0)]), []);
});

test("the People table capitalises the role word only, not a hand-over note's names", () => {
  const css = readFileSync(new URL('../../gateway/webclient/css/parley.css', import.meta.url), 'utf8');
  const capitalised = [...css.matchAll(/([^{}]+)\{[^}]*text-transform:\s*capitalize[^}]*\}/g)].map((m) => m[1].replace(/\/\*[\s\S]*?\*\//g, '').trim());
  assert.ok(!capitalised.some((selector) => /\btd\.role\s*$/.test(selector) || /handover/.test(selector)), capitalised.join(' | '));
  const screen = readFileSync(new URL('../../gateway/webclient/js/screens/audit-hearings.js', import.meta.url), 'utf8');
  assert.match(screen, /h\('td', \{ class: 'role' \}, h\('span', \{ class: 'role-name' \}/);
});
