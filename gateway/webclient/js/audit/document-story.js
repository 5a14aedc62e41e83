// The parts of a document's report that need more than its own entries: where it was kept
// (its compartment by name, from its upload and releases) and the hearing's listings that may
// have shown it, person by person (audit/listings.js says which and why; the page says so too).

import { formatNumber, t } from '../core/i18n.js';
import { h } from '../core/render.js';
import { searchAll } from './data.js';
import { compartmentLabel, personLabel } from './labels.js';
import { dateTime } from './times.js';
import { readersText } from './describe.js';
import { byLister, compartmentHistory, documentListings } from './listings.js';
import { runSpan } from './results.js';
import { versionBook } from './versions.js';

const MAX_LISTINGS = 20000;

// Each step names the version it placed where the document has more than one (a release
// widens only the version it names): "Joint from 18:40: version 2, released by …", with the
// number its readers knew it by from that step on where it differs (versions.js, as of the step).
function keptList(history, rows, dir, zone) {
  const numbered = versionBook(rows);
  return h('ul', { class: 'kept-list', id: 'kept-list' }, history.map((step) => {
    const found = step.version ? numbered({ resource: { id: step.document }, details: { version: step.version } }, step.index) : null;
    const key = step.action === 'document.release' ? 'audit.report.kept_release' : 'audit.report.kept_upload';
    const params = { compartment: compartmentLabel(dir, step.compartment), time: dateTime(step.time, zone), who: personLabel(dir, step.by) };
    const number = found?.readers ? `${found.number}${t('audit.version.readers_aside', { readers: readersText(found.readers) })}` : found?.number;
    return h('li', { 'data-compartment': step.compartment, 'data-version': found?.number ?? '' }, found && found.total > 1
      ? t(`${key}_version`, { ...params, number }) : t(key, params));
  }));
}

// One lister's row: who, how many listings, when, what the compartment was, and the search
// that shows those listings (the hearing's `document.list` entries by them in that span).
function listerRow(person, dir, zone, hearing) {
  const name = personLabel(dir, person.actor);
  const compartments = [...new Set(person.rows.map((r) => r.compartment))].map((c) => compartmentLabel(dir, c));
  const query = new URLSearchParams({ hearing, action: 'document.list', actor: person.actor?.id ?? '',
    time_from: String(person.first), time_to: String(person.last + 1), order: 'asc' });
  return h('tr', { 'data-actor': person.actor?.id ?? '', 'data-count': person.rows.length },
    h('td', null, name),
    h('td', { class: 'num' }, formatNumber(person.rows.length)),
    h('td', { class: 'nowrap' }, runSpan(person.rows.map((r) => r.event), zone)),
    h('td', null, compartments.join(t('audit.list_separator'))),
    h('td', null, h('a', { class: 'button small', href: `/audit?${query}`, 'aria-label': t('audit.report.open_listings_named', { name }) },
      t('audit.report.open_listings'))));
}

/** Where the document was kept and which listings may have shown it; `rows` are its own
 *  entries ({index, event}), `hearing` its hearing. */
export async function documentStory(rows, hearing, dir, zone) {
  const history = compartmentHistory(rows);
  const kept = history.length ? [h('h2', null, t('audit.report.kept')), keptList(history, rows, dir, zone)] : [];
  if (!hearing) return { kept, listings: [] };
  const listed = await searchAll({ hearing, action: 'document.list', outcome: 'allowed', order: 'asc' }, { max: MAX_LISTINGS });
  const story = documentListings(rows, listed.rows);
  const people = byLister(story.may);
  const listings = h('section', { class: 'listings', id: 'listings', 'data-may': story.may.length,
    'data-before': story.before, 'data-hidden': story.hidden, 'data-empty': story.empty },
  h('h2', null, t('audit.report.listings')),
  h('p', { class: 'muted' }, t('audit.report.listings_how')),
  h('p', { id: 'listings-summary' }, story.may.length ? t('audit.report.listings_count', { count: story.may.length })
    : t('audit.report.listings_none')),
  people.length ? h('table', { class: 'data listers' },
    h('caption', { class: 'visually-hidden' }, t('audit.report.listings')),
    h('thead', null, h('tr', null, ['person', 'listings', 'when', 'compartment'].map((c) => h('th', { scope: 'col' }, t(`audit.report.col_${c}`))),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('audit.report.open_listings'))))),
    h('tbody', null, people.map((p) => listerRow(p, dir, zone, hearing)))) : null,
  h('p', { class: 'muted small' }, t('audit.report.listings_left_out', { before: story.before, hidden: story.hidden, empty: story.empty })),
  listed.truncated ? h('p', { class: 'notice' }, t('audit.report.listings_truncated', { count: listed.rows.length })) : null);
  return { kept, listings: [listings] };
}
