// The auditor's frame: the console's sections, and the state of the log as this browser sees it
// (pinned key, checkpoint verified, consistent with the last visit), checked on every visit.

import { describe } from '../core/errors.js';
import { formatDateTime, formatNumber, t } from '../core/i18n.js';
import { h, mount } from '../core/render.js';
import { checkLog, pinKey, serverVkey, unpin } from '../audit/pin.js';
import { copyButton } from './copy.js';

const SECTIONS = [['search', '/audit'], ['hearings', '/audit/hearings'], ['export', '/audit/export'], ['key', '/audit/key']];

export function auditShell(active, title, ...content) {
  const status = h('div', { class: 'log-status', 'aria-live': 'polite', id: 'log-status' }, h('p', { class: 'muted' }, t('audit.status.checking')));
  const node = h('section', { class: 'audit' },
    h('nav', { class: 'subnav', 'aria-label': t('audit.nav.label') },
      SECTIONS.map(([name, href]) => h('a', { href, 'aria-current': name === active ? 'page' : null }, t(`audit.nav.${name}`)))),
    status,
    h('div', { class: 'page-head' }, h('h1', null, title)),
    content);
  const result = refreshStatus(status);
  return { node, status: result };
}

export async function refreshStatus(status) {
  let result;
  try {
    result = await checkLog();
  } catch (error) {
    mount(status, h('p', { class: 'form-error', role: 'alert' }, describe(error, 'audit.status')));
    return null;
  }
  mount(status, statusView(result, () => refreshStatus(status)));
  status.dataset.state = result.state;
  return result;
}

function keyLine(key) {
  return h('span', { class: 'key-line' }, h('strong', null, key.name), ' · ', t('audit.key.id'), ' ', h('code', { 'data-key-id': key.keyId }, key.keyId));
}

function statusView(r, again) {
  const warn = r.mismatch ? h('p', { class: 'alarm warn', role: 'alert' }, t('audit.status.mismatch', { pinned: r.key.keyId, offered: r.serverKey.keyId })) : null;
  if (r.state === 'unpinned') {
    return h('div', { class: 'pin-offer panel' },
      h('h2', null, t('audit.pin.title')),
      h('p', null, t('audit.pin.text')),
      h('p', null, keyLine(r.serverKey)),
      h('p', { class: 'vkey' }, h('code', null, r.serverKey.vkey), copyButton(r.serverKey.vkey, t('audit.key.copy'))),
      h('button', { type: 'button', class: 'button primary', id: 'pin-key', onclick: async () => { await pinKey(r.serverKey.vkey); again(); } }, t('audit.pin.action')));
  }
  if (r.state === 'inconsistent' || r.state === 'bad-checkpoint' || r.state === 'error') {
    return h('div', { class: 'alarm serious', role: 'alert', 'data-alarm': r.state },
      h('h2', null, t(`audit.alarm.${r.state}.title`)),
      h('p', null, t(`audit.alarm.${r.state}.text`, { seen: r.seen ? formatNumber(Number(r.seen.size)) : '?' })),
      h('p', { class: 'muted' }, r.error?.message ?? ''), warn);
  }
  return h('div', { class: 'log-ok' },
    h('span', { class: 'badge ok' }, t('audit.status.ok_badge')),
    h('span', null, t(r.state === 'first' ? 'audit.status.first' : 'audit.status.ok', {
      size: formatNumber(Number(r.checkpoint.size)), name: r.key.name, id: r.key.keyId,
      seen: r.seen ? formatNumber(Number(r.seen.size)) : '', when: r.seen ? formatDateTime(r.seen.at) : '' })),
    warn);
}

export async function keyPanel(root) {
  const { pinnedVkey } = await import('../audit/pin.js');
  const { parseVkey } = await import('../audit/note.js');
  const pinned = pinnedVkey();
  const server = await serverVkey();
  const key = pinned ? await parseVkey(pinned) : null;
  const offered = await parseVkey(server);
  mount(root, h('div', { class: 'panel key-panel' },
    h('h2', null, t('audit.key.pinned')),
    key ? h('div', null, h('p', null, keyLine(key)), h('p', { class: 'vkey' }, h('code', { id: 'pinned-vkey' }, key.vkey), copyButton(key.vkey, t('audit.key.copy'))),
      h('p', { class: 'muted' }, t('audit.key.stored'))) : h('p', null, t('audit.key.none')),
    h('h2', null, t('audit.key.offered')),
    h('p', null, keyLine(offered)),
    key && key.vkey !== offered.vkey ? h('p', { class: 'alarm warn', role: 'alert' }, t('audit.status.mismatch', { pinned: key.keyId, offered: offered.keyId })) : null,
    h('div', { class: 'actions' },
      key ? h('button', { type: 'button', class: 'button', onclick: () => { unpin(); keyPanel(root); } }, t('audit.key.unpin')) : null,
      !key ? h('button', { type: 'button', class: 'button primary', onclick: async () => { await pinKey(server); keyPanel(root); } }, t('audit.pin.action')) : null)));
}
