"""An aiortc peer for tests that gathers host candidates only.

aiortc's default configuration (no `iceServers`) asks Google's public STUN server, which a test
machine without internet cannot reach: the peer's server-reflexive queries wait out aioice's
five seconds. Worse, such a peer closed early left host sockets open: slowed down
(`PYTHONTRACEMALLOC=15`), test_closing_client_ends_check left one unclosed UDP transport in each
of 3 runs with the default and none in 2 without a STUN server. The garbage collector found it
later, inside whichever test was running, as a ResourceWarning (an error in this suite); and
pytest formatting that warning during a module import (on CPython 3.11.7 the AST state is shared
by nested parses) failed an unrelated unit test with "AST constructor recursion depth mismatch".
"""

from __future__ import annotations

from aiortc import RTCConfiguration, RTCPeerConnection


def loopback_config() -> RTCConfiguration:
    return RTCConfiguration(iceServers=[])


def loopback_peer() -> RTCPeerConnection:
    return RTCPeerConnection(loopback_config())
