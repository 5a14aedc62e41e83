"""The access rules of the hearing routes (coarse; signalling makes the final decision)."""

from __future__ import annotations

from gateway.identity.policy import Grant, Predicate, Rule, anyone, staff
from proto.common import Role

HEARINGS = staff("hearings", Role.ADMIN, Role.MEDIATOR)
HEARING_READ = Rule("hearing.detail", (Grant(Predicate.STAFF, {Role.ADMIN}),
                                       Grant(Predicate.MEDIATOR_OF_HEARING)))
#: The calendar file: the detail's readers and the hearing's own participants (a party waiting
#: for it downloads its start; signalling gives them its title, start and zone, no more).
HEARING_SCHEDULE = Rule("hearing.schedule", (Grant(Predicate.STAFF, {Role.ADMIN}),
                                             Grant(Predicate.MEDIATOR_OF_HEARING),
                                             Grant(Predicate.PARTICIPANT_OF_HEARING)))
HEARING_ADMIN = Rule("hearing.mediate", (Grant(Predicate.MEDIATOR_OF_HEARING),))
#: Only an administrator names another mediator for a hearing (an admin holds no mediator
#: controls, and a mediator cannot give its hearings away nor take another's).
HAND_OVER = staff("hearing.hand_over", Role.ADMIN)
REDEEM = anyone("invitations.redeem")
#: Participants, and staff mediators (who join their own hearings with their account).
IN_HEARING = Rule("hearing.participate", (Grant(Predicate.PARTICIPANT),
                                          Grant(Predicate.STAFF, {Role.MEDIATOR})))
