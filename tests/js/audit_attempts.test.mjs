// One refused use of an invitation is recorded by signalling (whose invitation) and by the
// gateway (from where): a page of entries shows the two as one line, and never folds two
// attempts into one (audit/attempts.js). The entries are written as the services write them
// (services/signalling/core.py `_redeem`, gateway/api/redeem.py through identity/denials.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useCatalogueFiles } from './catalogues.mjs';

useCatalogueFiles();
const { initI18n } = await import('../../gateway/webclient/js/core/i18n.js');
const { redemptionPairs, refusalCount, PAIR_WINDOW_MS } = await import('../../gateway/webclient/js/audit/attempts.js');
const { foldRuns } = await import('../../gateway/webclient/js/audit/paging.js');
const { describeAttempt } = await import('../../gateway/webclient/js/audit/describe.js');
const { directory } = await import('../../gateway/webclient/js/audit/labels.js');

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const ADDRESS = 'addr:2026-11:4be1c0d29a7f3e5b8c61';
const anonymous = { id: 'anonymous', kind: 'anonymous' };
const dir = directory([{ kind: 'person', id: 'pEve', name: 'Eve Ng', role: 'party', hearing: 'h1' }]);

// Signalling's entry: the invitation, whose it was, its reason (a code or the refusal's message).
const signalling = (index, ms, reason, { invitation = 'invEve', participant = 'pEve' } = {}) => ({ index, event: {
  time: T0 + ms, actor: anonymous, action: 'participant.redeem', outcome: 'denied', service: 'signalling', hearing: 'h1',
  resource: { type: 'invitation', id: invitation }, details: { participant, reason } } });
// The gateway's: the same invitation once the token was genuine, where from, why, a kind.
const gateway = (index, ms, reason, { invitation = 'invEve', kind = 'redeem.unauthenticated', extra = {} } = {}) => ({ index, event: {
  time: T0 + ms, actor: anonymous, action: 'participant.redeem', outcome: 'denied', service: 'gateway', hearing: 'h1',
  resource: { type: 'invitation', id: invitation }, details: { reason, address: ADDRESS, kind, ...extra } } });
const other = (index, ms) => ({ index, event: { time: T0 + ms, actor: { id: 'acctMed', role: 'mediator' }, action: 'hearing.lock',
  outcome: 'allowed', service: 'signalling', hearing: 'h1', resource: { type: 'hearing', id: 'h1' }, details: {} } });
const pairsOf = (rows) => redemptionPairs(rows).map((p) => [p.signalling.index, p.gateway.index]);

test('the two entries of one refused attempt are one line, where the first of them was', async () => {
  await initI18n('en');
  const rows = [signalling(10, 0, 'the hearing has ended'), other(11, 5), gateway(12, 30, 'the hearing has ended')];
  assert.deepEqual(pairsOf(rows), [[10, 12]]);
  // Oldest first or newest first, the pair stands where its first row stood, the rest as they were.
  assert.deepEqual(foldRuns(rows).map((item) => (item.pair ? 'pair' : item.index)), ['pair', 11]);
  assert.deepEqual(foldRuns([...rows].reverse()).map((item) => (item.pair ? 'pair' : item.index)), ['pair', 11]);
  // Either code of one reason pairs: signalling's own code and the gateway's message.
  assert.deepEqual(pairsOf([signalling(1, 0, 'locked'), gateway(2, 40, 'the hearing is locked: nobody new is admitted', { kind: 'redeem.conflict' })]), [[1, 2]]);
  assert.deepEqual(pairsOf([signalling(1, 0, 'access_code'), gateway(2, 40, 'access code not accepted')]), [[1, 2]]);
  // The wrong code that blocked the invitation: signalling records the code, the gateway the block.
  assert.deepEqual(pairsOf([signalling(1, 0, 'access_code'), gateway(2, 40, 'too many wrong access codes', { kind: 'redeem.rate_limited' })]), [[1, 2]]);
});

test('two attempts are never one line', async () => {
  // Tried twice from one address: the gateway records the first and counts the second (no entry
  // of its own), so the second stays a line of its own, and so does the gateway's count.
  const twice = [signalling(1, 0, 'access_code'), gateway(2, 20, 'access code not accepted'),
    signalling(3, 900, 'access_code'),
    gateway(4, 60_000, 'access code not accepted', { extra: { summary: true, count: 2, from_ms: T0, to_ms: T0 + 900 } })];
  assert.deepEqual(pairsOf(twice), [[1, 2]]);
  assert.deepEqual(foldRuns(twice).map((item) => (item.pair ? 'pair' : item.index)), ['pair', 3, 4]);
  // Each entry pairs once, with the nearest: two addresses a moment apart are two pairs.
  assert.deepEqual(pairsOf([signalling(1, 0, 'access_code'), signalling(2, 300, 'access_code'),
    gateway(3, 310, 'access code not accepted'), gateway(4, 15, 'access code not accepted')]), [[2, 3], [1, 4]]);
  // Another invitation, another reason, too far apart, two entries of one service: no pair.
  assert.deepEqual(pairsOf([signalling(1, 0, 'access_code'), gateway(2, 20, 'access code not accepted', { invitation: 'invBo' })]), []);
  assert.deepEqual(pairsOf([signalling(1, 0, 'the hearing has ended'), gateway(2, 20, 'the invitation was already used')]), []);
  assert.deepEqual(pairsOf([signalling(1, 0, 'access_code'), gateway(2, PAIR_WINDOW_MS + 1, 'access code not accepted')]), []);
  assert.deepEqual(pairsOf([signalling(1, 0, 'access_code'), signalling(2, 10, 'access_code')]), []);
  // A token that was not genuine: the gateway names no invitation (its resource is "redeem").
  assert.deepEqual(pairsOf([signalling(1, 0, 'access_code'), gateway(2, 10, 'invitation or access code not valid', { invitation: 'redeem' })]), []);
  // A reason no sentence can say pairs with nothing (the screens cannot tell it is the same one).
  assert.deepEqual(pairsOf([signalling(1, 0, 'something new'), gateway(2, 10, 'something new')]), []);
});

test("a hearing's count of refusals counts one refused attempt once, as its list shows it", () => {
  // Five refused entries: one attempt recorded twice (1, 2), a second attempt only signalling
  // recorded (3: the gateway counted it), the gateway's count of its period (4: a summary of
  // attempts 1 and 3, listed already), and a refused read of a document (5, not among the
  // redemptions). Four lines in the list, one of them the summary's note: three refusals.
  const redeems = [signalling(1, 0, 'access_code'), gateway(2, 20, 'access code not accepted'),
    signalling(3, 900, 'access_code'),
    gateway(4, 60_000, 'access code not accepted', { extra: { summary: true, count: 2, from_ms: T0, to_ms: T0 + 900 } })];
  assert.equal(refusalCount(5, redeems), 3);
  assert.equal(foldRuns(redeems).length + 1, 4);
  // Two attempts a moment apart from two addresses are two pairs: two refusals, not four.
  assert.equal(refusalCount(4, [signalling(1, 0, 'access_code'), signalling(2, 300, 'access_code'),
    gateway(3, 310, 'access code not accepted'), gateway(4, 15, 'access code not accepted')]), 2);
  assert.equal(refusalCount(3, []), 3);
  assert.equal(refusalCount(0, []), 0);
});

test('the one line says who, from where, whose invitation and why, in every language', async () => {
  await initI18n('en');
  const s = signalling(1, 0, 'access_code').event;
  const g = gateway(2, 40, 'too many wrong access codes', { kind: 'redeem.rate_limited' }).event;
  assert.equal(describeAttempt(s, g, dir), 'Someone not signed in, from a network address (pseudonym 4be1c0…), was refused '
    + 'the invitation for Eve Ng — too many wrong access codes: the invitation was blocked for a while');
  await initI18n('zh-Hant');
  assert.match(describeAttempt(s, g, dir), /^.+ 從.+4be1c0.+使用 Eve Ng 的邀請時被拒絕——.+$/);
  await initI18n('zh-Hans');
  assert.match(describeAttempt(s, g, dir), /^.+ 从.+4be1c0.+使用 Eve Ng 的邀请时被拒绝——.+$/);
});
