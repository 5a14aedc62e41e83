"""Tech-check slots are shared fairly: one per participant, a share per hearing, real offers only.

The pool (services/signalling/techcheck_pool.py) with real aiortc echo peers answering real
aiortc offers on loopback, for participants of two hearings. A party of hearing H and its
fellow participants cannot take the slots a party of hearing G needs; a participant who starts
again replaces its own check; junk SDP is refused before it takes anything.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiortc.mediastreams import AudioStreamTrack

from parley.errors import DomainError
from proto.common import Role
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind
from services.signalling.ice import IceSettings
from services.signalling.techcheck_pool import TechChecks
from tests.loopback_peer import loopback_peer

H, G = "01J00000000000000000000HHH", "01J00000000000000000000GGG"


def participant(pid: str, hearing: str) -> Principal:
    return Principal(kind=PrincipalKind.PARTICIPANT, id=pid, role=Role.PARTY, hearing=hearing)


@pytest.fixture
async def pool() -> AsyncIterator[TechChecks]:
    checks = TechChecks(IceSettings(), max_checks=4, lifetime_s=30, per_hearing=2)
    yield checks
    await checks.close_all()


@pytest.fixture
async def offer() -> AsyncIterator[str]:
    """A real offer: microphone and a 'stats' data channel, ICE gathered on loopback."""
    pc = loopback_peer()
    pc.addTrack(AudioStreamTrack())
    pc.createDataChannel("stats")
    await pc.setLocalDescription(await pc.createOffer())
    yield pc.localDescription.sdp
    await pc.close()


async def _refused(pool: TechChecks, sdp: str, who: Principal) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await pool.offer(sdp, who)
    return caught.value


@pytest.mark.parametrize("junk", ["v=0\r\n", "", "hello", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n"
                                  "s=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"])
async def test_junk_offers_are_refused_before_taking_a_slot(pool: TechChecks, junk: str) -> None:
    error = await _refused(pool, junk, participant("p1", H))
    assert error.code is ErrorCode.INVALID
    assert pool.running == {}


async def test_two_hearings_share_the_slots(pool: TechChecks, offer: str) -> None:
    # One participant of H starting again and again holds one slot, not four.
    for _ in range(3):
        await pool.offer(offer, participant("h-party", H))
    assert [h.principal for h in pool.running.values()] == ["h-party"]
    # H's participants get their share (2 of 4), no more.
    await pool.offer(offer, participant("h-counsel", H))
    error = await _refused(pool, offer, participant("h-observer", H))
    assert error.code is ErrorCode.RATE_LIMITED and error.retry_after_s
    # G's party is not starved by H.
    await pool.offer(offer, participant("g-party", G))
    await pool.offer(offer, participant("g-counsel", G))
    assert sorted(h.principal for h in pool.running.values()) == [
        "g-counsel", "g-party", "h-counsel", "h-party"]
    # The process total holds: a staff mediator with no hearing waits for a free slot.
    staff = Principal(kind=PrincipalKind.ACCOUNT, id="med", role=Role.MEDIATOR)
    assert (await _refused(pool, offer, staff)).code is ErrorCode.RATE_LIMITED
