"""TURN through Debian's coturn: relay-only aiortc peers connect with the credentials signalling
issues (coturn's shared-secret scheme, `services.signalling.ice`), and expired ones fail.

coturn runs on loopback with its own config, log and pid files in tmp_path, in the foreground,
without CLI or TLS listeners. `allow-loopback-peers` is a test-only concession: both peers'
relayed addresses are on 127.0.0.1 (production config denies loopback and private peers).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aioice.stun import TransactionFailed
from aioice.turn import create_turn_endpoint
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCIceTransportPolicy,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import VideoStreamTrack

from proto.signalling import IceConfig
from services.signalling.ice import IceSettings, ice_config
from tests.harness import free_port, wait_until, wait_until_sync

TURNSERVER = shutil.which("turnserver")
pytestmark = pytest.mark.skipif(
    TURNSERVER is None,
    reason="coturn's turnserver is not installed (scripts/ensure-test-tools.sh installs it)")

STUN_MAGIC = 0x2112A442


@dataclass
class TurnServer:
    port: int
    secret: str
    log_path: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"turn:127.0.0.1:{self.port}?transport=udp"

    def settings(self, ttl_s: int = 600) -> IceSettings:
        return IceSettings(turn_urls=(self.url,), turn_secret=self.secret, ttl_s=ttl_s,
                           relay_only=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _stun_binding_answered(port: int) -> bool:
    """A STUN Binding request to coturn gets a success response: the listener is up."""
    txid = secrets.token_bytes(12)
    request = (0x0001).to_bytes(2, "big") + (0).to_bytes(2, "big") + \
        STUN_MAGIC.to_bytes(4, "big") + txid
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.2)
        sock.sendto(request, ("127.0.0.1", port))
        try:
            reply, _ = sock.recvfrom(2048)
        except OSError:
            return False
    return reply[:2] == (0x0101).to_bytes(2, "big") and reply[8:20] == txid


@pytest.fixture
def turn_server(tmp_path: Path) -> Iterator[TurnServer]:
    """coturn on 127.0.0.1 (free port), a random shared secret, files in tmp_path."""
    assert TURNSERVER is not None
    port, secret = free_port(), secrets.token_urlsafe(24)
    log_path, conf = tmp_path / "turnserver.log", tmp_path / "turnserver.conf"
    # The shared secret goes in a 0600 config file, never on the command line (ps shows argv).
    conf.write_text("\n".join([
        "listening-ip=127.0.0.1", "relay-ip=127.0.0.1", f"listening-port={port}",
        "realm=parley.test", "use-auth-secret", f"static-auth-secret={secret}", "fingerprint",
        "no-cli", "no-tls", "no-dtls", "no-multicast-peers", "allow-loopback-peers",
        f"userdb={tmp_path / 'turndb'}", f"log-file={log_path}", "simple-log",
        "no-stdout-log", f"pidfile={tmp_path / 'turnserver.pid'}",
    ]) + "\n")
    conf.chmod(0o600)
    process = subprocess.Popen([TURNSERVER, "-c", str(conf)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=tmp_path, env=dict(os.environ))
    server = TurnServer(port=port, secret=secret, log_path=log_path, process=process)
    try:
        wait_until_sync(lambda: process.poll() is not None or _stun_binding_answered(port),
                        timeout=15, what="turnserver to answer STUN")
        assert process.poll() is None, f"turnserver exited: {server.log()[-2000:]}"
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rtc_configuration(config: IceConfig) -> RTCConfiguration:
    """The browser-shaped `IceConfig` that signalling issues, as aiortc's RTCConfiguration."""
    servers = [RTCIceServer(urls=s.urls, username=s.username, credential=s.credential)
               for s in config.ice_servers]
    return RTCConfiguration(iceServers=servers,
                            iceTransportPolicy=RTCIceTransportPolicy(config.ice_transport_policy))


def nominated_pairs(pc: RTCPeerConnection) -> list[Any]:
    """aioice's nominated candidate pairs under this connection's (bundled) ICE transport."""
    pairs: list[Any] = []
    for transceiver in pc.getTransceivers():
        ice = transceiver.receiver.transport.transport
        pairs.extend(ice._connection._nominated.values())
    if pc.sctp is not None:
        pairs.extend(pc.sctp.transport.transport._connection._nominated.values())
    return pairs


async def _count_frames(track: MediaStreamTrack, counter: list[int]) -> None:
    while True:
        await track.recv()
        counter[0] += 1


async def test_relay_only_peers_connect_through_coturn(turn_server: TurnServer) -> None:
    now = int(time.time())
    alice_ice = ice_config(turn_server.settings(), "participant-a", now)
    bob_ice = ice_config(turn_server.settings(), "participant-b", now)
    assert alice_ice.ice_transport_policy == "relay"
    alice = RTCPeerConnection(rtc_configuration(alice_ice))
    bob = RTCPeerConnection(rtc_configuration(bob_ice))
    frames_at_bob = [0]
    messages_at_alice: list[str] = []
    tasks: list[asyncio.Task[None]] = []

    def on_track(track: MediaStreamTrack) -> None:
        tasks.append(asyncio.create_task(_count_frames(track, frames_at_bob)))

    def on_datachannel(channel: Any) -> None:
        channel.on("message", lambda m: channel.send(f"echo:{m}"))

    bob.on("track", on_track)
    bob.on("datachannel", on_datachannel)
    alice.addTrack(VideoStreamTrack())
    channel = alice.createDataChannel("chat")
    channel.on("message", messages_at_alice.append)
    channel.on("open", lambda: channel.send("hello through TURN"))
    try:
        await alice.setLocalDescription(await alice.createOffer())
        offer = alice.localDescription.sdp
        # Relay-only: the only candidates offered are relayed ones, on the TURN server.
        candidates = [line for line in offer.splitlines() if line.startswith("a=candidate")]
        assert candidates and all(" typ relay" in c for c in candidates), candidates
        await bob.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        await bob.setLocalDescription(await bob.createAnswer())
        await alice.setRemoteDescription(bob.localDescription)

        async def media_and_data() -> bool:
            return frames_at_bob[0] >= 10 and "echo:hello through TURN" in messages_at_alice

        await wait_until(media_and_data, timeout=30, what="video frames and a data echo via TURN")
        assert alice.connectionState == "connected" and bob.connectionState == "connected"
        for pc in (alice, bob):
            pairs = nominated_pairs(pc)
            assert pairs, "no nominated candidate pair"
            for pair in pairs:
                assert pair.local_candidate.type == "relay", pair
                assert pair.remote_candidate.type == "relay", pair
                assert pair.local_candidate.host == "127.0.0.1"
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await alice.close()
        await bob.close()


async def _allocate(server: TurnServer, config: IceConfig) -> None:
    """One TURN allocation with the issued credentials (raises when coturn refuses it)."""
    turn = config.ice_servers[0]
    transport, _ = await create_turn_endpoint(
        asyncio.DatagramProtocol, server_addr=("127.0.0.1", server.port),
        username=turn.username, password=turn.credential)
    transport.close()


async def test_expired_credentials_are_refused(turn_server: TurnServer) -> None:
    # Issued an hour ago with a 10-minute lifetime.
    past = int(time.time()) - 3600
    expired = ice_config(turn_server.settings(), "late-a", past)
    assert expired.expires_at is not None and expired.expires_at < time.time() * 1000
    with pytest.raises(TransactionFailed) as refused:
        await _allocate(turn_server, expired)
    assert refused.value.response.attributes["ERROR-CODE"][0] == 401
    # The same server, secret and participant with fresh credentials: allocated.
    await _allocate(turn_server, ice_config(turn_server.settings(), "late-a", int(time.time())))
    # A forged credential (right username shape, wrong secret) is refused too.
    forged = ice_config(IceSettings(turn_urls=(turn_server.url,), turn_secret="not-the-secret",
                                    relay_only=True), "late-a", int(time.time()))
    with pytest.raises(TransactionFailed):
        await _allocate(turn_server, forged)


async def test_relay_only_peers_with_expired_credentials_never_connect(
        turn_server: TurnServer) -> None:
    past = int(time.time()) - 3600
    alice = RTCPeerConnection(rtc_configuration(ice_config(turn_server.settings(), "late-a", past)))
    bob = RTCPeerConnection(rtc_configuration(ice_config(turn_server.settings(), "late-b", past)))
    states: list[str] = []
    for pc in (alice, bob):
        pc.on("connectionstatechange", lambda pc=pc: states.append(pc.connectionState))
    alice.addTrack(VideoStreamTrack())
    alice.createDataChannel("chat")
    try:
        await alice.setLocalDescription(await alice.createOffer())
        offer = alice.localDescription.sdp
        assert "a=candidate" not in offer  # relay-only and no allocation: nothing to offer
        await bob.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        await bob.setLocalDescription(await bob.createAnswer())
        assert "a=candidate" not in bob.localDescription.sdp
        await alice.setRemoteDescription(bob.localDescription)
        # A negative check needs a window: fresh credentials connect in about a second here.
        deadline = time.monotonic() + 4.0
        while time.monotonic() < deadline:
            assert "connected" not in states
            await asyncio.sleep(0.1)
        assert not nominated_pairs(alice) and not nominated_pairs(bob)
    finally:
        await alice.close()
        await bob.close()
