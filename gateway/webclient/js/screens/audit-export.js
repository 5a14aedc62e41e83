// Export a bundle — the evidence — for `parley-audit verify`, with a progress bar; the one
// paragraph an auditor needs to verify it offline, with the command (naming the file the export
// is saved as: audit/export-name.js); the pinned key to save.

import { describe } from '../core/errors.js';
import { formatNumber, localZone, t } from '../core/i18n.js';
import { h, mount as mountNodes } from '../core/render.js';
import { auditShell } from '../components/audit-shell.js';
import { copyButton } from '../components/copy.js';
import { names } from '../audit/data.js';
import { pinnedVkey } from '../audit/pin.js';
import { download } from '../audit/results.js';
import { bundleName, verifyCommand } from '../audit/export-name.js';

async function runExport(body, progress, label) {
  const csrf = sessionStorage.getItem('parley.csrf');
  const response = await fetch('/api/v1/audit/exports', {
    method: 'POST', credentials: 'same-origin', cache: 'no-store',
    headers: { 'Content-Type': 'application/json', ...(csrf ? { 'Parley-CSRF': csrf } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const data = await response.json().catch(() => ({}));
    const error = new Error(data.error?.message ?? response.statusText);
    error.code = data.error?.code ?? 'internal';
    throw error;
  }
  const reader = response.body.getReader();
  const chunks = [];
  let expected = null;
  let lines = 0;
  let head = '';
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    let at = -1;
    while ((at = value.indexOf(10, at + 1)) >= 0) lines += 1;
    if (expected === null) {
      head += decoder.decode(value, { stream: true });
      const nl = head.indexOf('\n');
      if (nl >= 0) expected = JSON.parse(head.slice(0, nl)).count;
    }
    if (expected) {
      const done = Math.min(expected, Math.max(0, lines - 1));
      progress.max = expected;
      progress.value = done;
      label.textContent = t('audit.export.progress', { done: formatNumber(done), total: formatNumber(expected) });
    }
  }
  return new Blob(chunks, { type: 'application/x-ndjson' });
}

export async function mount(root) {
  const hearings = await names({ kind: 'hearing' });
  const scope = h('select', { id: 'export-scope' },
    h('option', { value: '' }, t('audit.export.whole')),
    hearings.map((x) => h('option', { value: x.id }, t('audit.export.hearing', { name: x.name }))));
  const progress = h('progress', { id: 'export-progress', max: 1, value: 0, 'aria-labelledby': 'export-label' });
  const label = h('p', { id: 'export-label', role: 'status' }, t('audit.export.idle'));
  const result = h('div', { id: 'export-result' });
  const button = h('button', { type: 'button', class: 'button primary', id: 'export-start' }, t('audit.export.action'));
  // The file the chosen scope is saved as today, and the command that verifies it by that name.
  const fileName = (value = scope.value) => {
    const chosen = hearings.find((x) => x.id === value);
    return bundleName(chosen ? { id: chosen.id, title: chosen.name } : null, Date.now(), localZone());
  };
  let file = fileName();
  const command = h('code', { id: 'verify-command' }, verifyCommand(file));
  const name = (chosen) => { file = chosen; command.textContent = verifyCommand(file); };
  scope.addEventListener('change', () => name(fileName()));
  button.addEventListener('click', async () => {
    button.disabled = true;
    mountNodes(result);
    const chosen = scope.value; // what is exported, whatever is chosen while it runs
    try {
      const body = chosen ? { filter: { hearing: chosen } } : {};
      const blob = await runExport(body, progress, label);
      name(fileName(chosen)); // dated the day it was saved, should the page have stayed open past midnight
      download(file, blob);
      result.dataset.bytes = String(blob.size);
      result.dataset.file = file;
      mountNodes(result, h('p', { class: 'notice', role: 'status' }, t('audit.export.done', { file, size: formatNumber(blob.size) })));
    } catch (error) {
      mountNodes(result, h('p', { class: 'form-error', role: 'alert' }, describe(error, 'audit.export')));
    } finally {
      button.disabled = false;
    }
  });
  const vkey = pinnedVkey();
  const keyButton = vkey ? h('button', { type: 'button', class: 'button', id: 'save-vkey',
    onclick: () => download('parley.vkey', new Blob([`${vkey}\n`], { type: 'text/plain' })) }, t('audit.export.save_key')) : null;
  const { node } = auditShell('export', t('audit.export.title'),
    h('div', { class: 'panel' },
      h('div', { class: 'field' }, h('label', { for: 'export-scope' }, t('audit.export.scope')), scope),
      h('div', { class: 'actions' }, button),
      progress, label, result),
    h('section', { class: 'panel how-to' },
      h('h2', null, t('audit.export.how_title')),
      h('p', null, t('audit.export.how')),
      h('div', { class: 'command-row' }, h('pre', { class: 'command' }, command), copyButton(() => verifyCommand(file), t('audit.export.copy_command'))),
      h('p', { class: 'muted' }, t('audit.export.evidence_note')),
      keyButton));
  root.replaceChildren(node);
  return {};
}
