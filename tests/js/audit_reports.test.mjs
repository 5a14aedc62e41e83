// The auditor's reports: documents of one name told apart by their first uploads
// (audit/origins.js), versions numbered whatever the filter found the entries (data.js
// versionLedger), where each version was kept (listings.js compartmentHistory), a hearing's life
// (audit/hearing-life.js) and time ranges to the second, the day once (describe.js timeRange).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useCatalogueFiles } from './catalogues.mjs';

useCatalogueFiles();
const { initI18n } = await import('../../gateway/webclient/js/core/i18n.js');
const { dateTimeSeconds, timeRange } = await import('../../gateway/webclient/js/audit/times.js');
const { describeEntry } = await import('../../gateway/webclient/js/audit/describe.js');
const { directory } = await import('../../gateway/webclient/js/audit/labels.js');
const { documentOrigins, documentsNamed, originText } = await import('../../gateway/webclient/js/audit/origins.js');
const { versionLedger } = await import('../../gateway/webclient/js/audit/data.js');
const { compartmentHistory } = await import('../../gateway/webclient/js/audit/listings.js');
const { detailsHistory, hearingLife, zoneOnly } = await import('../../gateway/webclient/js/audit/hearing-life.js');

const T0 = Date.UTC(2026, 10, 27, 10, 39, 0); // 18:39 in Hong Kong
const ana = { id: 'pAna', role: 'counsel', side: 'sClaim' };
const med = { id: 'acctMed', role: 'mediator' };
const dir = directory([
  { kind: 'person', id: 'pAna', name: 'Ana Chen', role: 'counsel', side: 'sClaim' },
  { kind: 'person', id: 'acctMed', name: 'Ms Lee', role: 'mediator' },
  { kind: 'side', id: 'sClaim', name: 'Claimant' },
  { kind: 'document', id: 'dA', name: 'Settlement offer.pdf' },
  { kind: 'document', id: 'dM', name: 'Settlement offer.pdf' },
]);
const row = (index, action, actor, document, details = {}, outcome = 'allowed') => ({
  index, event: { time: T0 + index * 1000, action, outcome, actor, hearing: 'h1', details, resource: { type: 'document', id: document } },
});

test('documents of one name: all are offered, each told by who first uploaded it and when', async () => {
  await initI18n('en');
  const found = [{ kind: 'document', id: 'dA', name: 'Settlement offer.pdf' }, { kind: 'document', id: 'dM', name: 'settlement OFFER.pdf' },
    { kind: 'document', id: 'dX', name: 'Settlement offer.pdf (2)' }];
  assert.deepEqual(documentsNamed(found, 'Settlement offer.pdf').map((d) => d.id), ['dA', 'dM']);
  assert.deepEqual(documentsNamed(found, 'offer').map((d) => d.id), ['dA', 'dM', 'dX']);
  const origins = documentOrigins([
    row(5, 'document.upload', med, 'dM', { compartment: 'joint', version: 'm1' }),
    row(2, 'document.upload', ana, 'dA', { compartment: 'side:sClaim', version: 'v1' }, 'denied'),
    row(3, 'document.upload', ana, 'dA', { compartment: 'side:sClaim', version: 'v1' }),
    row(4, 'document.upload', ana, 'dA', { compartment: 'side:sClaim', version: 'v2' }),
  ]);
  assert.equal(origins.get('dA').index, 3);
  const zone = 'Asia/Hong_Kong';
  assert.equal(originText(dir, origins.get('dA'), zone), 'first uploaded by Ana Chen (counsel, Claimant), 27 Nov 2026, 18:39 (GMT+8)');
  assert.equal(originText(dir, origins.get('dM'), zone), 'first uploaded by Ms Lee (mediator), 27 Nov 2026, 18:39 (GMT+8)');
  assert.equal(originText(dir, undefined, zone), 'the log holds no upload of it');
});

test("a person's entries number the versions: the ledger reads the uploads of their hearings once", async () => {
  await initI18n('en');
  const uploads = [row(1, 'document.upload', ana, 'dA', { version: 'v1', compartment: 'side:sClaim' }),
    row(3, 'document.upload', ana, 'dA', { version: 'v2', compartment: 'side:sClaim' })];
  const reads = [];
  const ledger = versionLedger(async (filter) => { reads.push(filter); return { rows: uploads.filter((r) => r.event.action === filter.action) }; });
  const mine = [...uploads, row(4, 'document.download', ana, 'dA', { version: 'v1', start: 0, end: 10, size: 10 })];
  await ledger.prepare(mine);
  await ledger.prepare(mine);
  assert.deepEqual(reads, [{ hearing: 'h1', action: 'document.upload', order: 'asc' },
    { hearing: 'h1', action: 'document.release', order: 'asc' }]);
  const said = mine.map((r) => describeEntry(r.event, dir, 'UTC', { withTime: false, versions: ledger.book, index: r.index }));
  assert.deepEqual(said, [
    'Ana Chen (counsel, Claimant) uploaded ‘Settlement offer.pdf’ (version 1, the only one then) to Claimant only',
    'Ana Chen (counsel, Claimant) uploaded ‘Settlement offer.pdf’ (version 2 of 2) to Claimant only',
    'Ana Chen (counsel, Claimant) downloaded ‘Settlement offer.pdf’ (version 1 of 2), the whole document (10 bytes)',
  ]);
});

// A uploads v1 and v2 to their side, releases v2 to joint, uploads v3 (joint): the parties
// number within an audience (documents/versions.js), the audit over all versions; it says both
// where they differ, as of each entry (the number its readers saw then).
const drafts = [
  row(1, 'document.upload', ana, 'dA', { version: 'v1', compartment: 'side:sClaim' }),
  row(2, 'document.upload', ana, 'dA', { version: 'v2', compartment: 'side:sClaim' }),
  row(3, 'document.download', ana, 'dA', { version: 'v2', start: 0, end: 10, size: 10 }),
  row(4, 'document.release', ana, 'dA', { version: 'v2', compartment: 'side:sClaim', to: 'joint' }),
  row(5, 'document.upload', ana, 'dA', { version: 'v3', compartment: 'joint' }),
  row(6, 'document.download', med, 'dA', { version: 'v2', start: 0, end: 10, size: 10 }),
  row(7, 'document.download', med, 'dA', { version: 'v3', start: 0, end: 10, size: 10 }),
  row(8, 'document.download', ana, 'dA', { version: 'v1', start: 0, end: 10, size: 10 }),
];

test("a version its readers numbered otherwise is given their number too: the audit's and theirs", async () => {
  const { versionBook } = await import('../../gateway/webclient/js/audit/versions.js');
  const { versionEntries } = await import('../../gateway/webclient/js/documents/versions.js');
  const book = versionBook(drafts);
  const at = (version, index) => book({ resource: { id: 'dA' }, details: { version } }, index);
  assert.deepEqual(at('v2', undefined), { number: 2, count: 3, total: 3, readers: { compartment: 'joint', number: 1 } });
  assert.deepEqual(at('v3', undefined), { number: 3, count: 3, total: 3, readers: { compartment: 'joint', number: 2 } });
  assert.deepEqual(at('v1', undefined), { number: 1, count: 3, total: 3, readers: null });
  assert.equal(at('v2', 3).readers, null); // still the side's own version 2 then
  assert.deepEqual(at('v2', 4).readers, { compartment: 'joint', number: 1 }); // from its release on
  // The same numbers as the documents panel gives the joint readers (the mediator's list).
  const panel = versionEntries({ document: { version: 'v3', compartment: 'joint' }, versions: [
    { version: 'v3', compartment: 'joint' }, { version: 'v2', compartment: 'joint' }, { version: 'v1', compartment: 'side:sClaim' }] });
  assert.deepEqual(panel.map((v) => [v.version, v.number]), [['v3', 2], ['v2', 1], ['v1', 1]]);
  // An upload whose compartment the log does not record: no readers' number, nothing guessed.
  const older = versionBook([row(1, 'document.upload', ana, 'dA', { version: 'v1' }), ...drafts.slice(1)]);
  assert.equal(older({ resource: { id: 'dA' }, details: { version: 'v2' } }).readers, null);
  // A release naming no version (older entries) widened the latest then.
  const unnamed = versionBook(drafts.map((r) => (r.index === 4 ? row(4, 'document.release', ana, 'dA', { to: 'joint' }) : r)));
  assert.deepEqual(unnamed({ resource: { id: 'dA' }, details: { version: 'v2' } }).readers, { compartment: 'joint', number: 1 });

  await initI18n('en');
  const said = drafts.map((r) => describeEntry(r.event, dir, 'UTC', { withTime: false, versions: book, index: r.index }));
  assert.deepEqual(said, [
    'Ana Chen (counsel, Claimant) uploaded ‘Settlement offer.pdf’ (version 1, the only one then) to Claimant only',
    'Ana Chen (counsel, Claimant) uploaded ‘Settlement offer.pdf’ (version 2 of 2) to Claimant only',
    'Ana Chen (counsel, Claimant) downloaded ‘Settlement offer.pdf’ (version 2 of 2), the whole document (10 bytes)',
    'Ana Chen (counsel, Claimant) released ‘Settlement offer.pdf’ (version 2 of 2, its readers\' joint version 1) from Claimant only to Joint',
    'Ana Chen (counsel, Claimant) uploaded ‘Settlement offer.pdf’ (version 3 of 3, its readers\' joint version 2) to Joint',
    'Ms Lee (mediator) downloaded ‘Settlement offer.pdf’ (version 2 of 3, its readers\' joint version 1), the whole document (10 bytes)',
    'Ms Lee (mediator) downloaded ‘Settlement offer.pdf’ (version 3 of 3, its readers\' joint version 2), the whole document (10 bytes)',
    'Ana Chen (counsel, Claimant) downloaded ‘Settlement offer.pdf’ (version 1 of 3), the whole document (10 bytes)',
  ]);
  for (const [lang, joint] of [['zh-Hant', '（第 3 版，共 3 版；其讀者所見為共同第 2 版）'], ['zh-Hans', '（第 3 版，共 3 版；其读者所见为共同第 2 版）']]) {
    await initI18n(lang);
    assert.ok(describeEntry(drafts[6].event, dir, 'UTC', { withTime: false, versions: book, index: 7 }).includes(joint));
  }
  await initI18n('en');
});

test("an entry's page gives the readers' number in its Version row, as its sentence does", async () => {
  const { versionBook } = await import('../../gateway/webclient/js/audit/versions.js');
  const { versionFact } = await import('../../gateway/webclient/js/audit/describe.js');
  const book = versionBook(drafts);
  await initI18n('en');
  // The mediator's download of v2 (entry 6): the sentence says "its readers' joint version 1".
  assert.equal(versionFact(book(drafts[5].event, 6), 'v2'),
    "version 2 of the 3 uploaded by then (3 in the log), its readers' joint version 1, id v2");
  // Where its readers knew it by the same number, there is nothing to add.
  assert.equal(versionFact(book(drafts[7].event, 8), 'v1'), 'version 1 of the 3 uploaded by then (3 in the log), id v1');
  for (const [lang, readers] of [['zh-Hant', '其讀者所見為共同第 1 版'], ['zh-Hans', '其读者所见为共同第 1 版']]) {
    await initI18n(lang);
    const fact = versionFact(book(drafts[5].event, 6), 'v2');
    assert.ok(fact.includes(readers) && fact.includes('v2'), fact);
  }
  await initI18n('en');
});

test("the readers' numbers come from the ledger too: it reads the hearing's releases", async () => {
  const ledger = versionLedger(async (filter) => ({ rows: drafts.filter((r) => r.event.action === filter.action) }));
  await ledger.prepare(drafts);
  assert.deepEqual(ledger.book(drafts[6].event, 7).readers, { compartment: 'joint', number: 2 });
});

test("a report's names are its hearing's: a large log's first page of names does not decide", async () => {
  const { reportNames } = await import('../../gateway/webclient/js/audit/data.js');
  const reads = [];
  const bo = { kind: 'person', id: 'pBo', name: 'Bo Lam', hearing: 'h7' };
  const read = async (query) => {
    reads.push(query);
    if (query.id) return query.id === 'pBo' ? [bo] : [];
    return query.hearing === 'h7' ? [bo, { kind: 'side', id: 'sResp', name: 'Respondent', hearing: 'h7' }] : [{ kind: 'hearing', id: 'h1', name: 'Other' }];
  };
  const found = await reportNames('person', 'pBo', read);
  assert.deepEqual(reads, [{ id: 'pBo', kind: 'person' }, { hearing: 'h7' }]);
  assert.equal(found.named, bo);
  assert.ok(directory(found.listed).get('side', 'sResp'));
  // A staff account belongs to no hearing: the account alone, never the log's first page of
  // names (its entries' hearings are named as they are shown: nameLedger, below).
  reads.length = 0;
  const staff = await reportNames('person', 'acctX', async (query) => { reads.push(query); return query.id ? [{ kind: 'person', id: 'acctX', name: 'Ms Lee' }] : []; });
  assert.deepEqual(reads, [{ id: 'acctX', kind: 'person' }]);
  assert.equal(staff.listed.length, 1);
});

test("entries from anywhere in the log are named by their own hearings' names, read as they are shown", async () => {
  const { hearingsToRead, nameLedger, peopleToAsk } = await import('../../gateway/webclient/js/audit/data.js');
  // A search of the whole log: entries of three hearings, and a staff account's sign-in (no hearing).
  const entry = (index, hearing, actor, resource = { type: 'hearing', id: hearing ?? 'none' }) => ({ index, event: { hearing, actor, resource } });
  const rows = [entry(1, 'h2', { id: 'pBo', kind: 'participant' }), entry(2, 'h1', { id: 'acctMed', role: 'mediator' }),
    entry(3, 'h2', { id: 'pBo', kind: 'participant' }), entry(4, 'h3', { id: 'pCy', kind: 'participant' }),
    entry(5, undefined, { id: 'acctAud', role: 'auditor' }, { type: 'account', id: 'acctNew' }),
    entry(6, undefined, { id: 'anonymous', kind: 'anonymous' }), entry(7, undefined, { id: 'audit', kind: 'system' })];
  // Which: in the order the rows name them, not those read, at most as many as asked.
  assert.deepEqual(hearingsToRead(rows, new Set()), ['h2', 'h1', 'h3']);
  assert.deepEqual(hearingsToRead(rows, new Set(['h1']), 1), ['h2']);
  assert.deepEqual(peopleToAsk(rows, directory([{ kind: 'person', id: 'acctMed', name: 'Ms Lee' }]), new Set()), ['acctAud', 'acctNew']);
  assert.deepEqual(peopleToAsk(rows, directory([]), new Set(['acctMed']), 1), ['acctAud']);

  const byHearing = {
    h1: [{ kind: 'hearing', id: 'h1', name: 'Lam v. Chen' }, { kind: 'person', id: 'acctMed', name: 'Ms Lee', role: 'mediator', hearing: 'h1' }],
    h2: [{ kind: 'hearing', id: 'h2', name: 'Ho v. Ng' }, { kind: 'person', id: 'pBo', name: 'Bo Lam', hearing: 'h2' }],
    h3: [{ kind: 'person', id: 'pCy', name: 'Cy Wong', hearing: 'h3' }],
  };
  const reads = [];
  const asked = [];
  let failH3 = true;
  const read = async (query) => {
    reads.push(query);
    if (query.hearing === 'h3' && failH3) throw new Error('unavailable');
    return byHearing[query.hearing] ?? [];
  };
  const person = async (id) => { asked.push(id); return id === 'acctAud' ? { kind: 'person', id, name: 'Mr Audit' } : null; };
  const book = nameLedger([{ kind: 'hearing', id: 'h9', name: 'Known' }], { read, person, max: { hearings: 2, people: 25 } });
  const dir = book.dir;
  await book.prepare(rows);
  // Each hearing's own names, two at a time; never the whole log's ({}); the accounts no hearing named.
  assert.deepEqual(reads, [{ hearing: 'h2' }, { hearing: 'h1' }]);
  assert.deepEqual(asked, ['acctAud', 'acctNew']);
  assert.equal(dir.get('person', 'pBo')?.name, 'Bo Lam');
  assert.equal(dir.get('person', 'acctMed')?.name, 'Ms Lee');
  assert.equal(dir.get('person', 'acctAud')?.name, 'Mr Audit');
  assert.equal(dir.get('hearing', 'h9')?.name, 'Known');
  assert.equal(dir.get('person', 'pCy'), null);
  // The next set of entries: h3 now, which fails; read again later; nothing read twice.
  await book.prepare(rows);
  assert.deepEqual(reads.slice(2), [{ hearing: 'h3' }]);
  failH3 = false;
  await book.prepare(rows);
  assert.deepEqual(reads.slice(3), [{ hearing: 'h3' }]);
  assert.equal(dir.get('person', 'pCy')?.name, 'Cy Wong');
  assert.deepEqual(asked, ['acctAud', 'acctNew']);
  await book.prepare(rows);
  assert.equal(reads.length, 4);

  // Two callers at once (a page and a report on one document): the second waits for the read the
  // first started, rather than going on with the names missing.
  let release;
  const slow = nameLedger([], { read: (query) => new Promise((resolve) => { release = () => resolve(byHearing[query.hearing]); }), person });
  const first = slow.prepare([rows[0]]);
  let secondDone = false;
  const second = slow.prepare([rows[0]]).then(() => { secondDone = true; });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(secondDone, false);
  release();
  await Promise.all([first, second]);
  assert.equal(slow.dir.get('person', 'pBo')?.name, 'Bo Lam');
  // A hearing whose names are known already is not read again.
  const told = nameLedger(byHearing.h1, { read, person });
  told.hearingsRead(['h1']);
  reads.length = 0;
  await told.prepare([rows[1]]);
  assert.deepEqual(reads, []);
});

test("a hearing's names are read page after page until the last, each page asking after the one before", async () => {
  const { names } = await import('../../gateway/webclient/js/audit/data.js');
  // 2,345 names served as the API serves them: 1,000 a page at most, a cursor while more remain.
  const all = Array.from({ length: 2345 }, (_, i) => ({ kind: 'person', id: `p${i}`, name: `Person ${String(i).padStart(5, '0')}`, hearing: 'h7' }));
  const asked = [];
  const read = async (params) => {
    asked.push(Object.fromEntries(params));
    const from = params.get('cursor') ? Number(params.get('cursor').slice(1)) : 0;
    const to = from + Number(params.get('limit'));
    return { names: all.slice(from, to), ...(to < all.length ? { next_cursor: `c${to}` } : {}) };
  };
  const found = await names({ hearing: 'h7' }, { read });
  assert.deepEqual(found, all);
  assert.deepEqual(asked, [{ limit: '1000', hearing: 'h7' }, { limit: '1000', hearing: 'h7', cursor: 'c1000' },
    { limit: '1000', hearing: 'h7', cursor: 'c2000' }]);
  assert.ok(directory(found).get('person', 'p2344'));
  // The whole log's names: as many as the caller bounds them to (one page: the search's own).
  asked.length = 0;
  assert.equal((await names({}, { read, max: 1000 })).length, 1000);
  assert.deepEqual(asked, [{ limit: '1000' }]);
});

test('each placement says which version it covers: a release widens the one it names', () => {
  const history = compartmentHistory([
    row(1, 'document.upload', ana, 'dA', { version: 'v1', compartment: 'side:sClaim' }),
    row(2, 'document.release', ana, 'dA', { version: 'v1', compartment: 'side:sClaim', to: 'confidential:sClaim' }),
    row(3, 'document.upload', ana, 'dA', { version: 'v2', compartment: 'side:sClaim' }),
    row(4, 'document.release', ana, 'dA', { version: 'v2', compartment: 'side:sClaim', to: 'joint' }),
  ]);
  assert.deepEqual(history.map((s) => [s.compartment, s.version, s.document]),
    [['side:sClaim', 'v1', 'dA'], ['confidential:sClaim', 'v1', 'dA'], ['side:sClaim', 'v2', 'dA'], ['joint', 'v2', 'dA']]);
});

test("a hearing's life: created for a time in its zone, opened, ended, documents destroyed", () => {
  const e = (time, action, details = {}, hearing = 'h1') => ({ time, action, outcome: 'allowed', actor: med, hearing, resource: { type: 'hearing', id: hearing }, details });
  const lives = hearingLife([
    e(T0 + 5, 'hearing.close', { destroy_documents: true }), e(T0, 'hearing.create', { scheduled_at: T0 + 3600000, time_zone: 'Asia/Hong_Kong' }),
    e(T0 + 2, 'hearing.open'), e(T0 + 6, 'document.shred'), e(T0 + 1, 'hearing.create', {}, 'h2'),
    { ...e(T0 + 3, 'hearing.open', {}, 'h2'), outcome: 'denied' }]);
  assert.deepEqual(lives.get('h1'), { created: T0, by: med, scheduledAt: T0 + 3600000, zone: 'Asia/Hong_Kong', opened: T0 + 2,
    closed: T0 + 5, destroy: true, shredded: T0 + 6, state: 'closed' });
  assert.equal(lives.get('h2').state, 'scheduled');
});

test("a hearing's life: the start it was last moved to, in its zone; a title change moves nothing", () => {
  const e = (time, action, details = {}) => ({ time, action, outcome: 'allowed', actor: med, hearing: 'h1', resource: { type: 'hearing', id: 'h1' }, details });
  const moved = { scheduled_at: T0 + 7200000, previous_scheduled_at: T0 + 3600000, time_zone: 'Europe/London', previous_time_zone: 'Asia/Hong_Kong' };
  const life = hearingLife([e(T0 + 2, 'hearing.details_change', { title: 'B', previous_title: 'A' }),
    e(T0 + 1, 'hearing.details_change', moved), e(T0, 'hearing.create', { scheduled_at: T0 + 3600000, time_zone: 'Asia/Hong_Kong' }),
    { ...e(T0 + 3, 'hearing.details_change', { ...moved, scheduled_at: T0 }), outcome: 'denied' }]).get('h1');
  assert.deepEqual([life.scheduledAt, life.zone], [T0 + 7200000, 'Europe/London']);
  const unset = hearingLife([e(T0, 'hearing.create', { scheduled_at: T0 + 3600000, time_zone: 'Asia/Hong_Kong' }),
    e(T0 + 1, 'hearing.details_change', { ...moved, scheduled_at: null, time_zone: null })]).get('h1');
  assert.deepEqual([unset.scheduledAt, unset.zone], [null, null]);
});

test("a hearing's details over time mark only what really changed: the start when it moved, the zone when it is another", () => {
  // The walkthrough's entries as signalling recorded them (hearing_details.py): the start and its
  // zone together, with their previous values, whenever either changed.
  const e = (time, action, details) => ({ time, action, outcome: 'allowed', actor: med, hearing: 'h1', resource: { type: 'hearing', id: 'h1' }, details });
  const hk10 = 1796004000000; // 30 Nov 2026, 10:00 in Hong Kong, 11:00 in Tokyo
  const history = detailsHistory([
    e(T0, 'hearing.create', { title: 'Chan v. Wong (shop lease)', scheduled_at: hk10, time_zone: 'Asia/Hong_Kong' }),
    // the title, and the zone alone: the same instant
    e(T0 + 1, 'hearing.details_change', { previous_title: 'Chan v. Wong (shop lease)', title: 'Chan v. Wong (Mong Kok shop lease)',
      previous_scheduled_at: hk10, previous_time_zone: 'Asia/Hong_Kong', scheduled_at: hk10, time_zone: 'Asia/Tokyo' }),
    // the time alone, in Tokyo still
    e(T0 + 2, 'hearing.details_change', { previous_scheduled_at: hk10, previous_time_zone: 'Asia/Tokyo',
      scheduled_at: 1796020200000, time_zone: 'Asia/Tokyo' }),
    e(T0 + 3, 'hearing.details_change', { previous_title: 'Chan v. Wong (Mong Kok shop lease)', title: 'Chan v. Wong – day 1' }),
    // the zone alone, back to Hong Kong: the same instant
    e(T0 + 4, 'hearing.details_change', { previous_scheduled_at: 1796020200000, previous_time_zone: 'Asia/Tokyo',
      scheduled_at: 1796020200000, time_zone: 'Asia/Hong_Kong' }),
    // both: a new time in a new zone
    e(T0 + 5, 'hearing.details_change', { previous_scheduled_at: 1796020200000, previous_time_zone: 'Asia/Hong_Kong',
      scheduled_at: 1796022000000, time_zone: 'Europe/London' }),
  ]);
  assert.deepEqual(history.map((x) => [x.changed.title, x.changed.start, x.changed.zone]), [
    [false, false, false], [true, false, true], [false, true, false], [true, false, false], [false, false, true], [false, true, true]]);
  assert.deepEqual(history.map(zoneOnly), [false, true, false, false, true, false]);
  assert.deepEqual([history[1].was.zone, history[1].zone, history[4].was.zone, history[4].zone],
    ['Asia/Hong_Kong', 'Asia/Tokyo', 'Asia/Tokyo', 'Asia/Hong_Kong']);
  assert.deepEqual(history.map((x) => [x.title, x.scheduledAt, x.zone]).at(3),
    ['Chan v. Wong – day 1', 1796020200000, 'Asia/Tokyo']);
});

test('a range within one day gives the date and zone once, to the second; across days, both in full', async () => {
  await initI18n('en');
  const zone = 'Asia/Hong_Kong';
  assert.equal(timeRange(T0 + 5000, T0 + 52000, zone), '27 Nov 2026, 18:39:05 – 18:39:52 (GMT+8)');
  assert.equal(timeRange(T0, T0 + 6 * 3600000, zone), '27 Nov 2026, 18:39:00 (GMT+8) – 28 Nov 2026, 00:39:00 (GMT+8)');
});

test('a caucus is named as it is now: the renames of its side after it was created rename it', async () => {
  const { caucusesNamedNow } = await import('../../gateway/webclient/js/audit/sides.js');
  const rename = (index, from, to, side = 'sResp') => ({ index, event: { action: 'hearing.side_rename', outcome: 'allowed',
    resource: { type: 'side', id: side }, details: { previous_name: from, name: to } } });
  const names = [
    { kind: 'room', id: 'cOld', name: 'Respondent caucus', side: 'sResp', index: 10 },
    { kind: 'room', id: 'cNew', name: 'Respondent Ltd caucus', side: 'sResp', index: 30 }, // created after the rename
    { kind: 'room', id: 'cOwn', name: 'Breakout', side: 'sResp', index: 10 }, // named otherwise: kept
    { kind: 'room', id: 'cDefault', name: '', side: 'sResp', index: 10 }, // after its side by itself
    { kind: 'side', id: 'sResp', name: 'Respondent Ltd', index: 20 },
  ];
  const now = caucusesNamedNow(names, [rename(20, 'Respondent', 'Respondent Ltd'), rename(25, 'Claimant', 'Plaintiff', 'sClaim')]);
  assert.deepEqual(now.map((n) => n.name), ['Respondent Ltd caucus', 'Respondent Ltd caucus', 'Breakout', '', 'Respondent Ltd']);
  assert.equal(caucusesNamedNow(names, []), names);
});

test('a table row names its time to the second, so entries of one minute keep their order', async () => {
  await initI18n('en');
  const first = dateTimeSeconds(T0 + 7_000, 'Asia/Hong_Kong');
  const second = dateTimeSeconds(T0 + 52_000, 'Asia/Hong_Kong');
  assert.match(first, /18:39:07/);
  assert.match(second, /18:39:52/);
  assert.match(first, /27 Nov 2026/);
  assert.notEqual(first, second);
});

test('a hearing is said to be created with the title it was created with, and each rename is a line of its own', async () => {
  await initI18n('en');
  const named = directory([{ kind: 'person', id: 'acctMed', name: 'Ms Lee', role: 'mediator' },
    { kind: 'hearing', id: 'h1', name: 'Chan v. Wong – day 1' }]); // the directory's: its title now
  const e = (time, action, details) => ({ time, action, outcome: 'allowed', actor: med, hearing: 'h1', resource: { type: 'hearing', id: 'h1' }, details });
  const said = [e(T0, 'hearing.create', { title: 'Chan v. Wong', scheduled_at: null }),
    e(T0 + 1, 'hearing.details_change', { previous_title: 'Chan v. Wong', title: 'Chan v. Wong – day 1' })]
    .map((event) => describeEntry(event, named, 'UTC', { withTime: false }));
  assert.deepEqual(said, ['Ms Lee (mediator) created the hearing ‘Chan v. Wong’',
    'Ms Lee (mediator) renamed the hearing ‘Chan v. Wong’ to ‘Chan v. Wong – day 1’']);
  // An entry that recorded no title: the hearing as it is named now.
  assert.equal(describeEntry(e(T0, 'hearing.create', {}), named, 'UTC', { withTime: false }),
    'Ms Lee (mediator) created the hearing Chan v. Wong – day 1');
});
