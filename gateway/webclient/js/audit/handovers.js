// A hearing's hand-overs to another mediator, from its log alone (pure).
//
// An administrator hands a hearing over (services/signalling/handover.py): one entry
// `hearing.mediator_handover`, its actor the administrator, details {from, from_name, to,
// mediator, mediator_name} (the names the hearing showed; "" for a mediator it named by role).
// The summary's People table says, beside each mediator, when it gave the hearing up or took it
// on, and who handed it over; the timeline ends and begins their lanes there (timeline.js).

/** The hand-overs in `events` (allowed ones, in log order): [{time, from, fromName, to, toName,
 *  by}] (`by`: the entry's actor, the administrator). */
export function handovers(events) {
  return events.filter((e) => e.action === 'hearing.mediator_handover' && (!e.outcome || e.outcome === 'allowed')
    && typeof (e.details?.to ?? e.details?.mediator) === 'string')
    .map((e) => ({ time: e.time, from: e.details.from ?? null, fromName: e.details.from_name || null,
      to: e.details.to ?? e.details.mediator, toName: e.details.mediator_name || null, by: e.actor ?? null }));
}

/** What the People table says beside mediator `id`: [{kind: 'took_over'|'handed_over', time,
 *  other (the mediator before or after), otherName, by}], in order (a mediator may take a
 *  hearing on and give it up again). */
export function mediatorNotes(list, id) {
  return list.flatMap((x) => [
    ...(x.to === id ? [{ kind: 'took_over', time: x.time, other: x.from, otherName: x.fromName, by: x.by }] : []),
    ...(x.from === id ? [{ kind: 'handed_over', time: x.time, other: x.to, otherName: x.toName, by: x.by }] : []),
  ]);
}
