// Every reason a service records for a refusal or a failure (`details.reason`) reads as words in
// every language, never as the recorded code or English message. The reasons are read from the
// Python sources themselves (the places audit/reasons.js names), so a service that starts
// recording a new one fails here until the auditor's screens can say it.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { useCatalogueFiles } from './catalogues.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LANGUAGES = ['en', 'zh-Hant', 'zh-Hans'];
const catalogue = (lang) => JSON.parse(readFileSync(join(ROOT, 'gateway/webclient/i18n', lang, 'audit.json'), 'utf8'));
const read = (path) => readFileSync(join(ROOT, path), 'utf8');

useCatalogueFiles();

const { REASON_KEYS, reasonKey } = await import('../../gateway/webclient/js/audit/reasons.js');
const { ACTIONS } = await import('../../gateway/webclient/js/audit/actions.js');
const { initI18n } = await import('../../gateway/webclient/js/core/i18n.js');
const { describeEntry } = await import('../../gateway/webclient/js/audit/describe.js');
const { directory } = await import('../../gateway/webclient/js/audit/labels.js');

function pythonSources(top) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = join(dir, name);
      if (name === 'tests' || name.startsWith('.') || name === '__pycache__') continue;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (name.endsWith('.py')) out.push(path);
    }
  };
  walk(top);
  return out;
}

const literals = (text, pattern) => [...text.matchAll(pattern)].map((m) => m[1]);

/** [action or null, reason] for every reason the services can record, by where they record it. */
function recordedReasons() {
  const out = [];
  const add = (action, reasons) => reasons.forEach((reason) => out.push([action, reason]));
  for (const path of [...pythonSources('services'), ...pythonSources('gateway'), ...pythonSources('parley')]) {
    const text = read(path);
    // A literal in the details ({"reason": "locked"}, {"reason": reason or "not visible"}).
    add(null, literals(text, /"reason":\s*"([^"]+)"/g));
    add(null, literals(text, /"reason":\s*\w+ or "([^"]+)"/g));
    // A refusal the gateway counts per source (denials.refused(…, reason="too many requests")).
    add(null, literals(text, /\.refused\([^)]*?\breason="([^"]+)"/gs));
  }
  // Evidence's refusals: `_deny(…, "<message>", "<reason>"[, asked=…])` records the reason, else "not visible".
  add('document.denied', literals(read('services/evidence/decisions.py'), /_deny\((?:[^()]|\([^()]*\))*?"[^"]*",\s*"([^"]+)"(?:,\s*\w+=\w+)*\)/gs));
  // The signalling service records the message of a refused command (shell.py `_refusal`:
  // Forbidden, Unauthenticated, RateLimited). The tech check's refusals answer a WebRTC offer
  // and are not audited (techcheck_admission.py).
  for (const path of pythonSources('services/signalling').filter((p) => !p.endsWith('techcheck_admission.py'))) {
    add(null, literals(read(path), /\b(?:Forbidden|Unauthenticated|RateLimited)\(\s*"([^"]+)"/g));
  }
  add(null, literals(read('services/signalling/invitations.py'), /_INVALID\s*=\s*"([^"]+)"/g));
  // The gateway records the message of a refused invitation (api/hearings.py): any error the
  // signalling service's redemption raises (core.py `_redeem`, invitations.py).
  const redeem = read('services/signalling/core.py').split('def _redeem')[1].split('\ndef ')[0];
  add('participant.redeem', literals(redeem, /\b(?:Conflict|Unauthenticated|RateLimited|Forbidden)\(\s*"([^"]+)"/g));
  // Sign-in: the identity errors' messages (api/auth.py records a RateLimited's message) and
  // the two reasons it writes itself.
  const errors = read('gateway/identity/errors.py');
  for (const cls of ['RateLimited', 'LockedOut', 'CsrfFailed']) {
    add(null, literals(errors, new RegExp(`class ${cls}\\b[^]*?default_message = "([^"]+)"`, 'g')));
  }
  add('auth.signin', [...read('gateway/api/auth.py').matchAll(/reason = "([^"]+)" if [^"]+ else "([^"]+)"/g)].flatMap((m) => [m[1], m[2]]));
  // The access rules' refusals ("<rule>: …", gateway/identity/policy.py), with a rule name.
  for (const tail of literals(read('gateway/identity/policy.py'), /Decision\(False, f"\{rule\.name\}: ([^"]+)"/g)) {
    add('auth.denied', [`audit.read: ${tail.replace('{wanted}', 'staff[auditor]')}`]);
  }
  // An administrator change refused for locking everyone out (accounts.AdminRefusal values).
  const refusals = read('gateway/identity/accounts.py').split('class AdminRefusal')[1].split('\n\n\n')[0];
  add('account.update', literals(refusals, /= "([^"]+)"/g));
  // Unusable stored records (manifest.py, manifest_store.py) and the hearing's key record.
  add('document.manifest_rejected', literals(read('services/evidence/manifest.py'), /ManifestError\("(\w+)"/g));
  add('document.manifest_rejected', literals(read('services/evidence/manifest_store.py'), /Rejected\([^)]*"(\w+)"\)/g));
  return out;
}

test('every reason the services record is one the screens can say', () => {
  const found = recordedReasons();
  assert.ok(found.length > 40, `only ${found.length} reasons found: the patterns no longer match the services`);
  // What the patterns must keep finding (each of the ways above), so a moved source is noticed.
  for (const reason of ['locked', 'access_code', 'missing', 'not visible', 'hearing_key', 'too many requests', 'wrong code',
    'the hearing is locked: nobody new is admitted', "only this hearing's mediator may do that", 'invalid credentials',
    'code reused', 'last_admin', 'authentication', 'missing or invalid CSRF token', 'audit.read: sign-in required']) {
    assert.ok(found.some(([, r]) => r === reason), `the sources no longer show the reason ${reason}`);
  }
  // A reason found with no action to tell it by counts if some action says it.
  const unknown = found.filter(([action, reason]) => (action ? [action] : ACTIONS).every((a) => reasonKey(a, reason) === null));
  assert.deepEqual(unknown, [], 'a reason with no words: add it to audit/reasons.js and audit.json');
});

test('a reason that depends on the action is read for that action only', () => {
  assert.equal(reasonKey('document.integrity_failure', 'hearing_key'), 'hearing_key_record');
  assert.equal(reasonKey('document.manifest_rejected', 'hearing_key'), 'record_other_key');
  assert.equal(reasonKey('auth.denied', 'format'), null);
  assert.equal(reasonKey('auth.denied', 'hearings.create: requires staff[mediator,admin]'), 'role_required');
  assert.equal(reasonKey('auth.denied', 'requires nothing: a message that merely starts so'), null);
  assert.equal(reasonKey('audit.intake_rejected', 'Expected `object`, got `str`'), null);
});

test('every reason has its words in every language', () => {
  for (const lang of LANGUAGES) {
    const messages = catalogue(lang);
    for (const key of [...REASON_KEYS, 'unknown']) assert.ok(messages[`audit.why.${key}`], `${lang}: no words for ${key}`);
  }
});

const dir = directory([
  { kind: 'person', id: 'pBo', name: 'Bo Lam', role: 'party', side: 'sClaim' },
  { kind: 'side', id: 'sClaim', name: 'Claimant' },
  { kind: 'hearing', id: 'h1', name: 'Lam v. Chen' },
]);
const anonymous = { id: 'anonymous', kind: 'anonymous' };
// A locked hearing turns an invitation away: one entry from the signalling service (whose
// invitation), one from the gateway (from where), as services/signalling/core.py and
// gateway/api/hearings.py write them.
const locked = [
  { time: Date.UTC(2026, 10, 27, 0, 51), action: 'participant.redeem', outcome: 'denied', actor: anonymous, hearing: 'h1',
    service: 'signalling', resource: { type: 'invitation', id: 'inv1' }, details: { participant: 'pBo', reason: 'locked' } },
  { time: Date.UTC(2026, 10, 27, 0, 51), action: 'participant.redeem', outcome: 'denied', actor: anonymous, service: 'gateway',
    resource: { type: 'invitation', id: 'redeem' },
    details: { reason: 'the hearing is locked: nobody new is admitted', address: 'addr:2026-11:4be1c0d29a7f3e5b8c61', kind: 'redeem.conflict' } },
];

for (const lang of LANGUAGES) {
  test(`${lang}: a refusal says why in words, never the recorded code`, async () => {
    await initI18n(lang);
    const plain = (e) => describeEntry(e, dir, 'UTC', { withTime: false });
    const [core, gateway] = locked.map(plain);
    const words = catalogue(lang)['audit.why.hearing_locked'];
    for (const text of [core, gateway]) {
      assert.ok(text.endsWith(words), `${lang}: ${text}`);
      assert.ok(!/—+ ?locked$|\baccess_code\b|\bredeem\.|\bconflict\b/.test(text), text);
      // In Chinese, no English at all but the names.
      if (lang !== 'en') assert.ok(!/[A-Za-z]{3,}/.test(text.replace('Bo Lam', '')), text);
    }
    assert.ok(core.includes('Bo Lam'), core); // whose invitation
    // From where: the address's pseudonym, short, as words say it (the entry's page shows it
    // whole), and no aside about the gateway.
    assert.ok(gateway.includes('4be1c0…') && !gateway.includes('addr:') && !gateway.includes('4be1c0d'), gateway);
    assert.notEqual(core, gateway);
    // A reason no sentence can say points to the details instead of showing itself.
    const odd = plain({ ...locked[1], details: { ...locked[1].details, reason: 'Object missing required field `token`' } });
    assert.ok(odd.endsWith(catalogue(lang)['audit.why.unknown']), odd);
    assert.ok(!odd.includes('token'), odd);
    const code = plain({ ...locked[0], details: { participant: 'pBo', reason: 'access_code' } });
    assert.ok(code.endsWith(catalogue(lang)['audit.why.access_code']) && !code.includes('access_code'), code);
  });
}

test('en: the two records of one locked-out join say which is which', async () => {
  await initI18n('en');
  const [core, gateway] = locked.map((e) => describeEntry(e, dir, 'UTC', { withTime: false }));
  assert.equal(core, 'Someone not signed in was refused the invitation for Bo Lam — the hearing was locked: nobody new could join');
  assert.equal(gateway, 'Someone not signed in, from a network address (pseudonym 4be1c0…), was refused an invitation'
    + ' — the hearing was locked: nobody new could join');
});
