// Names in an audit entry as people read them: a person with their role and side, a resource,
// a compartment, a room (a side's caucus after its side), an action. What the log's own
// directory (/api/v1/audit/names) does not name is shown by its id.

import { has, t } from '../core/i18n.js';
import { defaultCaucusName } from '../core/room-names.js';
import { REFUSED_ONLY } from './actions.js';
import { routeKey } from './routes.js';

/** A directory from the names API: id → {kind, name, role, side}. */
export function directory(names) {
  const map = new Map();
  for (const n of names) map.set(`${n.kind}:${n.id}`, n);
  return {
    get: (kind, id) => map.get(`${kind}:${id}`) ?? null,
    any: (id) => ['person', 'document', 'room', 'side', 'hearing'].map((k) => map.get(`${k}:${id}`)).find(Boolean) ?? null,
  };
}

// A system actor is one of Parley's services (the signalling service expiring a grace period,
// the audit log rejecting a message) or a setup step: named by the service when it is one.
function systemLabel(id) {
  return has(`audit.service.${id}`) ? t(`audit.service.${id}`) : t('audit.who.system', { id });
}

/** Whether a person the directory names is a staff account with no display name: named by its
 *  user name (services/audit/directory.py), it is shown as an account (`accountLabel`). */
export const accountOnly = (person) => Boolean(person?.username) && person.name === person.username;

const roleWord = (role) => (role && has(`audit.role.${role}`) ? t(`audit.role.${role}`) : role);

/** An account with no display name, by its user name and what kind of account it is, the role
 *  said once: "mediator · Mediator account", not "mediator (mediator)". `parts` gives the two
 *  halves, for a lane name in two lines. */
export function accountLabel(username, role, { parts = false } = {}) {
  const word = roleWord(role);
  const kind = word ? t('audit.account_kind', { role: word.charAt(0).toLocaleUpperCase() + word.slice(1) }) : t('audit.account_kind_plain');
  return parts ? [username, kind] : t('audit.person_account', { username, kind });
}

export function personLabel(dir, actor) {
  if (!actor || actor.id === 'anonymous') return t('audit.who.anonymous');
  if (actor.kind === 'system') return systemLabel(actor.id);
  const person = dir.get('person', actor.id);
  const name = person?.name ?? actor.id;
  const role = actor.role ?? person?.role;
  if (accountOnly(person) && !(actor.side ?? person.side)) return accountLabel(person.username, role);
  const sideId = actor.side ?? person?.side;
  const side = sideId ? (dir.get('side', sideId)?.name ?? sideId) : null;
  const bits = [roleWord(role), side].filter(Boolean);
  return bits.length ? t('audit.person_with', { name, details: bits.join(t('audit.list_separator')) }) : name;
}

/** personLabel, with a staff account's user name beside its display name: "Ms Anna Lee
 *  (mediator), user name ‘anna.lee’" (where a person is looked at one at a time). */
export function personLabelWithAccount(dir, actor) {
  const label = personLabel(dir, actor);
  const person = actor ? dir.get('person', actor.id) : null;
  return person?.username && person.username !== person.name ? t('audit.who.username', { who: label, username: person.username }) : label;
}

/** A person named in an entry's details (a peer, the participant of an invitation). */
export function personName(dir, id) {
  if (!id) return t('audit.resource.unknown');
  return dir.get('person', id)?.name ?? t('audit.resource.participant', { id });
}

// Resource types the directory names, and the kind it names them under.
const NAMED_KINDS = { document: 'document', participant: 'person', account: 'person', room: 'room', side: 'side', hearing: 'hearing' };

export function resourceLabel(dir, resource) {
  const kind = NAMED_KINDS[resource.type];
  if (resource.type === 'room' || ['lobby', 'plenary'].includes(resource.id)) return roomLabel(dir, resource.id);
  const found = kind ? dir.get(kind, resource.id) : null;
  if (found) return resource.type === 'document' ? t('audit.document_name', { name: found.name }) : found.name;
  const route = resource.type === 'route' ? routeKey(resource.id) : null; // "read the hearing list"
  if (route) return t(route);
  const key = `audit.resource.${resource.type}`; // "account 01H…", "the audit log", a route's key
  return has(key) ? t(key, { id: resource.id }) : `${resource.type} ${resource.id}`;
}

/** A compartment as people know it: "Joint" (the documents panel's own word), "Claimant only",
 *  "Claimant, shared with the mediator in confidence", "the mediator's notes"; the recorded text
 *  itself when it is none of those. */
export function compartmentLabel(dir, compartment) {
  if (typeof compartment !== 'string' || !compartment) return t('audit.compartment.unknown');
  const [kind, side] = compartment.split(':');
  const sideName = side ? (dir.get('side', side)?.name ?? side) : null;
  if (compartment === 'joint') return t('participant.docs.tab_joint');
  if (compartment === 'mediator') return t('audit.compartment.mediator');
  if ((kind === 'side' || kind === 'confidential') && sideName && compartment === `${kind}:${side}`) {
    return t(`audit.compartment.${kind}`, { side: sideName });
  }
  return compartment;
}

/** A room as the hearing's screens named it: a side's caucus left with its default name was
 *  logged with none ("") and is named after its side, in the auditor's language, as every
 *  screen of the hearing named it in its reader's. */
export function roomLabel(dir, room) {
  if (!room) return t('audit.room.none');
  if (room === 'lobby' || room === 'plenary') return t(`audit.room.${room}`);
  const found = dir.get('room', room);
  if (found && !found.name && found.side) {
    return defaultCaucusName(dir.get('side', found.side)?.name ?? found.side);
  }
  return found?.name || t('audit.room.caucus_id', { id: room });
}

/** The short name of an action ("Download"), for the filter and for refused requests. */
export function actionLabel(action) {
  return has(`audit.action.${action}`) ? t(`audit.action.${action}`) : action;
}

/** An action as the Action filter offers it: by its label, and one the log holds only as
 *  refusals (actions.js REFUSED_ONLY) as such: "Chat message refused". */
export function actionChoiceLabel(action) {
  return REFUSED_ONLY.has(action) ? t('audit.f.action_refused', { action: actionLabel(action) }) : actionLabel(action);
}
