// The auditor's search: by hearing, person (by name), action, resource (a document by its
// name), outcome and time range in the auditor's own zone; newest or oldest first; paged with
// the total; CSV of the result. The per-document and per-person reports are this search with
// the filter fixed (/audit/documents/:id, /audit/people/:id).
//
// The Action filter offers every action the log can hold (audit/actions.js), by family, each
// family with its "all" choice first; those it holds only as refusals say so (a chat message
// refused: no sent message is logged), and the hint under it says why. Connection reports are folded into one line per run
// unless the auditor asks for them one by one (or searches for that action itself).

import { localZone, t } from '../core/i18n.js';
import { h } from '../core/render.js';
import { field } from '../components/form.js';
import { auditShell } from '../components/audit-shell.js';
import { nameLedger, names, search } from '../audit/data.js';
import { documentOrigins, documentsNamed, originText } from '../audit/origins.js';
import { ACTION_FAMILIES, FOLDED } from '../audit/actions.js';
import { actionChoiceLabel } from '../audit/labels.js';
import { resultsView } from '../audit/results.js';

// The documents of one name told apart by their first uploads (one read each): at most these.
const MAX_CHOICES = 20;

// Any action; then per family: all of it, and each of its actions by its label — one the log
// holds only as refusals labelled so ("Chat message refused": describe.js actionChoiceLabel).
function actionSelect(current) {
  const option = (value, label) => h('option', { value, selected: current === value }, label);
  return h('select', { id: 'f-action', name: 'action' }, option('', t('audit.f.any')),
    ACTION_FAMILIES.map(({ family, actions }) => h('optgroup', { label: t(`audit.family.${family}`) },
      option(`${family}.`, t(`audit.family_all.${family}`)), actions.map((a) => option(a, actionChoiceLabel(a))))));
}

// The search's address with one document chosen (or the choice undone).
function withDocument(query, id) {
  const params = new URLSearchParams(query);
  params.delete('resource_type');
  params.delete('resource_id');
  if (id) {
    params.set('resource_type', 'document');
    params.set('resource_id', id);
  }
  return params;
}

// Each document's first upload (its own first allowed upload entry), its uploader named.
async function originsOf(documents, book) {
  const firsts = (await Promise.all(documents.slice(0, MAX_CHOICES).map((d) => search(
    { resource_type: 'document', resource_id: d.id, action: 'document.upload', outcome: 'allowed', order: 'asc' }, { limit: 1 })
    .then((page) => page.events, () => [])))).flat();
  await book.prepare(firsts).catch(() => null);
  return documentOrigins(firsts);
}

function localInput(ms) {
  if (!ms) return '';
  const d = new Date(Number(ms));
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export async function mount(root, { query, navigate }) {
  // Every hearing's name (the Hearing filter's choices), and a hearing's every name when the
  // search names it; otherwise the names of each hearing the results belong to, read as they
  // are shown (data.js nameLedger), never the whole log's first page of names.
  const hearing = query.get('hearing');
  const hearings = (await names({ kind: 'hearing' }));
  const own = hearing ? await names({ hearing }).catch(() => null) : null;
  const book = nameLedger([...hearings, ...(own ?? [])]);
  if (own) book.hearingsRead([hearing]);
  const dir = book.dir;
  const input = (name, attrs = {}) => h('input', { id: `f-${name}`, name, value: query.get(name) ?? '', ...attrs });
  const select = (name, options) => h('select', { id: `f-${name}`, name },
    options.map(([value, label]) => h('option', { value, selected: (query.get(name) ?? '') === value }, label)));
  const form = h('form', { class: 'filters panel', role: 'search', 'aria-label': t('audit.search.label') },
    h('div', { class: 'filter-grid' },
      field(t('audit.f.hearing'), select('hearing', [['', t('audit.f.any')], ...hearings.map((x) => [x.id, x.name])])),
      field(t('audit.f.person'), input('person', { placeholder: t('audit.f.person_hint'), autocomplete: 'off' })),
      field(t('audit.f.document'), input('document', { placeholder: t('audit.f.document_hint'), autocomplete: 'off' })),
      field(t('audit.f.action'), actionSelect(query.get('action') ?? ''), t('audit.f.action_hint')),
      field(t('audit.f.outcome'), select('outcome', [['', t('audit.f.any')], ...['allowed', 'denied', 'failed'].map((o) => [o, t(`audit.outcome_short.${o}`)])])),
      field(t('audit.f.from'), input('from_local', { type: 'datetime-local', value: localInput(query.get('time_from')) })),
      field(t('audit.f.to'), input('to_local', { type: 'datetime-local', value: localInput(query.get('time_to')) })),
      field(t('audit.f.order'), select('order', [['desc', t('audit.f.newest')], ['asc', t('audit.f.oldest')]])),
      field(t('audit.f.connections'), select('connections', [['', t('audit.f.connections_folded')], ['each', t('audit.f.connections_each')]]),
        t('audit.f.connections_hint'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary', id: 'search' }, t('audit.search.action'))));
  const note = h('div', { class: 'resolved' });
  const results = h('div', { class: 'results', id: 'results' });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const params = new URLSearchParams();
    for (const [k, v] of data.entries()) {
      if (!v) continue;
      if (k === 'from_local' || k === 'to_local') params.set(`time_${k.slice(0, -6)}`, String(new Date(v).getTime()));
      else params.set(k, v);
    }
    navigate(`/audit?${params}`);
  });
  const { node } = auditShell('search', t('audit.search.title'), form, note, results);
  root.replaceChildren(node);
  if (![...query.keys()].length) {
    note.append(h('p', { class: 'muted' }, t('audit.search.start')));
  }
  const filter = Object.fromEntries([...query.entries()].filter(([k]) => k !== 'document' && k !== 'connections'));
  filter.order = filter.order || 'desc';
  const fold = query.get('connections') !== 'each' && !FOLDED.has(filter.action);
  const documentName = query.get('document');
  if (documentName) {
    const found = documentsNamed(await names({ kind: 'document', name: documentName, ...(filter.hearing ? { hearing: filter.hearing } : {}) }), documentName);
    if (!found.length) {
      note.append(h('p', { class: 'notice', role: 'status' }, t('audit.search.no_document', { name: documentName })));
      return {};
    }
    const chosen = found.length === 1 ? found[0] : found.find((d) => d.id === query.get('resource_id'));
    const origins = await originsOf(chosen ? [chosen] : found, book);
    if (!chosen) {
      // Several documents go by this name: the auditor chooses, each told by whose it is and when.
      note.append(h('div', { class: 'notice', role: 'status', id: 'same-named' },
        h('p', null, t('audit.search.documents_named', { name: documentName, count: found.length })),
        h('ul', { class: 'doc-list' }, found.slice(0, MAX_CHOICES).map((d) => h('li', { 'data-document': d.id },
          h('a', { href: `/audit?${withDocument(query, d.id)}` }, d.name),
          h('div', { class: 'muted small doc-origin' }, originText(dir, origins.get(d.id), localZone()))))),
        found.length > MAX_CHOICES ? h('p', { class: 'muted small' }, t('audit.search.documents_more', { count: MAX_CHOICES })) : null));
      return {};
    }
    filter.resource_type = 'document';
    filter.resource_id = chosen.id;
    note.append(h('div', { class: 'notice', role: 'status', id: 'document-shown', 'data-document': chosen.id },
      h('p', null, t('audit.search.document', { name: chosen.name }), ' ',
        h('a', { href: `/audit/documents/${chosen.id}` }, t('audit.report.document_link'))),
      h('p', { class: 'muted small doc-origin' }, originText(dir, origins.get(chosen.id), localZone())),
      found.length > 1 ? h('p', null, t('audit.search.one_of', { count: found.length }), ' ',
        h('a', { href: `/audit?${withDocument(query, null)}` }, t('audit.search.choose_other'))) : null));
  }
  await resultsView(results, filter, dir, { caption: t('audit.search.title'), fold, names: book });
  return {};
}
