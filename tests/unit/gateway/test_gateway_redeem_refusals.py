"""Which hearing the gateway's audit entry of a refused redemption names (gateway/api/redeem.py
`refused_invitation`): the token's, exactly when signalling found the token genuine; that the
redeem backoff counts an IPv6 client by its /64, and only past a threshold no office's honest
typos reach; that the join page has a sentence for every refusal, the gateway's own included;
and that it checks a link's token as the server does."""

from __future__ import annotations

import json
import re
from dataclasses import fields

from gateway.api.redeem import ADDRESS_REFUSAL, TOKEN_MATCHED, refused_invitation
from gateway.config import GatewayConfig
from gateway.identity.ratelimit import REDEEM_ADDRESS_FREE_FAILURES
from gateway.webclient.routes import WEBCLIENT
from gateway.ws.state import HearingsState
from parley.errors import ServiceFailure
from proto.common import Language
from proto.errors import ErrorCode
from proto.signalling import TOKEN_PATTERN, RedeemInvitation
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


async def test_the_redeem_backoff_counts_an_ipv6_client_by_its_64() -> None:
    """The backoff each gateway process keeps for redemptions (ws/state.py) is keyed as
    sign-in's: a client past its free failures cannot try again from a fresh address in its
    /64, while another /64 is untouched."""
    made = next(f.default_factory for f in fields(HearingsState) if f.name == "redeem_backoff")
    backoff = made()  # type: ignore[misc]
    for host in range(1, backoff.config.free_failures + 2):
        backoff.record_failure(f"2001:db8:5:6::{host:x}")
    assert backoff.wait_s("2001:db8:5:6:a:b:c:d")[0] > 0
    assert backoff.first_refusal("2001:db8:5:6::fe") is True
    assert backoff.wait_s("2001:db8:5:7::1") == (0.0, False)


async def test_an_offices_wrong_codes_never_block_its_address_but_a_sprayer_is_stopped() -> None:
    """Guessing one invitation's code is bounded by that invitation (signalling blocks it after a
    few wrong codes); the address's own bound is only against one address trying many links, so
    it lets through the honest typos of a whole office behind one NAT address: fifty failures
    in one window, and the fifty-first starts the backoff."""
    made = next(f.default_factory for f in fields(HearingsState) if f.name == "redeem_backoff")
    backoff = made()  # type: ignore[misc]
    assert backoff.config.free_failures == REDEEM_ADDRESS_FREE_FAILURES == 50
    assert GatewayConfig().redeem_address_free_failures == REDEEM_ADDRESS_FREE_FAILURES
    for _ in range(50):
        backoff.record_failure("203.0.113.9")
        assert backoff.wait_s("203.0.113.9") == (0.0, False)
    backoff.record_failure("203.0.113.9")
    assert backoff.wait_s("203.0.113.9")[0] > 0


def test_every_refusal_has_its_own_sentence_on_the_join_page() -> None:
    """The join page says each reason signalling can give in its own words, in every language
    (screens/join.js `REASONS`), never the generic sentence of the code."""
    source = (WEBCLIENT / "js" / "screens" / "join.js").read_text()
    table = re.search(r"const REASONS = \{(.*?)\};", source, re.S)
    assert table, "REASONS not found in join.js"
    keys = dict(re.findall(r'(\w+): "([\w.]+)"', table.group(1)))
    assert set(keys) == {str(reason) for reason in Refusal} | {ADDRESS_REFUSAL}
    assert len(set(keys.values())) == len(keys)
    for lang in Language:
        catalogue = json.loads((WEBCLIENT / "i18n" / lang.value / "participant.json").read_text())
        assert [key for key in keys.values() if key not in catalogue] == [], lang


def test_the_join_page_checks_a_links_token_as_the_server_does() -> None:
    """A token the server could never accept (a link cut short or mangled on its way) is said
    to be damaged before any code is asked for (screens/join.js `TOKEN_PATTERN`): the same
    pattern as the server's, so a genuine link is never refused by the page."""
    source = (WEBCLIENT / "js" / "screens" / "join.js").read_text()
    found = re.search(r"export const TOKEN_PATTERN = /(.*)/;", source)
    assert found, "TOKEN_PATTERN not found in join.js"
    assert found.group(1) == TOKEN_PATTERN
