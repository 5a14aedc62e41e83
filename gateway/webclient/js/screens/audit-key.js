// The verifier key this browser trusts: shown with its key id, stored locally, compared with
// the key the server offers now.

import { t } from '../core/i18n.js';
import { h } from '../core/render.js';
import { auditShell, keyPanel } from '../components/audit-shell.js';

export async function mount(root) {
  const panel = h('div', { id: 'key-panel' });
  const { node } = auditShell('key', t('audit.key.title'), h('p', { class: 'lede' }, t('audit.key.lede')), panel);
  root.replaceChildren(node);
  await keyPanel(panel);
  return {};
}
