// One refused use of an invitation, recorded twice; and the attempts on one person's invitations
// (their report: invitationAttempts; the server finds their uses, data.js invitationUses). Pure:
// no DOM, no words.
//
// When signalling refuses a genuine invitation it records the refusal naming whose invitation
// it was (services/signalling/core.py `_redeem`: `details.participant`); the gateway then
// records the same refusal naming where the request came from (gateway/api/redeem.py, through
// gateway/identity/denials.py: `details.address`, a pseudonym, and `details.kind`
// "redeem.<code>"). Both are right, but read as two lines they look like two attempts: a page
// shows the pair as one line that opens either entry.
//
// Two entries are one attempt only when all of these hold (so two attempts never fold):
// - both are `participant.redeem`, refused, of the same hearing, on the same invitation
//   (`resource.id`; the gateway names it only once signalling found the token genuine);
// - one is signalling's, with `participant`; the other the gateway's, with `address` and a
//   `kind` "redeem.…", and not a count of repeats (`summary`: the gateway records the first
//   refusal of a source in a period and counts the rest, so its later twins are not entries);
// - their times are at most PAIR_WINDOW_MS apart (the gateway records after signalling's reply);
// - they give the same reason (reasons.js), or signalling's "wrong code" and the gateway's "too
//   many wrong codes" (the wrong code that blocked the invitation: signalling records the code,
//   the gateway the block it answered with).
// Each entry pairs once, with the nearest in time of those that qualify.

import { reasonKey } from './reasons.js';

export const PAIR_WINDOW_MS = 2000;

const ACTION = 'participant.redeem';
const BLOCKED_BY = { access_code: 'too_many_codes' };

function side(event) {
  if (event?.action !== ACTION || event.outcome !== 'denied' || event.resource?.type !== 'invitation') return null;
  const d = event.details ?? {};
  if (event.service === 'signalling' && typeof d.participant === 'string' && d.participant) return 'signalling';
  if (event.service === 'gateway' && typeof d.kind === 'string' && d.kind.startsWith('redeem.') && !d.summary
    && typeof d.address === 'string') return 'gateway';
  return null;
}

function sameReason(signalling, gateway) {
  const mine = reasonKey(ACTION, signalling.details?.reason);
  const theirs = reasonKey(ACTION, gateway.details?.reason);
  return mine !== null && (mine === theirs || BLOCKED_BY[mine] === theirs);
}

function twins(signalling, gateway) {
  return signalling.resource.id === gateway.resource.id && (signalling.hearing ?? null) === (gateway.hearing ?? null)
    && Math.abs(signalling.time - gateway.time) <= PAIR_WINDOW_MS && sameReason(signalling, gateway);
}

/** The pairs among `rows` ({index, event}, in any order): [{signalling, gateway}] rows. */
export function redemptionPairs(rows) {
  const gateways = rows.filter((r) => side(r.event) === 'gateway');
  const candidates = [];
  for (const s of rows.filter((r) => side(r.event) === 'signalling')) {
    for (const g of gateways) {
      if (twins(s.event, g.event)) candidates.push({ signalling: s, gateway: g, apart: Math.abs(s.event.time - g.event.time) });
    }
  }
  candidates.sort((a, b) => a.apart - b.apart || a.signalling.index - b.signalling.index || a.gateway.index - b.gateway.index);
  const taken = new Set();
  const pairs = [];
  for (const c of candidates) {
    if (taken.has(c.signalling.index) || taken.has(c.gateway.index)) continue;
    taken.add(c.signalling.index);
    taken.add(c.gateway.index);
    pairs.push({ signalling: c.signalling, gateway: c.gateway });
  }
  return pairs;
}

/** Whether `event` is the gateway's count of one source's refused uses of a genuine invitation
 *  in a period (`summary`, identity/denials.py): signalling recorded each of those attempts on
 *  its own, so the count repeats entries listed anyway and is no attempt of its own. */
export function repeatsListed(event) {
  const d = event?.details ?? {};
  return event?.action === ACTION && event.outcome === 'denied' && event.resource?.type === 'invitation'
    && event.service === 'gateway' && Boolean(d.summary) && typeof d.kind === 'string' && d.kind.startsWith('redeem.');
}

/** How many refusals `total` refused entries stand for, given `redeemRows`: those of them that
 *  are refused uses of an invitation ({index, event}). One attempt recorded twice is one
 *  refusal, as a page shows it (a hearing's summary counts what its list of refusals shows),
 *  and the gateway's count of attempts signalling listed one by one is none (repeatsListed). */
export function refusalCount(total, redeemRows) {
  const summaries = redeemRows.filter((r) => repeatsListed(r.event)).length;
  return Math.max(0, total - redemptionPairs(redeemRows).length - summaries);
}

/** What a person's report says of the uses of their invitations (`rows`: every
 *  participant.redeem entry naming one of them, {index, event}): `refused`, how many refused
 *  attempts, counted as a page shows them (one attempt that two services recorded is one; the
 *  gateway's count of a source's repeats is none: signalling recorded each repeat itself); and
 *  `after`, how many of those came after that invitation had been used (someone else holding the
 *  link, or the person on another device: the entries say from where, not who). */
export function invitationAttempts(rows) {
  const used = new Map(); // invitation → the index of its first allowed use
  for (const { index, event } of rows) {
    if (event?.action !== ACTION || event.outcome !== 'allowed') continue;
    const id = event.resource?.id;
    if (!used.has(id) || index < used.get(id)) used.set(id, index);
  }
  const twins = new Set(redemptionPairs(rows).map((pair) => pair.gateway.index));
  let refused = 0;
  let after = 0;
  for (const { index, event } of rows) {
    if (event?.action !== ACTION || event.outcome !== 'denied' || event.resource?.type !== 'invitation') continue;
    if (twins.has(index) || event.details?.summary) continue;
    refused += 1;
    if (used.has(event.resource.id) && index > used.get(event.resource.id)) after += 1;
  }
  return { refused, after };
}
