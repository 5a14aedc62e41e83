// A person's report: every use of their invitations among their own entries, in time order,
// refused ones folded as a page folds them and counted (audit/attempts.js; the server finds the
// uses: data.js personFilter, invitationUses); their rooms as stays, a reconnection of less than a
// minute not splitting one (audit/stays.js). And the timeline's legend, and the name an export
// is saved under (audit/export-name.js). The entries are written as the services write them
// (services/signalling/core.py `_invite`, `_redeem`, joining.py `reissue`; gateway/api/redeem.py
// through identity/denials.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useCatalogueFiles } from './catalogues.mjs';

useCatalogueFiles();
const { initI18n, t } = await import('../../gateway/webclient/js/core/i18n.js');
const { invitationAttempts } = await import('../../gateway/webclient/js/audit/attempts.js');
const { invitationUses, personFilter, searchParams } = await import('../../gateway/webclient/js/audit/data.js');
const { foldRuns } = await import('../../gateway/webclient/js/audit/paging.js');
const { RECONNECT_GAP_MS, stays } = await import('../../gateway/webclient/js/audit/stays.js');
const { bundleName, slug, verifyCommand } = await import('../../gateway/webclient/js/audit/export-name.js');

const T0 = Date.UTC(2026, 10, 27, 13, 50, 0);
const ADDRESS = 'addr:2026-11:e5fb074e3490e32dda2b';
const OTHER_ADDRESS = 'addr:2026-11:77aa0c12de4490e32dda';
const anonymous = { id: 'anonymous', kind: 'anonymous' };
const at = (index, s) => ({ index, time: T0 + s * 1000 });

const redeem = (index, s, reason = null, invitation = 'invChan') => ({ index, event: { time: at(index, s).time, actor: anonymous,
  action: 'participant.redeem', outcome: reason ? 'denied' : 'allowed', service: 'signalling', hearing: 'h1',
  resource: { type: 'invitation', id: invitation }, details: { participant: 'pChan', ...(reason ? { reason } : {}) } } });
const gateway = (index, s, reason, { kind = 'redeem.unauthenticated', address = ADDRESS, extra = {} } = {}) => ({ index, event: {
  time: at(index, s).time + 4, actor: anonymous, action: 'participant.redeem', outcome: 'denied', service: 'gateway', hearing: 'h1',
  resource: { type: 'invitation', id: 'invChan' }, details: { reason, address, kind, ...extra } } });
const own = (index, s, action = 'participant.connect') => ({ index, event: { time: at(index, s).time, actor: { id: 'pChan', role: 'party' },
  action, outcome: 'allowed', service: 'signalling', hearing: 'h1', resource: { type: 'participant', id: 'pChan' }, details: { room: 'lobby' } } });

// Mr Chan's invitation, as the walkthrough left it in the log: five wrong codes (the gateway
// records the first and the block, and counts the rest), two tries while blocked, his own use,
// then three tries with the used link from another browser (the first recorded by both
// services, the others counted by the gateway), and the gateway's counts of its periods.
const USES = [
  redeem(27, 0, 'access_code'), gateway(28, 0, 'access code not accepted'),
  redeem(29, 1, 'access_code'), redeem(30, 2, 'access_code'), redeem(31, 3, 'access_code'),
  redeem(32, 4, 'access_code'), gateway(33, 4, 'too many wrong access codes', { kind: 'redeem.rate_limited' }),
  redeem(34, 6, 'too many wrong access codes'), redeem(35, 10, 'too many wrong access codes'),
  gateway(59, 74, 'access code not accepted', { extra: { summary: true, count: 4 } }),
  redeem(80, 340),
  redeem(286, 1140, 'the invitation was already used'),
  gateway(287, 1140, 'the invitation was already used', { address: OTHER_ADDRESS }),
  redeem(289, 1158, 'the invitation was already used'), redeem(290, 1163, 'the invitation was already used'),
  gateway(311, 1210, 'the invitation was already used', { address: OTHER_ADDRESS, extra: { summary: true, count: 3 } }),
];

test("a person's report asks the server for their entries with every use of their invitations, and the uses alone once", async () => {
  // The report's filter: the person's own entries and their invitations' uses, which the server
  // resolves (services/audit/invitations.py), paged and counted together.
  assert.deepEqual(personFilter('pChan'), { actor: 'pChan', with_invitations: true, order: 'asc' });
  assert.equal(searchParams(personFilter('pChan'), { limit: 50 }).toString(), 'actor=pChan&with_invitations=true&order=asc&limit=50');
  // The attempts above the table: one read (page after page), of the redemptions alone.
  const asked = [];
  const uses = await invitationUses('pChan', async (filter) => { asked.push(filter); return { rows: USES }; });
  assert.deepEqual(uses, USES);
  assert.deepEqual(asked, [{ actor: 'pChan', with_invitations: true, order: 'asc', resource_type: 'invitation', action: 'participant.redeem' }]);
});

test('refused attempts are counted as a page shows them, and those after the invitation was used', () => {
  // 10 attempts: signalling recorded each; the gateway's three twins are the same attempts,
  // and its two counts of repeats are none of their own. Three came after his own use (80).
  assert.deepEqual(invitationAttempts(USES), { refused: 10, after: 3 });
  assert.deepEqual(invitationAttempts(USES.filter((r) => r.index < 80)), { refused: 7, after: 0 });
  assert.deepEqual(invitationAttempts([redeem(80, 340)]), { refused: 0, after: 0 });
  // Used once: tries on another invitation of theirs, never used, are not "after it was used".
  assert.deepEqual(invitationAttempts([redeem(80, 340), redeem(90, 400, 'the invitation has expired', 'invOld')]), { refused: 1, after: 0 });
});

test('the summary says it in words', async () => {
  await initI18n('en');
  assert.equal(t('audit.report.attempts_after', { count: 8, after: 3 }),
    "8 refused attempts to use this person's invitation, 3 of them after it had been used.");
  assert.equal(t('audit.report.attempts', { count: 1 }), "One refused attempt to use this person's invitation.");
  await initI18n('zh-Hant');
  assert.equal(t('audit.report.attempts_after', { count: 8, after: 3 }), '有 8 次使用此人邀請的嘗試遭拒絕，其中 3 次在邀請已被使用之後。');
});

test("the uses stand among the person's own entries in time order, each attempt recorded twice one line", () => {
  // A page as the server gives it for the report's filter: their own entries and the uses, in log order.
  const mine = [own(81, 341), own(120, 600, 'participant.disconnect'), own(300, 1200), own(400, 1500)];
  const page = [...mine, ...USES].sort((a, b) => a.index - b.index);
  const items = foldRuns(page).map((item) => (item.pair ? `pair ${item.pair.signalling.index}+${item.pair.gateway.index}` : item.index));
  assert.deepEqual(items, ['pair 27+28', 29, 30, 31, 'pair 32+33', 34, 35, 59, 80, 81, 120, 'pair 286+287', 289, 290, 300, 311, 400]);
});

test('a stay in one room is one line however often a reload split it', async () => {
  const s = (room, start, end) => ({ room, start: T0 + start * 1000, end: T0 + end * 1000 });
  // The walkthrough's report: the caucus three times in a row, plenary twice.
  const segments = [s('lobby', 0, 13), s('cClaim', 13, 114), s('cClaim', 114, 128), s('cClaim', 128.5, 195),
    s('plenary', 195, 238), s('plenary', 238, 859), s('cClaim', 859, 919), s('cClaim', 919 + 61, 1000)];
  const joined = stays(segments);
  assert.deepEqual(joined.map((x) => [x.room, (x.start - T0) / 1000, (x.end - T0) / 1000, x.reconnects]), [
    ['lobby', 0, 13, 0], ['cClaim', 13, 195, 2], ['plenary', 195, 859, 1],
    // away a minute or more: a stay of its own
    ['cClaim', 859, 919, 0], ['cClaim', 980, 1000, 0]]);
  assert.equal(joined[1].away, 500);
  assert.equal(RECONNECT_GAP_MS, 60_000);
  await initI18n('en');
  assert.equal(t('audit.report.stay_reconnected', { room: 'Claimant caucus', range: '21:50:23 – 21:53:25', count: 2 }),
    'Claimant caucus: 21:50:23 – 21:53:25, reconnected twice');
  assert.equal(t('audit.report.stay_reconnected', { room: 'Plenary', range: 'x', count: 1 }), 'Plenary: x, reconnected once');
});

test("the timeline's legend names a side's caucus rooms without a possessive a name ending in s breaks", async () => {
  await initI18n('en');
  const side = 'Claimant: Chan Tai Man Holdings Limited (in liquidation), acting by its joint and several liquidators';
  for (const key of ['audit.timeline.caucus_of', 'audit.timeline.caucus_of_removed']) {
    const text = t(key, { side });
    assert.ok(text.includes(side) && !text.includes("s's") && !text.includes('s’s'), text);
  }
  assert.equal(t('audit.timeline.caucus_of', { side: 'Claimant' }), 'Caucus rooms of Claimant');
  // No English sentence (the auditor's, the mediator's, a party's…) hangs a possessive on a name
  // it is given: "liquidators's".
  const { readdirSync, readFileSync } = await import('node:fs');
  const folder = new URL('../../gateway/webclient/i18n/en/', import.meta.url);
  const files = readdirSync(folder).filter((name) => name.endsWith('.json'));
  assert.ok(files.includes('audit.json') && files.includes('mediator.json') && files.includes('participant.json'), files);
  const possessive = files.flatMap((file) => Object.entries(JSON.parse(readFileSync(new URL(file, folder), 'utf8')))
    .flatMap(([key, m]) => (typeof m === 'string' ? [[key, m]] : Object.values(m).map((v) => [key, v]))))
    .filter(([, text]) => /\}['’]s\b/.test(text));
  assert.deepEqual(possessive, []);
});

test('an export is saved under a name that says what it holds and when', () => {
  const noon = Date.UTC(2026, 10, 27, 16, 30); // 00:30 on the 28th in Hong Kong
  assert.equal(bundleName(null, noon, 'UTC'), 'parley-audit-log-2026-11-27.jsonl');
  assert.equal(bundleName(null, noon, 'Asia/Hong_Kong'), 'parley-audit-log-2026-11-28.jsonl');
  assert.equal(bundleName({ id: 'h7f3a', title: 'Lam v. Chen — Kwun Tong warehouse lease' }, noon, 'UTC'),
    'parley-audit-lam-v-chen-kwun-tong-warehouse-lease-2026-11-27.jsonl');
  assert.equal(bundleName({ id: 'h7f3a', title: 'Café Zoë' }, noon, 'UTC'), 'parley-audit-cafe-zoe-2026-11-27.jsonl');
  // A title no file name keeps (Chinese): the hearing's id.
  assert.equal(bundleName({ id: 'a69786a2ffee', title: '陳大文訴李小明' }, noon, 'UTC'), 'parley-audit-a69786a2ffee-2026-11-27.jsonl');
  assert.ok(slug('x'.repeat(30) + ' ' + 'y'.repeat(30)).length <= 40);
  assert.equal(slug('Chan Tai Man Holdings Limited (in liquidation) v Lee'), 'chan-tai-man-holdings-limited-in');
  assert.equal(verifyCommand('parley-audit-log-2026-11-27.jsonl'), 'parley-audit verify parley-audit-log-2026-11-27.jsonl --vkey parley.vkey');
});
