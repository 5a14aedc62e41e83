// Every action the services write to the audit log is one the auditor's screens know: it is in
// audit/actions.js (the Action filter and the sentences come from there), and it has a sentence
// and a label in all three languages. The names are read from the Python sources themselves,
// so a service that starts writing a new action fails here until the screens can tell it.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { useCatalogueFiles } from './catalogues.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LANGUAGES = ['en', 'zh-Hant', 'zh-Hans'];
const catalogue = (lang) => JSON.parse(readFileSync(join(ROOT, 'gateway/webclient/i18n', lang, 'audit.json'), 'utf8'));

// The catalogues through the client's own loader (it fetches them next to the module).
useCatalogueFiles();

const { ACTIONS, ACTION_FAMILIES, FOLDED, REFUSED_ONLY, SELF_DESCRIBED } = await import('../../gateway/webclient/js/audit/actions.js');
const { initI18n, t } = await import('../../gateway/webclient/js/core/i18n.js');
const { actionChoiceLabel, directory } = await import('../../gateway/webclient/js/audit/labels.js');
const { describeEntry, describeRun } = await import('../../gateway/webclient/js/audit/describe.js');

// ---------------------------------------------------------------- the names the services write

const NAME = '([a-z]+\\.[a-z_]+)';
// Where the services name an action: the signalling core's effects, keyword arguments of the
// publishers (and the lock's either-or), the evidence and audit services' own helpers, the
// signalling refusal table (refusals.py: every name in it) and the audit log's own constant.
const WRITES = [
  new RegExp(`\\bAudit\\(\\s*"${NAME}"`, 'g'),
  new RegExp(`\\baction(?:\\s*:\\s*str)?\\s*=\\s*"${NAME}"`, 'g'),
  new RegExp(`\\baction\\s*=\\s*"${NAME}"\\s+if\\b[^\\n]*\\belse\\s+"${NAME}"`, 'g'),
  new RegExp(`\\b_(?:record|admit)\\(\\s*[\\w.]+,\\s*"${NAME}"`, 'g'),
  new RegExp(`\\b_move_audit\\([^)]*"${NAME}"\\s*\\)`, 'g'),
  new RegExp(`_ACTION\\s*:\\s*Final\\s*=\\s*"${NAME}"`, 'g'),
];
// Call sites that pass an action held in a variable: each is one of the forms above, one step
// removed (a helper's parameter, a refusal's recorded action, the publisher itself). A new one
// must be looked at. And two lines that only look like writes (an argparse flag, SQL).
const INDIRECT = [/Audit\(action,/, /action=action\b/, /action=e\.action/, /action=event\.action/,
  /action=refusal\.action/, /action=action_for\(command\)/, /action=REJECTED_ACTION/, /action=fields\["action"\]/,
  /_record\(\s*(?:call|principal|grant\.principal), action,/, /_record\(refusal,/,
  /action="store_true"/, /"action = \?"/];

function pythonSources() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'tests' || name.startsWith('.') || name === '__pycache__') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.py')) out.push(path);
    }
  };
  for (const top of ['services', 'gateway', 'parley']) walk(join(ROOT, top));
  return out;
}

function writtenActions() {
  const names = new Set();
  const refusals = new Set(); // named by the signalling refusal table (refusals.py)
  const unexplained = [];
  for (const path of pythonSources()) {
    const text = readFileSync(path, 'utf8');
    for (const pattern of WRITES) for (const m of text.matchAll(pattern)) m.slice(1).filter(Boolean).forEach((n) => names.add(n));
    if (path.endsWith('refusals.py')) for (const m of text.matchAll(new RegExp(`"${NAME}"`, 'g'))) refusals.add(m[1]);
    for (const line of text.split('\n')) {
      const writes = /\bAudit\(|\baction\s*=[^=]|\b_(?:record|admit)\(/.test(line);
      if (writes && !WRITES.some((p) => new RegExp(p.source).test(line)) && !INDIRECT.some((p) => p.test(line))
          && !/\bdef\b|\bAudit\(\)|import|^\s*#/.test(line)) unexplained.push(`${path.slice(ROOT.length)}: ${line.trim()}`);
    }
  }
  // Every name the refusal table holds is written, refused; those written nowhere else only so.
  const refusedOnly = new Set([...refusals].filter((n) => !names.has(n)));
  refusals.forEach((n) => names.add(n));
  return { names, refusedOnly, unexplained };
}

test('the actions the screens know are exactly the ones the services write', () => {
  const { names, unexplained } = writtenActions();
  assert.ok(names.size > 40, `only ${names.size} actions found: the patterns no longer match the services`);
  assert.deepEqual(unexplained, [], 'an audit write whose action this test cannot read: add its form to WRITES or INDIRECT');
  assert.deepEqual([...ACTIONS].sort(), [...names].sort());
  assert.equal(new Set(ACTIONS).size, ACTIONS.length, 'an action listed twice');
});

test('the actions the log holds only as refusals are exactly those, and the filter says so', async () => {
  // A chat message is audited only when refused (no content, no sent-message event, by design):
  // the Action filter must not offer it as if it found the messages sent.
  const { refusedOnly } = writtenActions();
  assert.ok(refusedOnly.has('room.chat'), [...refusedOnly].join(', '));
  assert.deepEqual([...REFUSED_ONLY].sort(), [...refusedOnly].sort());
  for (const lang of LANGUAGES) {
    await initI18n(lang);
    for (const action of ACTIONS) {
      const label = actionChoiceLabel(action);
      const said = t('audit.f.action_refused', { action: t(`audit.action.${action}`) });
      assert.equal(label === said, REFUSED_ONLY.has(action), `${lang} ${action}: ${label}`);
    }
  }
  await initI18n('en');
  assert.equal(actionChoiceLabel('room.chat'), 'Chat message refused');
  assert.equal(actionChoiceLabel('room.move'), 'Move someone');
});

test('every family holds its own actions, and none is empty', () => {
  for (const { family, actions } of ACTION_FAMILIES) {
    assert.ok(actions.length > 0, family);
    for (const action of actions) assert.ok(action.startsWith(`${family}.`), `${action} is not in ${family}`);
  }
  for (const action of [...SELF_DESCRIBED, ...FOLDED]) assert.ok(ACTIONS.includes(action), action);
});

test('every action has a sentence and a label, every family its labels, in every language', () => {
  for (const lang of LANGUAGES) {
    const messages = catalogue(lang);
    for (const action of ACTIONS) {
      assert.ok(messages[`audit.verb.${action}`], `${lang}: no sentence for ${action}`);
      assert.ok(messages[`audit.action.${action}`], `${lang}: no label for ${action}`);
    }
    for (const { family } of ACTION_FAMILIES) {
      assert.ok(messages[`audit.family.${family}`], `${lang}: no label for the family ${family}`);
      assert.ok(messages[`audit.family_all.${family}`], `${lang}: no "all" choice for the family ${family}`);
    }
    for (const action of FOLDED) assert.ok(messages[`audit.fold.${action}`], `${lang}: no folded line for ${action}`);
  }
});

// ---------------------------------------------------------------- the sentences themselves

const dir = directory([
  { kind: 'person', id: 'pAna', name: 'Ana Chen', role: 'counsel', side: 'sClaim' },
  { kind: 'person', id: 'pBo', name: 'Bo Lam', role: 'party', side: 'sClaim' },
  { kind: 'side', id: 'sClaim', name: 'Claimant' },
  { kind: 'room', id: 'cClaim', name: 'Claimant caucus', side: 'sClaim' },
  { kind: 'hearing', id: 'h1', name: 'Lam v. Chen' },
  { kind: 'document', id: 'd1', name: 'Expert report.pdf' },
]);
// Details as the services write them, for every action at once (each sentence takes its own).
const details = { from: 'plenary', to: 'cClaim', room: 'lobby', participant: 'pBo', peer: 'pBo', state: 'connected',
  seconds: 600, moved: 2, count: 3, mediator_name: 'Ms Anna Lee', on: true, start: 0, end: 99, reason: 'not allowed' };
const RESOURCES = { hearing: ['hearing', 'h1'], participant: ['participant', 'pAna'], room: ['room', 'cClaim'],
  document: ['document', 'd1'], auth: ['route', 'GET /api/v1/me'], account: ['account', 'acct1'],
  token: ['token', 'tok1'], audit: ['audit_log', 'events'] };
const entry = (action, outcome = 'allowed') => ({
  time: Date.UTC(2026, 10, 27, 4, 23), action, outcome, details,
  actor: { id: 'pAna', role: 'counsel', side: 'sClaim', kind: 'participant' },
  resource: { type: RESOURCES[action.split('.')[0]][0], id: RESOURCES[action.split('.')[0]][1] },
});

for (const lang of LANGUAGES) {
  test(`${lang}: every entry reads as a sentence, allowed, refused or failed, with the product's date`, async () => {
    await initI18n(lang);
    for (const action of ACTIONS) {
      for (const outcome of ['allowed', 'denied', 'failed']) {
        const text = describeEntry(entry(action, outcome), dir, 'UTC');
        assert.ok(!text.includes(action), `${lang} ${action} ${outcome}: the raw code shows: ${text}`);
        assert.ok(!/\{\w+\}|audit\.(verb|action|peer|room|resource)\./.test(text), `${lang} ${action} ${outcome}: ${text}`);
      }
    }
    const at = describeEntry(entry('document.download'), dir, 'UTC');
    // The product's own format (core/i18n.js formatDateTime): "27 Nov 2026, 04:23 (UTC)" in English.
    if (lang === 'en') assert.match(at, /, 27 Nov 2026, 04:23 \(UTC\)$/);
  });
}

test('a refused request is told as refused, once, with its reason', async () => {
  await initI18n('en');
  const refused = describeEntry({ ...entry('auth.denied', 'denied'), actor: { id: 'anonymous', kind: 'anonymous' },
    resource: { type: 'route', id: 'GET /api/v1/hearings' },
    details: { reason: 'hearings.list: sign-in required', method: 'GET', path: '/api/v1/hearings' } }, dir, 'UTC', { withTime: false });
  // The route in words (audit/routes.js), not its path.
  assert.equal(refused, 'Someone not signed in was refused: read the hearing list — sign-in was required');
  // A route without words is shown by its key.
  const other = describeEntry({ ...entry('auth.denied', 'denied'), resource: { type: 'route', id: 'GET /api/v1/audit/vkey' },
    details: { reason: 'sign-in required' } }, dir, 'UTC', { withTime: false });
  assert.equal(other, 'Ana Chen (counsel, Claimant) was refused GET /api/v1/audit/vkey — sign-in was required');
  // The signalling service records the refused command's message (shell.py `_refusal`).
  const move = describeEntry({ ...entry('room.move', 'denied'), resource: { type: 'hearing', id: 'h1' },
    details: { reason: "only this hearing's mediator may do that" } }, dir, 'UTC', { withTime: false });
  assert.equal(move, "Ana Chen (counsel, Claimant) was refused: Move someone (Lam v. Chen) — only the hearing's mediator may do that");
});

test('the rooms, the peer and the system actor are named', async () => {
  await initI18n('en');
  const plain = (e) => describeEntry(e, dir, 'UTC', { withTime: false });
  const ana = { type: 'participant', id: 'pAna' };
  assert.equal(plain({ ...entry('room.move'), resource: ana, actor: { id: 'acctMed', role: 'mediator' } }),
    'acctMed (mediator) moved Ana Chen from Plenary to Claimant caucus');
  assert.equal(plain({ ...entry('room.grace_expired'), resource: ana, actor: { id: 'signalling', kind: 'system' } }),
    'Ana Chen did not reconnect in time and was moved from Plenary to the waiting room');
  assert.equal(plain({ ...entry('room.peer_state'), resource: ana, details: { peer: 'pBo', state: 'failed', room: 'plenary' } }),
    'Ana Chen (counsel, Claimant) reported the call link to Bo Lam: failed');
  assert.equal(plain({ ...entry('room.knock'), resource: ana, details: { on: false } }), 'Ana Chen withdrew their knock');
  assert.equal(plain({ ...entry('hearing.lock'), actor: { id: 'acctMed', role: 'mediator' } }),
    'acctMed (mediator) locked the hearing Lam v. Chen: nobody new may come in');
  const runs = describeRun([entry('room.peer_state'), { ...entry('room.peer_state'), actor: { id: 'pBo' } }], dir);
  assert.equal(runs, '2 connection reports (who could hear whom) from Ana Chen, Bo Lam');
});

test("a hearing's new title and time read from what they were, each time in its own zone", async () => {
  await initI18n('en');
  const plain = (details) => describeEntry({ ...entry('hearing.details_change'), details,
    actor: { id: 'acctMed', role: 'mediator' } }, dir, 'UTC', { withTime: false });
  const hk = Date.UTC(2026, 11, 1, 1, 30); // 1 Dec 2026, 09:30 in Hong Kong
  const london = Date.UTC(2026, 11, 8, 10, 0);
  const moved = { scheduled_at: london, previous_scheduled_at: hk, time_zone: 'Europe/London', previous_time_zone: 'Asia/Hong_Kong' };
  assert.match(plain({ ...moved, title: 'Lam v. Chen (adjourned)', previous_title: 'Lam v. Chen' }),
    /^acctMed \(mediator\) renamed the hearing ‘Lam v\. Chen’ to ‘Lam v\. Chen \(adjourned\)’ and moved it from 1 Dec 2026, 09:30 \(.+\) to 8 Dec 2026, 10:00 \(.+\)$/);
  assert.equal(plain({ title: 'B', previous_title: 'A', invitations_extended: 0 }), 'acctMed (mediator) renamed the hearing ‘A’ to ‘B’');
  assert.match(plain(moved), /^acctMed \(mediator\) moved the hearing Lam v\. Chen from 1 Dec 2026, 09:30 .+ to 8 Dec 2026, 10:00 /);
  assert.match(plain({ ...moved, scheduled_at: null, time_zone: null }), / to no set time$/);
  assert.equal(plain({}), 'acctMed (mediator) changed the details of the hearing Lam v. Chen');
  // The start and its zone are recorded together when either changed: a zone changed alone
  // (the same instant) is no move, and says so.
  const tokyo = { scheduled_at: hk, previous_scheduled_at: hk, time_zone: 'Asia/Tokyo', previous_time_zone: 'Asia/Hong_Kong' };
  assert.match(plain(tokyo), /^acctMed \(mediator\) changed the hearing Lam v\. Chen to be read in Japan.* Time instead of Hong Kong.* Time; the start did not move \(1 Dec 2026, 10:30 \(GMT\+9\)\)$/);
  assert.match(plain({ ...tokyo, title: 'B', previous_title: 'A' }),
    /^acctMed \(mediator\) renamed the hearing ‘A’ to ‘B’, to be read in Japan.* instead of Hong Kong.*; the start did not move/);
  // A time changed in the same zone is a move, said as before.
  assert.match(plain({ ...tokyo, scheduled_at: hk + 3_600_000, previous_time_zone: 'Asia/Tokyo' }), /moved the hearing Lam v\. Chen from 1 Dec 2026, 10:30 .+ to 1 Dec 2026, 11:30 /);
  for (const lang of ['zh-Hant', 'zh-Hans']) {
    await initI18n(lang);
    const text = plain(tokyo);
    assert.ok(!/\{\w+\}/.test(text) && /Japan|日本/.test(text), `${lang}: ${text}`);
  }
  await initI18n('en');
});

test('a folded run reads earliest – latest to the second, whichever way the page is sorted', async () => {
  await initI18n('en');
  const { foldRuns } = await import('../../gateway/webclient/js/audit/paging.js');
const { runSpan } = await import('../../gateway/webclient/js/audit/results.js');
  const at = (h, m, sec = 0) => ({ ...entry('room.peer_state'), time: Date.UTC(2026, 10, 27, h, m, sec) });
  const oldestFirst = [at(6, 16, 5), at(6, 16, 40), at(6, 17, 2)].map((event, index) => ({ index, event }));
  const newestFirst = [...oldestFirst].reverse();  // the search's default order
  for (const rows of [oldestFirst, newestFirst]) {
    const [item] = foldRuns(rows);
    assert.equal(item.run.length, 3);
    const events = item.run.map((r) => r.event);
    assert.equal(runSpan(events, 'UTC'), '27 Nov 2026, 06:16:05 – 06:17:02 (UTC)');
    assert.match(runSpan(events, 'Asia/Hong_Kong'), /^27 Nov 2026, 14:16:05 – 14:17:02 \(.+\)$/);
  }
  // Newest first across midnight in Hong Kong (not in UTC): both ends in full there, earliest first.
  const night = [at(16, 5, 9), at(15, 55, 30)];
  assert.equal(runSpan(night, 'UTC'), '27 Nov 2026, 15:55:30 – 16:05:09 (UTC)');
  assert.match(runSpan(night, 'Asia/Hong_Kong'), /^27 Nov 2026, 23:55:30 \(.+\) – 28 Nov 2026, 00:05:09 \(.+\)$/);
  // Within one minute, seconds apart: both seconds, as the rows they fold give them.
  assert.equal(runSpan([at(6, 16, 1), at(6, 16, 59)], 'UTC'), '27 Nov 2026, 06:16:01 – 06:16:59 (UTC)');
  // Within one second: one time.
  assert.equal(runSpan([at(6, 16, 7), at(6, 16, 7)], 'UTC'), '27 Nov 2026, 06:16:07 (UTC)');
});

test("one person's listing read again at once is one row of its entries; anything else stays apart", async () => {
  await initI18n('en');
  const { foldRuns, REPEAT_MS } = await import('../../gateway/webclient/js/audit/paging.js');
  // The walkthrough's: Wong's page listed the documents twice within 4 ms, twice over (the
  // export's entries 105, 106 and 111, 112: two entries each, not one returned twice).
  const t0 = Date.UTC(2026, 10, 27, 17, 17, 22);
  const list = (index, time, extra = {}) => ({ index, event: { ...entry('document.list'), resource: { type: 'hearing', id: 'h1' },
    time, details: { count: 1 }, ...extra } });
  const bo = { id: 'pBo', role: 'party', side: 'sClaim', kind: 'participant' };
  const rows = [
    list(112, t0 + 3923), list(111, t0 + 3882), // newest first, as the search shows them
    list(110, t0 + 3870, { actor: bo }), // another person's: apart
    list(106, t0 + 4), list(105, t0),
    list(104, t0 - 500, { details: { count: 0 } }), // showed another number: apart
    list(90, t0 - 500 - REPEAT_MS - 1, { details: { count: 0 } }), // over a second before: apart
  ];
  const items = foldRuns(rows);
  assert.deepEqual(items.map((i) => (i.repeat ? i.repeat.map((r) => r.index) : i.index)), [[112, 111], 110, [106, 105], 104, 90]);
  assert.deepEqual(foldRuns(rows, false).map((i) => (i.repeat ? 'r' : i.index)), ['r', 110, 'r', 104, 90]);
  // A refused listing is its own line.
  assert.equal(foldRuns([list(2, t0 + 1, { outcome: 'denied' }), list(1, t0)]).length, 2);
  // Every entry is in exactly one row.
  assert.deepEqual(items.flatMap((i) => (i.repeat ?? [i]).map((r) => r.index)).sort(), rows.map((r) => r.index).sort());
  assert.equal(t('audit.repeat.times', { count: 2 }), ', 2 times within a second');
});

test("a document's list of versions is told as such, a look-up of its record as no more", async () => {
  await initI18n('en');
  const plain = (e) => describeEntry(e, dir, 'UTC', { withTime: false });
  const view = { ...entry('document.view'), details: { version: 'v2', filename: 'Expert report.pdf' } };
  // `document.view` is the document's record (GET …/documents/{d}); its contents, whether shown
  // in the page or saved, are a `document.download`: the sentence does not say "viewed".
  assert.match(plain(view), /^Ana Chen \(counsel, Claimant\) looked up \W?Expert report\.pdf\W? \(its details, not its contents\)$/);
  // The list of versions: its own action now (`document.versions_list`); before it, a
  // `document.view` with `versions` in its details. Both read alike.
  const listed = /^Ana Chen \(counsel, Claimant\) listed the versions of \W?Expert report\.pdf\W? \(2 shown\)$/;
  assert.match(plain({ ...view, details: { ...view.details, versions: 2 } }), listed);
  assert.match(plain({ ...view, action: 'document.versions_list', details: { ...view.details, versions: 2 } }), listed);
  await initI18n('zh-Hant');
  assert.match(plain({ ...view, details: { ...view.details, versions: 2 } }), /列出了 .+ 的版本（顯示 2 個）$/);
  assert.match(plain({ ...view, action: 'document.versions_list', details: { ...view.details, versions: 2 } }),
    /列出了 .+ 的版本（顯示 2 個）$/);
});

test('a read of the contents says whether it was opened in the page or downloaded', async () => {
  const read = (purpose) => ({ ...entry('document.download'), details: {
    filename: 'Expert report.pdf', version: 'v1', start: 0, end: 686, size: 686, ...(purpose ? { purpose } : {}) } });
  const plain = (e) => describeEntry(e, dir, 'UTC', { withTime: false });
  await initI18n('en');
  assert.match(plain(read('view')), /^Ana Chen \(counsel, Claimant\) opened \W?Expert report\.pdf\W? in the page, the whole document/);
  assert.match(plain(read('download')), /^Ana Chen \(counsel, Claimant\) downloaded \W?Expert report\.pdf\W?, the whole document/);
  // Entries from before the purpose was recorded (and API clients that state none): downloads.
  assert.equal(plain(read(null)), plain(read('download')));
  for (const [lang, opened, downloaded] of [['zh-Hans', '在页面中打开了', '下载了'], ['zh-Hant', '在頁面中開啟了', '下載了']]) {
    await initI18n(lang);
    assert.ok(plain(read('view')).includes(opened) && !plain(read('view')).includes(downloaded), plain(read('view')));
    assert.ok(plain(read('download')).includes(downloaded) && !plain(read('download')).includes(opened));
  }
});

test('a refused read says what it was for, as the read it refused would have', async () => {
  // As services/evidence/decisions.py `_deny` records a refused `download_begin`: the evidence
  // action, the reason, and the purpose the caller declared (on the document, or on the
  // hearing when the caller was no member of it).
  const refused = (purpose, resource = { type: 'document', id: 'd1' }) => ({ ...entry('document.denied', 'denied'), resource,
    details: { action: 'download', reason: 'not visible', ...(purpose ? { purpose } : {}) } });
  const plain = (e) => describeEntry(e, dir, 'UTC', { withTime: false });
  await initI18n('en');
  const why = "the document's compartment, or their place in the hearing, did not allow it";
  assert.equal(plain(refused('view')), `Ana Chen (counsel, Claimant) was refused access to ‘Expert report.pdf’, to open in the page — ${why}`);
  assert.equal(plain(refused('download')), `Ana Chen (counsel, Claimant) was refused access to ‘Expert report.pdf’, to download — ${why}`);
  assert.match(plain(refused('view', { type: 'hearing', id: 'h1' })), /refused access to .*Lam v\. Chen.*, to open in the page — /);
  // Entries from before the purpose was recorded, and refusals of anything else: access, no more.
  assert.equal(plain(refused(null)), `Ana Chen (counsel, Claimant) was refused access to ‘Expert report.pdf’ — ${why}`);
  assert.equal(plain(refused('something new')), plain(refused(null)));
  for (const [lang, opened, downloaded] of [['zh-Hans', '在页面中打开', '下载'], ['zh-Hant', '在頁面中開啟', '下載']]) {
    await initI18n(lang);
    const [view, download, older] = [plain(refused('view')), plain(refused('download')), plain(refused(null))];
    assert.ok(view.includes(opened) && !view.includes(downloaded), view);
    assert.ok(download.includes(downloaded) && !download.includes(opened), download);
    assert.ok(!older.includes(opened) && !older.includes(downloaded), older);
  }
});

// ---------------------------------------------------------------- downloads and versions

test('a download says its bytes as recorded: the end is exclusive, the whole document said so', async () => {
  await initI18n('en');
  const { versionBook } = await import('../../gateway/webclient/js/audit/versions.js');
  const plain = (e, options = {}) => describeEntry(e, dir, 'UTC', { withTime: false, ...options });
  // As services/evidence/decisions.py `download_begin` records it (ranges.py: `end` exclusive).
  const got = (details) => plain({ ...entry('document.download'), details: { filename: 'Expert report.pdf', version: 'v1', ...details } });
  assert.equal(got({ start: 0, end: 686, size: 686 }), 'Ana Chen (counsel, Claimant) downloaded ‘Expert report.pdf’, the whole document (686 bytes)');
  assert.equal(got({ start: 0, end: 100, size: 686 }), 'Ana Chen (counsel, Claimant) downloaded ‘Expert report.pdf’, bytes 0–99 of 686');
  assert.equal(got({ start: 600, end: 686, size: 686 }), 'Ana Chen (counsel, Claimant) downloaded ‘Expert report.pdf’, bytes 600–685 of 686');
  assert.equal(got({ start: 0, end: 1, size: 1 }), 'Ana Chen (counsel, Claimant) downloaded ‘Expert report.pdf’, the whole document (1 byte)');
  assert.equal(got({ start: 10, end: 20 }), 'Ana Chen (counsel, Claimant) downloaded ‘Expert report.pdf’, bytes 10–19');
  assert.equal(got({}), 'Ana Chen (counsel, Claimant) downloaded ‘Expert report.pdf’');

  // Versions numbered by the document's uploads in the log; a failed commit is no version.
  const upload = (index, version, outcome = 'allowed') => ({ index, event: { ...entry('document.upload', outcome), details: { version, compartment: 'joint' } } });
  const book = versionBook([upload(10, 'v1'), upload(20, 'v9', 'allowed'), upload(21, 'v9', 'failed'), upload(30, 'v2')]);
  const download = (version, index) => plain({ ...entry('document.download'), details: { version, start: 0, end: 686, size: 686 } }, { versions: book, index });
  assert.equal(download('v1', 40), 'Ana Chen (counsel, Claimant) downloaded ‘Expert report.pdf’ (version 1 of 2), the whole document (686 bytes)');
  assert.equal(download('v2', 40), 'Ana Chen (counsel, Claimant) downloaded ‘Expert report.pdf’ (version 2 of 2), the whole document (686 bytes)');
  assert.equal(download('v1', 15), 'Ana Chen (counsel, Claimant) downloaded ‘Expert report.pdf’ (version 1, the only one then), the whole document (686 bytes)');
  assert.equal(download('v9', 40), 'Ana Chen (counsel, Claimant) downloaded ‘Expert report.pdf’, the whole document (686 bytes)');
  assert.equal(download('vUnknown', 40), download('v9', 40)); // not in the log: the id stays on the entry's page
  assert.equal(plain({ ...upload(30, 'v2').event }, { versions: book, index: 30 }),
    'Ana Chen (counsel, Claimant) uploaded ‘Expert report.pdf’ (version 2 of 2) to Joint');
  // A document of one version is not told "version 1 of 1".
  const single = versionBook([upload(10, 'v1')]);
  assert.equal(plain({ ...entry('document.download'), details: { version: 'v1', start: 0, end: 5, size: 5 } }, { versions: single, index: 12 }),
    'Ana Chen (counsel, Claimant) downloaded ‘Expert report.pdf’, the whole document (5 bytes)');
  await initI18n('zh-Hant');
  assert.match(download('v1', 40), /（第 1 版，共 2 版），整份文件（686 位元組）$/);
  await initI18n('zh-Hans');
  assert.match(plain({ ...entry('document.download'), details: { start: 0, end: 100, size: 686 } }), /，第 0–99 字节（共 686 字节）$/);
});

// ---------------------------------------------------------------- sides, as they were called

test("a side's entries name it as it was called then, and say what a rename changed", async () => {
  await initI18n('en');
  // The directory knows the side by its latest name only.
  const now = directory([{ kind: 'side', id: 'sClaim', name: 'Claimant (Chan Tai Man)' }, { kind: 'hearing', id: 'h1', name: 'Lam v. Chen' }]);
  const med = { id: 'acctMed', role: 'mediator' };
  const side = (action, details) => describeEntry({ time: 0, action, outcome: 'allowed', actor: med, details,
    resource: { type: 'side', id: 'sClaim' } }, now, 'UTC', { withTime: false });
  // As services/signalling/sides.py records them.
  assert.equal(side('hearing.side_add', { name: 'Claimant', colour: 'e' }),
    'acctMed (mediator) added the side ‘Claimant’, in ochre (now called ‘Claimant (Chan Tai Man)’)');
  assert.equal(side('hearing.side_rename', { name: 'Claimant (Chan Tai Man)', colour: 'e', previous_name: 'Claimant', previous_colour: 'e', caucuses_renamed: 1 }),
    'acctMed (mediator) renamed the side ‘Claimant’ to ‘Claimant (Chan Tai Man)’');
  assert.equal(side('hearing.side_rename', { name: 'Claimant (Chan Tai Man)', colour: 'd', previous_name: 'Claimant (Chan Tai Man)', previous_colour: 'b' }),
    'acctMed (mediator) changed the colour of the side ‘Claimant (Chan Tai Man)’ from rust to purple');
  assert.equal(side('hearing.side_rename', { name: 'Claimant X', colour: 'd', previous_name: 'Claimant', previous_colour: 'e' }),
    'acctMed (mediator) renamed the side ‘Claimant’ to ‘Claimant X’ and changed its colour from ochre to purple (now called ‘Claimant (Chan Tai Man)’)');
  assert.equal(side('hearing.side_rename', {}), 'acctMed (mediator) changed the name or colour of the side ‘Claimant (Chan Tai Man)’');
  assert.equal(side('hearing.side_remove', { name: 'Claimant (Chan Tai Man)', colour: 'e' }), 'acctMed (mediator) removed the side ‘Claimant (Chan Tai Man)’');
  await initI18n('zh-Hant');
  assert.equal(side('hearing.side_add', { name: 'Claimant', colour: 'e' }),
    'acctMed（調解員） 新增了一方 「Claimant」，顏色為赭黃色（現稱「Claimant (Chan Tai Man)」）');
  assert.equal(side('hearing.side_rename', { name: 'Claimant (Chan Tai Man)', colour: 'd', previous_name: 'Claimant (Chan Tai Man)', previous_colour: 'b' }),
    'acctMed（調解員） 將一方 「Claimant (Chan Tai Man)」 的顏色由赭紅色改為紫色');
});

test("a caucus timer reads as set, added to or cleared, in every language", async () => {
  const timer = (details) => describeEntry({ ...entry('room.timer'), details,
    actor: { id: 'acctMed', role: 'mediator' } }, dir, 'UTC', { withTime: false });
  await initI18n('en');
  assert.equal(timer({ seconds: 1200 }), 'acctMed (mediator) set a timer of 20 minutes in Claimant caucus');
  // "Add 5 minutes": the server adds to the deadline it holds (`left`: what is left after).
  assert.equal(timer({ seconds: 300, added: true, left: 1500 }), 'acctMed (mediator) added 5 minutes to the timer in Claimant caucus');
  assert.equal(timer({ seconds: 0 }), 'acctMed (mediator) cleared the timer in Claimant caucus');
  for (const [lang, added] of [['zh-Hans', '的计时延长了 5 分钟'], ['zh-Hant', '的計時延長了 5 分鐘']]) {
    await initI18n(lang);
    assert.ok(timer({ seconds: 300, added: true, left: 1500 }).endsWith(added), lang);
  }
  await initI18n('en');
});
