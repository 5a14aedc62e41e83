// One entry in full: the sentence, every field, the exact canonical text that was hashed, and
// its proof verified here, in the browser (WebCrypto), against the key pinned in this browser:
// "verified against checkpoint N signed by <key name>". The server is not trusted for this.

import { api } from '../core/api.js';
import { describe } from '../core/errors.js';
import { formatNumber, has, localZone, t, zoneWords } from '../core/i18n.js';
import { h, mount as mountNodes } from '../core/render.js';
import { auditShell } from '../components/audit-shell.js';
import { entryAt, hearingTitles, hearingZones, inclusionProof, nameLedger, versionsFor } from '../audit/data.js';
import { zoneAt } from '../audit/hearing-life.js';
import { actionLabel, compartmentLabel, personLabelWithAccount, resourceLabel } from '../audit/labels.js';
import { dateTime } from '../audit/times.js';
import { describeEntry, versionFact } from '../audit/describe.js';
import { parseVkey } from '../audit/note.js';
import { pinnedVkey } from '../audit/pin.js';
import { verifyEntry } from '../audit/verify.js';

async function verify(panel, entry) {
  mountNodes(panel, h('p', { class: 'muted', role: 'status' }, t('audit.verify.running')));
  const pinned = pinnedVkey();
  if (!pinned) {
    mountNodes(panel, h('p', { class: 'notice', role: 'status' }, t('audit.verify.unpinned')));
    return;
  }
  try {
    const key = await parseVkey(pinned);
    const info = await api('GET', '/api/v1/audit/checkpoint');
    const proof = await inclusionProof(entry.index, info.size);
    const checkpoint = await verifyEntry({ index: entry.index, entry: entry.raw, proof, checkpointNote: info.note, key });
    panel.dataset.verified = 'true';
    mountNodes(panel, h('div', { class: 'verified', role: 'status', id: 'verify-result' },
      h('span', { class: 'badge ok' }, t('audit.verify.ok_badge')),
      h('p', null, t('audit.verify.ok', { size: formatNumber(Number(checkpoint.size)), name: key.name })),
      h('p', { class: 'muted' }, t('audit.verify.ok_detail', { index: entry.index, hashes: proof.hashes.length, id: key.keyId }))));
  } catch (error) {
    panel.dataset.verified = 'false';
    const code = error && error.name === 'VerifyError' ? error.code : null;
    mountNodes(panel, h('div', { class: 'alarm serious', role: 'alert', id: 'verify-result', 'data-code': code ?? 'error' },
      h('h3', null, t('audit.verify.failed_title')),
      h('p', null, code ? t(`audit.verify.failed.${code}`) : describe(error, 'audit.verify')),
      h('p', { class: 'muted' }, error.message ?? '')));
  }
}

export async function mount(root, { params }) {
  const index = Number(params.index);
  const panel = h('div', { class: 'verify panel', id: 'verify-panel' });
  const body = h('div', { class: 'entry' });
  const { node, status } = auditShell('search', t('audit.entry.title', { index }), body, panel);
  root.replaceChildren(node);
  let entry;
  try {
    entry = Number.isSafeInteger(index) && index >= 0 ? await entryAt(index) : null;
  } catch (error) {
    mountNodes(body, h('p', { class: 'form-error', role: 'alert' }, describe(error, 'audit.entry')));
    return {};
  }
  if (!entry) {
    mountNodes(body, h('p', { class: 'notice' }, t('audit.entry.missing')));
    return {};
  }
  // The names of the entry's hearing; staff accounts belong to no hearing: the one who acted
  // (or was acted on) is asked for (data.js nameLedger).
  const book = nameLedger();
  await book.prepare([entry]);
  const dir = book.dir;
  const zone = localZone();
  const e = entry.event;
  // The hearing's zone when the entry was written (it can have been changed since).
  const steps = await hearingZones(e.hearing).catch(() => []);
  const theirs = zoneAt(steps, e.time);
  // An entry about the hearing names it by the title it had then.
  const titles = e.resource?.type === 'hearing' ? new Map([[e.resource.id, await hearingTitles(e.resource.id).catch(() => [])]]) : null;
  // The version an entry names, numbered by its document's uploads in the log (with its id).
  const versions = e.resource?.type === 'document' && typeof e.details?.version === 'string'
    ? await versionsFor({ resource_type: 'document', resource_id: e.resource.id }).catch(() => null) : null;
  const numbered = versions?.(e, entry.index) ?? null;
  // A date with every time (the hearing's zone can be on another day than the auditor's); the
  // exact instant, to the millisecond, follows in UTC.
  const at = (z) => dateTime(e.time, z);
  const hearingTime = theirs && theirs !== zone ? [h('br'), h('span', { id: 'hearing-time', 'data-zone': theirs },
    t(steps.length > 1 ? 'audit.entry.hearing_time_then' : 'audit.entry.hearing_time', { time: at(theirs), zone: zoneWords(theirs, { at: e.time, offset: false }) }))] : null;
  const row = (label, value) => [h('dt', null, label), h('dd', null, value)];
  mountNodes(body,
    h('p', { class: 'sentence lede', id: 'entry-sentence' }, describeEntry(e, dir, zone, { versions, index: entry.index, titles })),
    h('dl', { class: 'fields' },
      row(t('audit.entry.time'), [at(zone), hearingTime, h('br'), h('span', { class: 'muted small' }, new Date(e.time).toISOString())]),
      row(t('audit.entry.who'), personLabelWithAccount(dir, e.actor)),
      row(t('audit.entry.action'), [actionLabel(e.action), ' ', h('code', null, e.action)]),
      row(t('audit.entry.resource'), t('audit.entry.resource_ref', { label: resourceLabel(dir, e.resource), ref: `${e.resource.type} ${e.resource.id}` })),
      row(t('audit.entry.outcome'), h('span', { class: `badge outcome-${e.outcome}` }, t(`audit.outcome_short.${e.outcome}`))),
      row(t('audit.entry.hearing'), e.hearing ? h('a', { href: `/audit/hearings/${e.hearing}` }, dir.get('hearing', e.hearing)?.name ?? e.hearing) : '—'),
      row(t('audit.entry.service'), has(`audit.service.${e.service}`) ? t(`audit.service.${e.service}`) : e.service),
      // A document's compartment by the name people know, with the id the entry records.
      ...[['compartment', 'audit.entry.compartment'], ['to', 'audit.entry.released_to']]
        .filter(([field]) => e.action.startsWith('document.') && typeof e.details?.[field] === 'string')
        .map(([field, label]) => row(t(label), t('audit.entry.resource_ref', { label: compartmentLabel(dir, e.details[field]), ref: e.details[field] }))),
      ...(versions && typeof e.details?.version === 'string' && e.details.versions === undefined ? [row(t('audit.entry.version'), numbered
        ? versionFact(numbered, e.details.version) : h('code', null, e.details.version))] : []),
      row(t('audit.entry.details'), h('pre', { class: 'details' }, JSON.stringify(e.details ?? {}, null, 2)))),
    h('details', null, h('summary', null, t('audit.entry.canonical')), h('pre', { class: 'canonical' }, entry.raw)),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button', id: 'verify-again', onclick: () => verify(panel, entry) }, t('audit.verify.again'))));
  await status;
  await verify(panel, entry);
  return {};
}
