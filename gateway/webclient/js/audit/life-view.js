// A hearing's life in words (audit/hearing-life.js reads it from the log): on its summary, a
// list of facts — its state, when it was created and by whom, for when and in which zone it was
// scheduled, when it was opened and ended, and whether its documents were destroyed at the
// end; on the list of hearings, one line of the same.

import { t, zonePair, zoneWords } from '../core/i18n.js';
import { h } from '../core/render.js';
import { dateTime, personLabel } from './describe.js';

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
