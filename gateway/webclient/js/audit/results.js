// A page of audit entries as a table (time in the auditor's zone, the sentence, the outcome),
// with the total, previous/next paging by cursor, and a CSV of the whole result.

import { describe } from '../core/errors.js';
import { formatNumber, localZone, t } from '../core/i18n.js';
import { h, mount } from '../core/render.js';
import { hearingZone, search, searchAll } from './data.js';
import { calendarDate, describeEntry, timeWithZone } from './describe.js';

function csvCell(value) {
  const text = String(value ?? '');
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows, dir, zone) {
  const head = ['index', 'time_utc', 'time_local', 'actor', 'role', 'action', 'resource_type', 'resource_id', 'outcome', 'hearing', 'text'];
  const lines = [head.join(',')];
  for (const { index, event } of rows) {
    lines.push([index, new Date(event.time).toISOString(), timeWithZone(event.time, zone), event.actor.id, event.actor.role ?? '',
      event.action, event.resource.type, event.resource.id, event.outcome, event.hearing ?? '', describeEntry(event, dir, zone)].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(url); link.remove(); }, 1000);
}

/** Mount a paged result for `filter` into `root`. */
export function resultsView(root, filter, dir, { caption }) {
  const zone = localZone();
  const stack = [];
  let cursor = null;
  let theirs = null;
  const load = async () => {
    root.setAttribute('aria-busy', 'true');
    if (filter.hearing && theirs === null) theirs = (await hearingZone(filter.hearing).catch(() => null)) || '';
    let page;
    try {
      page = await search(filter, { cursor });
    } catch (error) {
      root.removeAttribute('aria-busy');
      mount(root, h('p', { class: 'form-error', role: 'alert' }, describe(error, 'audit.search')));
      return;
    }
    root.removeAttribute('aria-busy');
    const first = stack.length * 50 + 1;
    const total = page.total ?? page.events.length;
    const csvButton = h('button', { type: 'button', class: 'button small', id: 'csv' }, t('audit.csv.action'));
    csvButton.addEventListener('click', async () => {
      csvButton.disabled = true;
      const all = await searchAll(filter, { onPage: (n, of) => { csvButton.textContent = t('audit.csv.progress', { done: formatNumber(n), total: formatNumber(of) }); } });
      download('audit-view.csv', new Blob([toCsv(all.rows, dir, zone)], { type: 'text/csv' }));
      csvButton.textContent = t('audit.csv.action');
      csvButton.disabled = false;
    });
    mount(root,
      h('div', { class: 'results-head' },
        h('p', { class: 'total', 'data-total': total, role: 'status' }, total === 0 ? t('audit.results.none')
          : t('audit.results.range', { first: formatNumber(first), last: formatNumber(first + page.events.length - 1), total: formatNumber(total) })),
        h('div', { class: 'actions' }, csvButton)),
      h('p', { class: 'muted small' }, t('audit.csv.note')),
      page.events.length ? h('table', { class: 'data results' },
        h('caption', { class: 'visually-hidden' }, caption),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, t('audit.col.time', { zone })),
          theirs && theirs !== zone ? h('th', { scope: 'col' }, t('audit.col.hearing_time', { zone: theirs })) : null,
          h('th', { scope: 'col' }, t('audit.col.what')),
          h('th', { scope: 'col' }, t('audit.col.outcome')),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('audit.col.open'))))),
        h('tbody', null, page.events.map(({ index, event }) => h('tr', { 'data-index': index, 'data-action': event.action },
          h('td', { class: 'nowrap' }, h('span', { class: 'date' }, calendarDate(event.time, zone)), h('br'), timeWithZone(event.time, zone)),
          theirs && theirs !== zone ? h('td', { class: 'nowrap muted' }, h('span', { class: 'date' }, calendarDate(event.time, theirs)), h('br'), timeWithZone(event.time, theirs)) : null,
          h('td', null, describeEntry(event, dir, zone, { withTime: false })),
          h('td', null, h('span', { class: `badge outcome-${event.outcome}` }, t(`audit.outcome_short.${event.outcome}`))),
          h('td', null, h('a', { class: 'button small', href: `/audit/entry/${index}`, 'aria-label': t('audit.open_entry', { index }) }, t('audit.col.open'))))))) : null,
      h('div', { class: 'pager' },
        h('button', { type: 'button', class: 'button', disabled: stack.length === 0,
          onclick: () => { cursor = stack.pop() ?? null; load(); } }, t('audit.page.previous')),
        h('button', { type: 'button', class: 'button', id: 'next-page', disabled: !page.next_cursor,
          onclick: () => { stack.push(cursor); cursor = page.next_cursor; load(); } }, t('audit.page.next'))));
  };
  return load();
}
