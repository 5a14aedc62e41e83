"""`POST /api/v1/invitations/redeem` (DESIGN §8): an invitation and its access code → a
participant session bound to that one hearing.

Redemption is open to anyone: wrong access codes back off per client address here and per
invitation in signalling (which audits every failure); success creates the session through
identity's session store (cookie, CSRF token in the body). A reissued link redeemed by someone
who had joined ends their earlier sessions first: the newest device takes over.

An address in its backoff is refused here (429, reason `too_many_from_address`: not signalling's
`too_many_attempts`, which is one invitation's own limit, so the person is told which limit
they met) before signalling is asked. Its threshold is high (PARLEY_REDEEM_ADDRESS_FREE_FAILURES):
guessing a code is bounded per invitation, so this only stops one address trying many links,
never an office behind one address whose people mistype a code or two. That refusal is audited
too (`refused_in_backoff`), but only the first of each backoff window per address: a flood
into one window is one entry, not one per request (the denial audit then folds the windows of
one period into its summary, denials.py). The body is not read for it, so the entry
names no hearing or invitation, and holds neither the token nor the code.

The backoff counts an address as sign-in's does (`AddressBackoff`: IPv6 by its /64, so rotating
addresses within one's prefix does not dodge it); the audit entries still name the address
itself, as a pseudonym (denials.py), like every other refused redemption's.
"""

from __future__ import annotations

from aiohttp import web

from gateway.api.hearing_access import REDEEM
from gateway.api.hearings import TAGS, end_sessions
from gateway.api.service_call import SIGNALLING
from gateway.http.body import json_response, read_json
from gateway.http.routes import RouteTable
from gateway.identity.address_limit import client_address
from gateway.identity.authn import identity_of
from gateway.identity.ratelimit import AddressBackoff, retry_after
from gateway.identity.session_open import hand_over, open_session
from gateway.identity.sessions import SessionEnd
from gateway.state import GatewayState, state_of
from parley.errors import ServiceFailure
from proto.errors import ErrorCode
from proto.principal import PrincipalKind
from proto.signalling import ParticipantSignedIn, Redeemed, RedeemInvitation

#: Refusals of a redemption signalling tells only once the token's 256-bit secret matched
#: (services/signalling/invitations.py `Refusal`, all but `invitation_invalid`).
TOKEN_MATCHED = frozenset({"invitation_expired", "invitation_used", "invitation_revoked",
                           "invitation_replaced", "participant_removed", "hearing_ended", "hearing_locked",
                           "access_code_wrong", "too_many_attempts"})

#: The reason of the gateway's own refusal: the client address is in its backoff (too many
#: failed redemptions from one network), told apart from one invitation's `too_many_attempts`.
ADDRESS_REFUSAL = "too_many_from_address"


def refused_invitation(body: RedeemInvitation | None,
                       refusal: ServiceFailure) -> tuple[str, str] | None:
    """(hearing, invitation) a refused redemption was for, for its audit entry: only when
    signalling found the token genuine (`TOKEN_MATCHED`). Anyone can write a token naming a
    hearing; an unknown or forged one is tied to nothing. The ids are not secret (the token's
    third part is, and it is never returned)."""
    if body is None or refusal.reason not in TOKEN_MATCHED:
        return None
    hearing, invitation, _ = body.token.split(".", 2)
    return hearing, invitation


async def refused_in_backoff(state: GatewayState, backoff: AddressBackoff, address: str,
                             retry_after_s: int) -> None:
    """Audit a redemption refused by the address's backoff, once per backoff window (the
    module notes). Nothing from the request: the token was never looked at."""
    if state.denials is None or not backoff.first_refusal(address):
        return
    await state.denials.refused(
        principal=None, address=address, action="participant.redeem",
        resource_type="invitation", resource_id="redeem",
        reason="too many failed invitation attempts from this address",
        kind="redeem.rate_limited", details={"retry_after_s": retry_after_s})


def register(routes: RouteTable) -> None:
    @routes.route("POST", "/api/v1/invitations/redeem", access=REDEEM,
                  summary="invitation + access code → a participant session for one hearing",
                  request=RedeemInvitation, response=ParticipantSignedIn, tags=TAGS)
    async def redeem(request: web.Request) -> web.Response:
        state = state_of(request)
        hs = state.hearings
        ident = identity_of(request)
        if hs is None:
            raise ServiceFailure(ErrorCode.UNAVAILABLE, "hearings are not ready")
        address = client_address(request)
        wait, _ = hs.redeem_backoff.wait_s(address)
        if wait > 0:
            await refused_in_backoff(state, hs.redeem_backoff, address, retry_after(wait))
            raise ServiceFailure(ErrorCode.RATE_LIMITED,
                                 "too many failed invitation attempts from this address",
                                 retry_after(wait), reason=ADDRESS_REFUSAL)
        body: RedeemInvitation | None = None
        try:
            body = await read_json(request, RedeemInvitation)
            redeemed = await SIGNALLING.ask(request, "redeem", body, Redeemed, anonymous=True)
        except ServiceFailure as exc:
            if exc.code in (ErrorCode.UNAUTHENTICATED, ErrorCode.RATE_LIMITED):
                hs.redeem_backoff.record_failure(address)
            if state.denials is not None:  # who tried, from where (as a pseudonym), and why,
                # in the hearing's report if the token was genuine; never the token or the code
                hearing, invitation = refused_invitation(body, exc) or (None, "redeem")
                await state.denials.refused(
                    principal=None, address=address, action="participant.redeem",
                    resource_type="invitation", resource_id=invitation, reason=exc.message,
                    kind=f"redeem.{exc.code.value}", hearing=hearing)
            raise
        # A reissued link, redeemed by someone who had joined: this device takes over, their
        # earlier sessions end first (services/signalling/joining.py).
        await end_sessions(request, redeemed.hearing, redeemed.end_sessions, SessionEnd.REPLACED)
        opened = await open_session(
            ident, kind=PrincipalKind.PARTICIPANT, subject=redeemed.participant,
            role=redeemed.role, now_ms=ident.now_ms(), hearing=redeemed.hearing,
            side=redeemed.side)
        reply = ParticipantSignedIn(hearing=redeemed.hearing, participant=redeemed.participant,
                                    role=redeemed.role, side=redeemed.side,
                                    csrf_token=opened.csrf_token)
        response = json_response(reply)
        hand_over(response, ident, opened)
        return response
