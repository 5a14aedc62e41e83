// A document's report: which of its hearing's listings may have shown it (audit/listings.js),
// where it was kept, and its compartments by name (audit/describe.js compartmentLabel) in the
// upload and release sentences, in all three languages.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useCatalogueFiles } from './catalogues.mjs';

import { byLister, canRead, compartmentHistory, documentListings } from '../../gateway/webclient/js/audit/listings.js';

// The catalogues through the client's own loader (it fetches them next to the module).
useCatalogueFiles();
const { initI18n } = await import('../../gateway/webclient/js/core/i18n.js');
const { compartmentLabel, directory } = await import('../../gateway/webclient/js/audit/labels.js');
const { describeEntry } = await import('../../gateway/webclient/js/audit/describe.js');

const DOC = 'dSettle';
let clock = 0;
const row = (index, action, actor, details = {}, outcome = 'allowed') => ({
  index,
  event: { time: 1_764_000_000_000 + 60_000 * (clock += 1), action, outcome, actor, details, hearing: 'h1',
    resource: action === 'document.list' ? { type: 'hearing', id: 'h1' } : { type: 'document', id: DOC } },
});
const ana = { id: 'pAna', role: 'counsel', side: 'sClaim' };
const bo = { id: 'pBo', role: 'party', side: 'sClaim' };
const cy = { id: 'pCy', role: 'counsel', side: 'sResp' };
const med = { id: 'acctMed', role: 'mediator' };
const obs = { id: 'pObs', role: 'observer' };
const list = (index, actor, count = 2) => row(index, 'document.list', actor, { count });

test('the compartment rules are those of the evidence service', () => {
  const cases = [
    ['joint', [ana, cy, med, obs], []],
    ['side:sClaim', [ana, bo], [cy, med, obs]],
    ['confidential:sClaim', [ana, bo, med], [cy, obs]],
    ['mediator', [med], [ana, cy, obs]],
  ];
  for (const [compartment, yes, no] of cases) {
    for (const actor of yes) assert.equal(canRead(actor, compartment), true, `${actor.id} ${compartment}`);
    for (const actor of no) assert.equal(canRead(actor, compartment), false, `${actor.id} ${compartment}`);
  }
  for (const unknown of [undefined, '', 'side:', 'side', 'joint:x', 'confidential:a:b', 'secret']) {
    assert.equal(canRead(ana, unknown), null, String(unknown));
  }
});

test('listings before the upload, hidden by the compartment, or empty are left out; the rest may have shown it', () => {
  const documentRows = [
    row(10, 'document.upload', ana, { compartment: 'side:sClaim', version: 'v1' }),
    row(20, 'document.release', ana, { compartment: 'side:sClaim', to: 'confidential:sClaim' }),
    row(30, 'document.release', ana, { compartment: 'confidential:sClaim', to: 'joint' }),
    row(15, 'document.download', bo, { start: 0, end: 9 }),
  ];
  const listings = [
    list(5, cy), // before it was stored
    list(11, ana), // its side: may
    list(12, cy), // the other side, while it was the Claimant's only: cannot
    list(13, med), // not even the mediator sees a side's own documents
    list(14, bo, 0), // showed nothing
    list(21, med), // shared with the mediator in confidence: may
    list(22, cy), // still not the other side
    list(31, cy), // joint: may
    list(32, obs), // joint, an observer admitted: may
    list(33, ana),
    row(34, 'document.list', cy, { count: 3 }, 'denied'), // a refused listing listed nothing
  ];
  const story = documentListings(documentRows, listings);
  assert.deepEqual(story.may.map((m) => [m.index, m.compartment]),
    [[11, 'side:sClaim'], [21, 'confidential:sClaim'], [31, 'joint'], [32, 'joint'], [33, 'joint']]);
  assert.deepEqual([story.before, story.hidden, story.empty, story.first], [1, 3, 1, 10]);
  assert.deepEqual(byLister(story.may).map((p) => [p.actor.id, p.rows.length]), [['pAna', 2], ['acctMed', 1], ['pCy', 1], ['pObs', 1]]);
  const anaRows = byLister(story.may)[0];
  assert.ok(anaRows.first < anaRows.last);
  assert.deepEqual(compartmentHistory(documentRows).map((s) => [s.compartment, s.index, s.action]),
    [['side:sClaim', 10, 'document.upload'], ['confidential:sClaim', 20, 'document.release'], ['joint', 30, 'document.release']]);
});

test('a failed commit ends the document until another version is stored; an unrecorded compartment rules nothing out', () => {
  const documentRows = [
    row(10, 'document.upload', med, { compartment: 'mediator', version: 'v1' }),
    row(12, 'document.upload', med, { compartment: 'mediator', version: 'v1' }, 'failed'),
    row(20, 'document.upload', med, { version: 'v2' }), // no compartment recorded: the last one known
  ];
  const story = documentListings(documentRows, [list(11, med), list(11.5, ana), list(13, med), list(21, med), list(22, cy)]);
  assert.deepEqual(story.may.map((m) => m.index), [11, 21]);
  assert.deepEqual([story.before, story.hidden], [1, 2]);
  const unknown = documentListings([row(1, 'document.upload', ana, { version: 'v1' })], [list(2, cy)]);
  assert.deepEqual(unknown.may.map((m) => [m.index, m.compartment]), [[2, null]]);
  assert.deepEqual(documentListings([], [list(1, ana)]), { may: [], before: 1, hidden: 0, empty: 0, first: null });
});

test('compartments are named as people know them, in every language', async () => {
  const dir = directory([{ kind: 'side', id: 'sClaim', name: 'Claimant' }, { kind: 'document', id: DOC, name: 'Offer.pdf' },
    { kind: 'person', id: 'pAna', name: 'Ana Chen', role: 'counsel', side: 'sClaim' }]);
  const upload = row(1, 'document.upload', ana, { compartment: 'side:sClaim', version: 'v1' }).event;
  const release = row(2, 'document.release', ana, { compartment: 'side:sClaim', to: 'confidential:sClaim' }).event;
  const joint = row(3, 'document.release', ana, { compartment: 'side:sClaim', to: 'joint' }).event;
  const expected = {
    en: ['Joint', 'Claimant only', 'Claimant, shared with the mediator in confidence', "the mediator's notes",
      'Ana Chen (counsel, Claimant) uploaded ‘Offer.pdf’ to Claimant only',
      'Ana Chen (counsel, Claimant) released ‘Offer.pdf’ from Claimant only to Claimant, shared with the mediator in confidence',
      'Ana Chen (counsel, Claimant) released ‘Offer.pdf’ from Claimant only to Joint'],
    'zh-Hant': ['共同', '只限Claimant', 'Claimant（保密提供給調解員）', '調解員的筆記',
      'Ana Chen（代表律師，Claimant） 上載了 「Offer.pdf」，存放於：只限Claimant',
      'Ana Chen（代表律師，Claimant） 保密地與調解員分享了 「Offer.pdf」，存放範圍由「只限Claimant」改為「Claimant（保密提供給調解員）」',
      'Ana Chen（代表律師，Claimant） 分享了 「Offer.pdf」，存放範圍由「只限Claimant」改為「共同」'],
    'zh-Hans': ['共同', '仅限Claimant', 'Claimant（保密提供给调解员）', '调解员的笔记',
      'Ana Chen（代理律师，Claimant） 上传了 “Offer.pdf”，存放于：仅限Claimant',
      'Ana Chen（代理律师，Claimant） 保密地与调解员共享了 “Offer.pdf”，存放范围由“仅限Claimant”改为“Claimant（保密提供给调解员）”',
      'Ana Chen（代理律师，Claimant） 共享了 “Offer.pdf”，存放范围由“仅限Claimant”改为“共同”'],
  };
  // A release is a share, in the participants' own words (與調解員分享, 与调解员共享), and a share
  // with the mediator in confidence says so: never 公開/公开, "made public".
  for (const [lang, [jointName, side, confidential, mediator, uploaded, released, releasedJoint]] of Object.entries(expected)) {
    await initI18n(lang);
    assert.deepEqual(['joint', 'side:sClaim', 'confidential:sClaim', 'mediator'].map((c) => compartmentLabel(dir, c)),
      [jointName, side, confidential, mediator], lang);
    assert.equal(compartmentLabel(dir, 'side:sGone'), lang === 'en' ? 'sGone only' : lang === 'zh-Hant' ? '只限sGone' : '仅限sGone');
    assert.equal(compartmentLabel(dir, 'weird'), 'weird');
    assert.equal(describeEntry(upload, dir, 'UTC', { withTime: false }), uploaded, lang);
    assert.equal(describeEntry(release, dir, 'UTC', { withTime: false }), released, lang);
    assert.equal(describeEntry(joint, dir, 'UTC', { withTime: false }), releasedJoint, lang);
  }
});
