// What became of each person invited to a hearing, from the log's own entries (pure: no DOM, no
// words), as the set-up page says it of its roster (screens/setup-people.js): the signalling
// service records (services/signalling/core.py, core_actions.py, joining.py)
//   participant.invite      the person is invited (resource: the participant)
//   participant.redeem      they used their invitation: joined (details.participant)
//   participant.connect     connected (again: after leaving, they came back)
//   participant.leave       they left (their own button)
//   participant.deny        the mediator turned them away from the lobby
//   participant.remove      the mediator removed them; before they ever joined, that withdrew
//                           their invitation (setup-people.js says "Withdrawn" then)
// Removal is final (joining.py); refused entries change nothing. A mediator is never invited:
// what became of them is read from their connections, hand-overs and the end (mediatorOutcome).

/** The entries `personOutcomes` reads: the participant family, one query. */
export const OUTCOME_SOURCE = 'participant.';

const subject = (e) => (e.action === 'participant.redeem' ? e.details?.participant : e.resource?.type === 'participant' ? e.resource.id : null);

/** id → {kind, time, by}, for each person the `events` (any order) invite or name: `kind` is
 *  'removed' (by the mediator, having joined), 'withdrawn' (removed before joining: the
 *  invitation withdrawn), 'denied' (turned away from the lobby), 'left' (left, and not back),
 *  'joined' (`time`: when they first joined) or 'never_joined'; `time` and `by` (the actor) are
 *  those of the entry that decided it (null for 'never_joined'). */
export function personOutcomes(events) {
  const people = new Map();
  const of = (id) => {
    if (!people.has(id)) people.set(id, { joined: null, connected: null, left: null, denied: null, removed: null });
    return people.get(id);
  };
  for (const e of [...events].sort((a, b) => a.time - b.time)) {
    const id = subject(e);
    if (!id || e.outcome !== 'allowed' || !e.action?.startsWith('participant.')) continue;
    const p = of(id);
    const at = { time: e.time, by: e.actor ?? null };
    if (e.action === 'participant.redeem') p.joined ??= at;
    else if (e.action === 'participant.connect') p.connected = at;
    else if (e.action === 'participant.leave') p.left = at;
    else if (e.action === 'participant.deny') p.denied ??= at;
    else if (e.action === 'participant.remove') p.removed ??= at;
  }
  const out = new Map();
  for (const [id, p] of people) {
    const [kind, at] = p.removed ? [p.joined ? 'removed' : 'withdrawn', p.removed]
      : p.denied ? ['denied', p.denied]
        : p.left && !(p.connected && p.connected.time > p.left.time) ? ['left', p.left]
          : p.joined ? ['joined', p.joined] : ['never_joined', { time: null, by: null }];
    out.set(id, { kind, ...at });
  }
  return out;
}

/** What became of mediator `id` in the hearing, from the `events` (any order) of its participant
 *  family and its `hearing.` actions: the mediator is never invited nor redeems, so the People
 *  table once showed "—" beside the one who ran it. {kind, time, by}: 'ended' (they ended the
 *  hearing: hearing.close, their own), 'handed_over' (an administrator handed it to another
 *  mediator: hearing.mediator_handover from them, not handed back since; `by` the administrator),
 *  'joined' (`time`: their first connection: participant.connect) or 'never_joined'. */
export function mediatorOutcome(events, id) {
  let joined = null;
  let handed = null;
  let ended = null;
  for (const e of [...events].sort((a, b) => a.time - b.time)) {
    if (e.outcome && e.outcome !== 'allowed') continue;
    const at = { time: e.time, by: e.actor ?? null };
    if (e.action === 'participant.connect' && e.resource?.type === 'participant' && e.resource.id === id) joined ??= at;
    else if (e.action === 'hearing.mediator_handover') {
      if (e.details?.from === id) handed = at;
      else if ((e.details?.to ?? e.details?.mediator) === id) handed = null;
    } else if (e.action === 'hearing.close' && e.actor?.id === id) ended ??= at;
  }
  const [kind, at] = ended ? ['ended', ended] : handed ? ['handed_over', handed]
    : joined ? ['joined', joined] : ['never_joined', { time: null, by: null }];
  return { kind, ...at };
}
