// A hearing's life in words (audit/hearing-life.js reads it from the log): on its summary, a
// list of facts — its state, when it was created and by whom, for when and in which zone it was
// scheduled, when it was opened and ended, and whether its documents were destroyed at the
// end, and what its title and start were from when (each change, by whom); on the list of
// hearings, one line of the same.

import { t, zonePair, zoneWords } from '../core/i18n.js';
import { h } from '../core/render.js';
import { dateTime } from './times.js';
import { personLabel } from './labels.js';
import { zoneOnly } from './hearing-life.js';

const badge = (state) => h('span', { class: `badge state-${state}`, 'data-state': state }, t(`mediator.state.${state}`));

// The scheduled start in the hearing's own zone, with the auditor's time beside it when the
// clocks read differently (`both`; a card's line has room for the hearing's only).
function scheduled(life, { both = true } = {}) {
  if (life.scheduledAt === null) return t('audit.life.not_scheduled');
  const pair = zonePair(life.scheduledAt, life.zone);
  return pair.hearing && !pair.same && both ? t('audit.life.scheduled_both', { time: pair.hearing, local: pair.local }) : (pair.hearing ?? pair.local);
}

function documents(life, zone) {
  if (life.closed === null) return t('audit.life.documents_open');
  if (!life.destroy) return t('audit.life.documents_kept');
  return life.shredded !== null ? t('audit.life.documents_destroyed', { time: dateTime(life.shredded, zone) })
    : t('audit.life.documents_pending');
}

/** The summary's facts (`life`: one hearing's, or null when the log holds none of it). */
export function lifeFacts(life, dir, zone) {
  if (!life) return h('p', { class: 'muted', id: 'hearing-life' }, t('audit.life.unknown'));
  const row = (key, value) => [h('dt', null, t(`audit.life.${key}`)), h('dd', { 'data-fact': key }, value)];
  return h('dl', { class: 'fields hearing-life', id: 'hearing-life' },
    row('state', badge(life.state)),
    row('created', life.created === null ? t('audit.life.not_recorded')
      : t('audit.life.created_by', { time: dateTime(life.created, zone), who: personLabel(dir, life.by) })),
    row('scheduled', scheduled(life)),
    row('zone', life.zone ? zoneWords(life.zone) : t('audit.life.not_recorded')),
    row('opened', life.opened === null ? t('audit.life.never_opened') : dateTime(life.opened, zone)),
    row('ended', life.closed === null ? t('audit.life.not_ended') : dateTime(life.closed, zone)),
    row('documents', documents(life, zone)));
}

/** A hearing's card line: its state, then when it was created, scheduled for, opened, ended. */
export function lifeLine(life, zone) {
  if (!life) return null;
  const parts = [
    life.created !== null ? t('audit.hearings.created', { time: dateTime(life.created, zone) }) : null,
    life.scheduledAt !== null ? t('audit.hearings.scheduled', { time: scheduled(life, { both: false }) }) : null,
    life.opened !== null ? t('audit.hearings.opened', { time: dateTime(life.opened, zone) }) : null,
    life.closed !== null ? t(life.destroy ? 'audit.hearings.ended_destroyed' : 'audit.hearings.ended', { time: dateTime(life.closed, zone) }) : null,
  ].filter(Boolean);
  return h('p', { class: 'hearing-when' }, badge(life.state), ' ', h('span', { class: 'muted small' }, parts.join(t('audit.hearings.separator'))));
}

// A start's cell: the start in its zone; a change of the zone alone says so under it (the same
// instant read on another clock: the start did not move).
function startCell(item) {
  if (!zoneOnly(item)) return scheduled(item);
  const zones = { to: zoneWords(item.zone, { at: item.scheduledAt, offset: false }),
    from: zoneWords(item.was.zone, { at: item.scheduledAt, offset: false }) };
  return [scheduled(item), h('div', { class: 'muted small', 'data-zone-only': 'true' }, t('audit.life.zone_only', zones))];
}

/** The hearing's title and start over time (audit/hearing-life.js `detailsHistory`): a table
 *  of its creation and each change, when (the auditor's zone), by whom, and the details after
 *  it, what really changed marked (the start when it moved, the zone when it is another); one
 *  sentence when nothing ever changed. */
export function detailsHistoryView(history, dir, zone) {
  const title = h('h2', null, t('audit.life.history'));
  if (history.length < 2) {
    return h('section', { id: 'details-history', 'data-changes': 0 }, title,
      h('p', { class: 'muted' }, history.length ? t('audit.life.history_none') : t('audit.life.history_unknown')));
  }
  const cell = (value, changed) => h('td', changed ? { class: 'changed', 'data-changed': 'true' } : null, value,
    changed ? h('span', { class: 'visually-hidden' }, ` ${t('audit.life.changed_mark')}`) : null);
  const head = ['when', 'what', 'by', 'title', 'start', 'zone'];
  return h('section', { id: 'details-history', 'data-changes': history.length - 1 }, title,
    h('div', { class: 'table-scroll' }, h('table', { class: 'data details-history' },
      h('caption', { class: 'visually-hidden' }, t('audit.life.history')),
      h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col' }, t(`audit.life.col_${c}`))))),
      h('tbody', null, history.map((item) => h('tr', { 'data-created': String(item.created) },
        h('td', { class: 'nowrap' }, dateTime(item.time, zone)),
        h('td', { class: 'nowrap' }, t(item.created ? 'audit.life.history_created' : 'audit.life.history_changed')),
        h('td', null, personLabel(dir, item.by)),
        cell(item.title === null ? t('audit.life.not_recorded') : t('audit.hearing_quoted', { name: item.title }), item.changed.title),
        cell(startCell(item), item.changed.start), // in its own zone, the auditor's beside it
        cell(item.zone ? zoneWords(item.zone) : t('audit.life.not_recorded'), item.changed.zone)))))));
}
