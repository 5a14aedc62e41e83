// The administrator's console: staff accounts (create, display name — the name people see in
// hearings —, disable — their sessions end at once —, re-enable, reset TOTP, reset the password,
// last sign-in), API tokens (shown once, revocable), the security
// settings in force, and the health of every service (/readyz) on one page. After creating an
// account or resetting a password, the page says what to tell the person
// (components/account-handoff.js).
//
// Your own row offers no Disable: you would sign yourself out for good (the server refuses it
// too, as it refuses taking away the last active administrator), and a refusal says its true
// cause, never the generic "someone changed this at the same moment". So does creating an
// account under a user name already in use (`conflict`: admin.error.create.conflict).

import { api } from '../core/api.js';
import { describe } from '../core/errors.js';
import { formatDateTime, formatNumber, has, t } from '../core/i18n.js';
import { h, mount as mountNodes } from '../core/render.js';
import { Handoffs, resetPassword } from '../components/account-handoff.js';
import { copyButton } from '../components/copy.js';
import { confirmDialog, formDialog } from '../components/dialog.js';
import { checkFields } from '../components/field-check.js';
import { handOverLinks, heldHearings } from '../components/disable-return.js';
import { clearWhenEdited, displayNameInput, field, formError, submitting } from '../components/form.js';
import { toast } from '../components/toast.js';

const SECTIONS = [['accounts', '/admin'], ['tokens', '/admin/tokens'], ['health', '/admin/health']];

// Why the server refused a change to an account (`Error.reason`) → the sentence that says so.
const REASONS = {
  self_disable: 'admin.error.self_disable',
  self_demote: 'admin.error.self_demote',
  last_admin: 'admin.error.last_admin',
};

function refusalText(failure, action) {
  const key = failure && REASONS[failure.reason];
  return key ? t(key) : describe(failure, action);
}

function frame(active, title, ...content) {
  return h('section', { class: 'admin' },
    h('nav', { class: 'subnav', 'aria-label': t('admin.nav.label') },
      SECTIONS.map(([name, href]) => h('a', { href, 'aria-current': name === active ? 'page' : null }, t(`admin.nav.${name}`)))),
    h('div', { class: 'page-head' }, h('h1', null, title)), content);
}

// One account's row; `own`: the signed-in administrator's own account.
function accountRow(a, own, { change, rename, resetPw }) {
  // The cells' classes and labels lay a phone's row out as a block (parley.css `table.accounts`).
  return h('tr', { 'data-account': a.username, 'data-self': own ? 'true' : null },
    h('th', { scope: 'row', class: 'account-name' }, a.username, own ? [' ', h('span', { class: 'badge' }, t('admin.accounts.you'))] : null),
    h('td', { class: 'display-name', 'data-label': t('admin.col.name') }, a.display_name || h('span', { class: 'hint' }, t('admin.accounts.no_name'))),
    h('td', { class: 'account-role' }, t(`admin.role.${a.role}`)),
    h('td', { class: 'account-totp', 'data-label': t('admin.col.totp') }, a.totp_enrolled ? t('admin.accounts.enrolled') : t('admin.accounts.not_enrolled')),
    h('td', { class: 'account-last', 'data-label': t('admin.col.last') }, a.last_signin_ms ? formatDateTime(a.last_signin_ms) : t('admin.accounts.never')),
    h('td', { class: 'account-state' }, h('span', { class: `badge ${a.disabled ? 'state-closed' : 'ok'}` }, t(a.disabled ? 'admin.accounts.disabled' : 'admin.accounts.active')),
      a.must_change_password ? h('span', { class: 'hint must-change' }, ' ', t('admin.accounts.must_change')) : null),
    h('td', { class: 'account-actions' }, h('div', { class: 'row-actions' },
      own ? null : stateButton(a, change),
      h('button', { type: 'button', class: 'button small', 'aria-label': t('admin.accounts.rename_named', { name: a.username }),
        onclick: () => rename(a) }, t('admin.accounts.rename')),
      own ? null : h('button', { type: 'button', class: 'button small', 'aria-label': t('admin.accounts.password_reset_named', { name: a.username }),
        onclick: () => resetPw(a) }, t('admin.accounts.password_reset')),
      h('button', { type: 'button', class: 'button small', 'aria-label': t('admin.accounts.reset_named', { name: a.username }),
        onclick: () => change(a, { reset_totp: true }, 'reset') }, t('admin.accounts.reset')),
      // After the buttons, so they line up with the other rows' and the note takes a line of its own.
      own ? h('span', { class: 'hint self-note' }, t('admin.accounts.self_note')) : null)));
}

// Disable an active account, enable a disabled one.
function stateButton(a, change) {
  const what = a.disabled ? 'enable' : 'disable';
  return h('button', { type: 'button', class: `button small ${a.disabled ? '' : 'danger'}`, 'aria-label': t(`admin.accounts.${what}_named`, { name: a.username }),
    onclick: () => change(a, { disabled: !a.disabled }, what) }, t(`admin.accounts.${what}`));
}

// `disable`: an account to ask about disabling at once (the hearings list's "Back to disable",
// after a hand-over started from this page's Disable dialog: components/disable-return.js);
// `handoffs`: what to tell each person made or reset (components/account-handoff.js), kept
// when the page is drawn again in another language.
async function accounts(root, selfId, disable, handoffs) {
  const tableBox = h('div', { id: 'accounts' });
  const handoff = h('div', { id: 'handoff' });
  handoffs.into(handoff);
  const error = formError();
  const username = h('input', { name: 'username', autocomplete: 'off', required: true, minlength: 3 });
  const displayName = displayNameInput('display_name');
  const role = h('select', { name: 'role' }, ['mediator', 'auditor', 'admin'].map((r) => h('option', { value: r }, t(`admin.role.${r}`))));
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 12 });
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('admin.accounts.create'));
  // Checked in the page's words (checkFields), not with the browser's English bubbles.
  const form = h('form', { class: 'panel create-account', 'aria-labelledby': 'create-title', novalidate: true },
    h('h2', { id: 'create-title' }, t('admin.accounts.create_title')),
    h('div', { class: 'filter-grid' }, field(t('admin.accounts.username'), username),
      field(t('admin.accounts.display_name'), displayName, t('admin.accounts.display_name_hint')),
      field(t('admin.accounts.role'), role), field(t('admin.accounts.password'), password, t('admin.accounts.password_hint'))),
    error, h('div', { class: 'actions' }, submit));
  clearWhenEdited(form, error);
  const load = async () => {
    try {
      const { accounts: list } = await api('GET', '/api/v1/accounts');
      mountNodes(tableBox, h('table', { class: 'data accounts' },
        h('caption', { class: 'visually-hidden' }, t('admin.accounts.title')),
        h('thead', null, h('tr', null, ['username', 'name', 'role', 'totp', 'last', 'state', 'actions'].map((c) =>
          h('th', { scope: 'col' }, c === 'actions' ? h('span', { class: 'visually-hidden' }, t('admin.col.actions')) : t(`admin.col.${c}`))))),
        h('tbody', null, list.map((a) => accountRow(a, a.id === selfId, { change, rename, resetPw })))));
      return list;
    } catch (failure) {
      mountNodes(tableBox, h('p', { class: 'form-error', role: 'alert' }, describe(failure, 'admin.accounts')));
    }
  };
  const change = async (account, patch, what) => {
    // Resetting your own authenticator signs you out: the dialog says so.
    const text = what === 'reset' && account.id === selfId ? 'admin.confirm.reset_self_text' : `admin.confirm.${what}_text`;
    // Disabling a mediator who still holds hearings would leave them with nobody in charge:
    // the dialog says so first and links each to its hand-over.
    const held = what === 'disable' && account.role === 'mediator' ? await heldHearings(account) : [];
    const { confirmed } = await confirmDialog({ title: t(`admin.confirm.${what}_title`, { name: account.username }),
      body: held.length ? t('admin.confirm.disable_mediator_text', { name: account.display_name || account.username, count: held.length }) : t(text),
      more: held.length ? handOverLinks(held, account) : null,
      confirm: t(held.length ? 'admin.confirm.disable_anyway' : `admin.accounts.${what}`), danger: what !== 'enable' });
    if (!confirmed) return;
    try {
      await api('PATCH', `/api/v1/accounts/${account.id}`, patch);
      toast(() => t(`admin.done.${what}`, { name: account.username }));
    } catch (failure) {
      toast(() => refusalText(failure, 'admin.accounts'), { kind: 'error' });
    }
    await load();
  };
  const resetPw = async (account) => {
    await resetPassword(handoffs, account);
    await load();
  };
  const rename = async (account) => {
    const input = displayNameInput('display_name', account.display_name);
    const saved = await formDialog({ title: t('admin.rename.title', { name: account.username }),
      content: field(t('admin.accounts.display_name'), input, t('admin.accounts.display_name_hint')),
      confirm: t('admin.rename.save') });
    if (!saved) return;
    try {
      await api('PATCH', `/api/v1/accounts/${account.id}`, { display_name: input.value.trim() });
      toast(() => t('admin.done.rename', { name: account.username }));
    } catch (failure) {
      toast(() => describe(failure, 'admin.rename'), { kind: 'error' });
    }
    await load();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitting(submit, error, async () => {
      if (!checkFields(form, error)) return;
      try {
        const created = await api('POST', '/api/v1/accounts', { username: username.value.trim(), display_name: displayName.value.trim(),
          role: role.value, password: password.value });
        const name = username.value.trim(); // the form is emptied next
        const first = password.value;
        toast(() => t('admin.done.create', { name }));
        form.reset();
        await load();
        handoffs.show({ username: name, password: first, kind: 'create',
          expires: created.temporary_password_expires_ms });
      } catch (failure) {
        error.textContent = describe(failure, 'admin.create');
      }
    });
  });
  root.replaceChildren(frame('accounts', t('admin.accounts.title'), h('p', { class: 'lede' }, t('admin.accounts.lede')), handoff, tableBox, form));
  const again = ((await load()) || []).find((a) => a.id === disable && a.id !== selfId && !a.disabled);
  if (disable) history.replaceState(null, '', '/admin');  // asked once: a reload asks nothing
  if (again) change(again, { disabled: true }, 'disable');
}

async function tokens(root) {
  const box = h('div', { id: 'tokens' });
  const shown = h('div', { id: 'token-shown' });
  const error = formError();
  const name = h('input', { name: 'name', required: true, autocomplete: 'off' });
  const days = h('select', { name: 'expires' }, [['30', 30], ['90', 90], ['365', 365]].map(([v, n]) => h('option', { value: v }, t('admin.tokens.days', { count: n }))));
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('admin.tokens.create'));
  const form = h('form', { class: 'panel', novalidate: true }, h('h2', null, t('admin.tokens.create_title')),
    h('div', { class: 'filter-grid' }, field(t('admin.tokens.name'), name), field(t('admin.tokens.expires'), days)), error, h('div', { class: 'actions' }, submit));
  clearWhenEdited(form, error);
  const load = async () => {
    const { tokens: list } = await api('GET', '/api/v1/tokens');
    // On a phone each token is a block, its dates labelled (parley.css `table.tokens`).
    mountNodes(box, list.length ? h('table', { class: 'data tokens' },
      h('caption', { class: 'visually-hidden' }, t('admin.tokens.title')),
      h('thead', null, h('tr', null, ['name', 'created', 'expires', 'state', 'actions'].map((c) => h('th', { scope: 'col' },
        c === 'actions' ? h('span', { class: 'visually-hidden' }, t('admin.col.actions')) : t(`admin.tokens.col_${c}`))))),
      h('tbody', null, list.map((tk) => h('tr', null, h('th', { scope: 'row', class: 'token-name' }, tk.name),
        h('td', { class: 'token-created', 'data-label': t('admin.tokens.col_created') }, formatDateTime(tk.created_ms)),
        h('td', { class: 'token-expires', 'data-label': t('admin.tokens.col_expires') }, tk.expires_ms ? formatDateTime(tk.expires_ms) : '—'),
        h('td', { class: 'token-state' }, t(tk.revoked ? 'admin.tokens.revoked' : 'admin.tokens.active')),
        h('td', { class: 'token-actions' }, tk.revoked ? null : h('button', { type: 'button', class: 'button small danger', 'aria-label': t('admin.tokens.revoke_named', { name: tk.name }),
          onclick: () => revoke(tk) }, t('admin.tokens.revoke')))))))
      : h('p', { class: 'muted' }, t('admin.tokens.none')));
  };
  // A refusal (e.g. the token changed at the same moment) is said, then the list is reloaded.
  const revoke = async (tk) => {
    try {
      await api('DELETE', `/api/v1/tokens/${tk.id}`);
      toast(() => t('admin.tokens.revoked_done'));
    } catch (failure) {
      toast(() => describe(failure, 'admin.revoke'), { kind: 'error' });
    }
    await load();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitting(submit, error, async () => {
      if (!checkFields(form, error)) return;
      try {
        const made = await api('POST', '/api/v1/tokens', { name: name.value.trim(), expires_in_s: Number(days.value) * 86400 });
        mountNodes(shown, h('div', { class: 'notice once', role: 'status' }, h('h2', null, t('admin.tokens.once_title')), h('p', null, t('admin.tokens.once')),
          h('p', null, h('code', { class: 'secret' }, made.token), copyButton(made.token, t('admin.tokens.copy')))));
        form.reset();
        await load();
      } catch (failure) {
        error.textContent = describe(failure, 'admin.tokens');
      }
    });
  });
  root.replaceChildren(frame('tokens', t('admin.tokens.title'), h('p', { class: 'lede' }, t('admin.tokens.lede')), shown, box, form));
  await load();
}

async function health(root) {
  const comps = h('div', { id: 'health' });
  const settingsBox = h('div', { id: 'settings' });
  root.replaceChildren(frame('health', t('admin.health.title'), comps, h('h2', null, t('admin.settings.title')), settingsBox));
  const ready = await fetch('/readyz', { cache: 'no-store' }).then((r) => r.json()).catch(() => null);
  mountNodes(comps, ready ? h('ul', { class: 'health-list' }, ready.components.map((c) => h('li', { 'data-component': c.name, 'data-status': c.status },
    h('span', { class: `badge ${c.status === 'ok' ? 'ok' : 'state-closed'}` }, t(c.status === 'ok' ? 'admin.health.ok' : 'admin.health.down')),
    h('strong', null, has(`admin.health.component.${c.name}`) ? t(`admin.health.component.${c.name}`) : c.name), c.detail ? h('span', { class: 'muted' }, ` — ${c.detail}`) : null)))
    : h('p', { class: 'form-error', role: 'alert' }, t('admin.health.unreachable')));
  try {
    const s = await api('GET', '/api/v1/settings');
    mountNodes(settingsBox, h('dl', { class: 'fields', id: 'security-settings' },
      row('session_idle', t('admin.settings.minutes', { count: Math.round(s.session_idle_s / 60) })),
      row('session_absolute', t('admin.settings.hours', { count: Math.round(s.session_absolute_s / 3600) })),
      row('rate_session', formatNumber(s.rate_session_per_s)), row('rate_address', formatNumber(s.rate_address_per_s)),
      row('rate_tiles', formatNumber(s.rate_tiles_per_s)),
      row('denial_period', duration(s.denial_audit_period_s)),
      row('pseudonyms', t(`admin.settings.period_${s.address_pseudonym_period}`)),
      row('tls', t(s.tls ? 'admin.settings.tls_on' : 'admin.settings.tls_off'))),
    h('h2', null, t('admin.ice.title')), iceSettings(s.ice),
    h('p', { class: 'muted' }, t('admin.settings.note')));
  } catch (failure) {
    mountNodes(settingsBox, h('p', { class: 'form-error', role: 'alert' }, describe(failure, 'admin.settings')));
  }
}

function row(key, value) {
  return [h('dt', null, t(`admin.settings.${key}`)), h('dd', null, value)];
}

function duration(seconds) {
  return seconds % 60 === 0 ? t('admin.settings.minutes', { count: seconds / 60 }) : t('admin.settings.seconds', { count: seconds });
}

// How participants' media connects: the signalling service's ICE policy (null: it did not answer).
function iceSettings(ice) {
  if (!ice) return h('p', { class: 'form-error', role: 'alert', id: 'ice-settings' }, t('admin.ice.unknown'));
  const mode = ice.relay_only ? 'relay' : (ice.turn_urls.length ? 'fallback' : 'direct');
  const urls = (list, unused) => (list.length
    ? h('ul', { class: 'plain' }, list.map((u) => h('li', null, h('code', null, u))), unused ? h('li', { class: 'muted' }, t('admin.ice.stun_unused')) : null)
    : t('admin.ice.none'));
  return h('dl', { class: 'fields', id: 'ice-settings', 'data-relay-only': String(ice.relay_only) },
    [h('dt', null, t('admin.ice.mode')), h('dd', null, h('strong', null, t(`admin.ice.mode_${mode}`)), h('br'), h('span', { class: 'muted' }, t(`admin.ice.mode_${mode}_text`)))],
    [h('dt', null, t('admin.ice.turn')), h('dd', null, urls(ice.turn_urls, false))],
    [h('dt', null, t('admin.ice.stun')), h('dd', null, urls(ice.stun_urls, ice.relay_only))],
    ice.turn_urls.length ? [h('dt', null, t('admin.ice.ttl')), h('dd', null, duration(ice.turn_credential_ttl_s))] : null);
}

export async function mount(root, { params, me, query }) {
  if (params.view === 'tokens') await tokens(root);
  else if (params.view === 'health') await health(root);
  else {
    // A language switch draws the page again with its panels (whose passwords show once).
    const handoffs = new Handoffs();
    await accounts(root, me ? me.id : null, query ? query.get('disable') : null, handoffs);
    return { rerender: () => accounts(root, me ? me.id : null, null, handoffs) };
  }
  return {};
}
