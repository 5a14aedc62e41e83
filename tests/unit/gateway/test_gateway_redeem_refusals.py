"""Which hearing the gateway's audit entry of a refused redemption names (gateway/api/hearings.py
`refused_invitation`): the token's, exactly when signalling found the token genuine."""

from __future__ import annotations

from gateway.api.redeem import TOKEN_MATCHED, refused_invitation
from parley.errors import ServiceFailure
from proto.errors import ErrorCode
from proto.signalling import RedeemInvitation
from services.signalling.invitations import Refusal

BODY = RedeemInvitation(token=f"h1.i1.{'s' * 43}", access_code="ABCDE")


def test_the_reasons_told_after_the_secret_matched_are_signallings() -> None:
    assert {Refusal(reason) for reason in TOKEN_MATCHED} == set(Refusal) - {Refusal.INVALID}


def test_a_genuine_token_names_its_hearing_and_anything_else_nothing() -> None:
    for reason in Refusal:
        named = refused_invitation(BODY, ServiceFailure(ErrorCode.UNAUTHENTICATED, "no",
                                                        reason=reason))
        assert named == (None if reason is Refusal.INVALID else ("h1", "i1")), reason
    assert refused_invitation(BODY, ServiceFailure(ErrorCode.UNAVAILABLE, "down")) is None
    assert refused_invitation(None, ServiceFailure(ErrorCode.INVALID, "bad body")) is None
