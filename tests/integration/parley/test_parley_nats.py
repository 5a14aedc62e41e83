"""On the real server with the real generated credentials: permissions, micro errors, audit intake."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from typing import Any

import msgspec
import nats.errors
import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js.errors import NoStreamResponseError

from parley.auditpub import AuditPublisher
from parley.errors import AuditPublishError, ServiceFailure
from parley.micro import RequestContext, ServiceHost
from parley.natsconn import server_has_seen
from parley.provision import (
    ACCOUNTS_BUCKET,
    AUDIT_LEADER_BUCKET,
    HEARINGS_BUCKET,
    SESSIONS_BUCKET,
    Provisioning,
    provision,
)
from parley.rpc import call
from proto.audit import AUDIT_STREAM, Outcome, decode_event
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind
from proto.signalling import client_subject
from tests.harness import NatsServer, free_port, freeze, wait_until


class Echo(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    text: str
    fail: str = ""


async def _violations(user: str, server: NatsServer) -> tuple[Client, list[str]]:
    seen: list[str] = []

    async def on_error(exc: Exception) -> None:
        seen.append(str(exc))

    return await server.connect(user, error_cb=on_error), seen


async def _refused_connect(url: str, **options: Any) -> None:
    client = Client()
    try:
        with pytest.raises((NatsError, OSError)):
            await client.connect(url, connect_timeout=2, max_reconnect_attempts=0,
                                 allow_reconnect=False, **options)
    finally:
        await client.close()  # nats-py leaves a refused connection's socket open otherwise


async def test_unauthenticated_and_wrong_password_are_refused(nats_server: NatsServer) -> None:
    await _refused_connect(nats_server.url)
    await _refused_connect(nats_server.url, user="gateway", password="guess")


async def test_evidence_cannot_publish_on_signalling_subjects(nats_server: NatsServer) -> None:
    listener = await nats_server.connect("signalling")
    received: list[bytes] = []

    async def collect(msg: Msg) -> None:
        received.append(msg.data)

    await listener.subscribe("parley.v1.signalling.move", cb=collect)
    await server_has_seen(listener, timeout=5)
    evidence, violations = await _violations("evidence", nats_server)
    gateway = await nats_server.connect("gateway")
    try:
        await evidence.publish("parley.v1.signalling.move", b"forged")
        await evidence.flush()
        await gateway.publish("parley.v1.signalling.move", b"from-gateway")
        await gateway.flush()

        async def gateway_message_arrived() -> bool:
            return b"from-gateway" in received

        await wait_until(gateway_message_arrived, timeout=5, what="the gateway's message")
        await wait_until(lambda: _async_true(bool(violations)), timeout=5, what="a violation")
        assert b"forged" not in received
        assert any("permissions violation" in v.lower() for v in violations)
    finally:
        for nc in (listener, evidence, gateway):
            await nc.close()


async def test_server_has_seen_returns_on_a_busy_connection(nats_server: NatsServer) -> None:
    """Other coroutines publishing all the while on the same connection (its pending buffer is
    never empty for long) do not hold the wait up to its timeout."""
    nc = await nats_server.connect("gateway")
    stop = asyncio.Event()

    async def chatter() -> None:
        while not stop.is_set():
            await nc.publish("parley.v1.signalling.move", b"x" * 200)
            await asyncio.sleep(0)

    busy = [asyncio.create_task(chatter()) for _ in range(8)]
    try:
        await asyncio.sleep(0.05)
        started = time.monotonic()
        for _ in range(5):
            await server_has_seen(nc, timeout=2)
        assert time.monotonic() - started < 2.0
    finally:
        stop.set()
        await asyncio.gather(*busy)
        await nc.close()


async def _async_true(value: bool) -> bool:
    return value


async def test_a_barrier_that_timed_out_leaves_the_connection_sound(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """nats-server stalls (SIGSTOP) past the barrier's timeout, then recovers: the barrier says
    it timed out, and the same connection then serves requests. With nats-py's own
    `flush(timeout)` the late PONG broke the connection's parser: every later request timed out
    (checked: this test fails with `_pong` replaced by `nc.flush`)."""
    server = NatsServer(data_dir=tmp_path_factory.mktemp("nats-stall"), port=free_port())
    server.start()
    gateway = await server.connect("gateway")
    signalling = await server.connect("signalling")
    try:
        async def answer(msg: Msg) -> None:
            await msg.respond(b"still here")

        await signalling.subscribe("parley.v1.signalling.stall-probe", cb=answer)
        await server_has_seen(signalling, timeout=5)
        assert server.process is not None
        freeze(server.process.pid)
        try:
            with pytest.raises(nats.errors.FlushTimeoutError):
                await server_has_seen(gateway, timeout=1)
        finally:
            os.kill(server.process.pid, signal.SIGCONT)
        for _ in range(3):
            reply = await gateway.request("parley.v1.signalling.stall-probe", b"?", timeout=5)
            assert reply.data == b"still here"
        await server_has_seen(gateway, timeout=5)
    finally:
        await gateway.close()
        await signalling.close()
        server.stop()


async def test_evidence_cannot_read_accounts_but_can_read_hearings(
    nats_server: NatsServer, supervisor_nc: Client
) -> None:
    evidence = await nats_server.connect("evidence")
    try:
        js = evidence.jetstream(timeout=2)
        with pytest.raises((NatsError, TimeoutError)):
            await js.key_value(ACCOUNTS_BUCKET)
        kv = await js.key_value(HEARINGS_BUCKET)
        with pytest.raises((NatsError, TimeoutError)):
            await kv.put("h1", b"forged")  # read-only for evidence
    finally:
        await evidence.close()


async def test_only_the_gateway_may_call_services(nats_server: NatsServer) -> None:
    service_nc = await nats_server.connect("signalling")
    host = ServiceHost(service_nc, "signalling")

    async def echo(ctx: RequestContext, request: Echo) -> Echo:
        if request.fail == "conflict":
            raise ServiceFailure(ErrorCode.CONFLICT, "already moved")
        if request.fail == "crash":
            raise RuntimeError("secret internal detail")
        if request.fail == "store_away":  # what a KV write raises while its stream elects a leader
            raise NoStreamResponseError
        principal = ctx.require_principal()
        return Echo(text=f"{request.text}:{principal.id}")

    host.endpoint("echo", Echo, echo)
    await host.start()
    gateway = await nats_server.connect("gateway")
    audit_user = await nats_server.connect("audit")
    who = Principal(kind=PrincipalKind.ACCOUNT, id="acc1")
    try:
        assert await call(gateway, "signalling", "echo", Echo("hi"), Echo, principal=who) == Echo("hi:acc1")
        with pytest.raises(ServiceFailure) as conflict:
            await call(gateway, "signalling", "echo", Echo("x", "conflict"), Echo, principal=who)
        assert conflict.value.code is ErrorCode.CONFLICT and conflict.value.message == "already moved"
        with pytest.raises(ServiceFailure) as crash:
            await call(gateway, "signalling", "echo", Echo("x", "crash"), Echo, principal=who)
        assert crash.value.code is ErrorCode.INTERNAL and "secret" not in crash.value.message
        with pytest.raises(ServiceFailure) as away:  # retryable, so said so (not "internal")
            await call(gateway, "signalling", "echo", Echo("x", "store_away"), Echo, principal=who)
        assert away.value.code is ErrorCode.UNAVAILABLE and away.value.retry_after_s == 1
        with pytest.raises(ServiceFailure) as unauth:
            await call(gateway, "signalling", "echo", Echo("x"), Echo)
        assert unauth.value.code is ErrorCode.UNAUTHENTICATED
        with pytest.raises(ServiceFailure) as invalid:
            await call(gateway, "signalling", "echo", {"text": 5}, Echo, principal=who)
        assert invalid.value.code is ErrorCode.INVALID and "text" in invalid.value.message
        # Another service's user cannot forge a principal: its request never reaches the endpoint.
        with pytest.raises(ServiceFailure) as forged:
            await call(audit_user, "signalling", "echo", Echo("x"), Echo, principal=who, timeout=1)
        assert forged.value.code is ErrorCode.UNAVAILABLE
    finally:
        await host.stop()
        for nc in (service_nc, gateway, audit_user):
            await nc.close()


async def test_audit_publish_is_durable_and_deduplicated(
    nats_server: NatsServer, supervisor_nc: Client
) -> None:
    gateway = await nats_server.connect("gateway")
    try:
        publisher = AuditPublisher(gateway.jetstream(), "gateway")
        event = publisher.build(actor=None, action="auth.signin", resource_type="account",
                                resource_id="a1", outcome=Outcome.DENIED, details={"reason": "x"})
        js = supervisor_nc.jetstream()
        before = (await js.stream_info(AUDIT_STREAM)).state.messages
        await publisher.publish(event)
        await publisher.publish(event)  # a retry: same Nats-Msg-Id, stored once
        info = await js.stream_info(AUDIT_STREAM)
        assert info.state.messages == before + 1
        stored = await js.get_msg(AUDIT_STREAM, info.state.last_seq)
        assert decode_event(stored.data) == event

        other = AuditPublisher(gateway.jetstream(), "evidence", timeout_s=1)  # not its subject
        with pytest.raises(AuditPublishError):
            await other.record(actor=None, action="document.view", resource_type="document",
                               resource_id="d", outcome=Outcome.ALLOWED)
    finally:
        await gateway.close()


async def test_audit_publish_fails_when_nats_is_gone(tmp_path_factory: pytest.TempPathFactory) -> None:

    server = NatsServer(data_dir=tmp_path_factory.mktemp("nats-gone"), port=free_port())
    server.start()
    sup = await server.connect("supervisor")
    await provision(sup.jetstream())
    await sup.close()
    # Still reconnecting while the publish is tried (0.5 s), but not for ever: in CI the
    # client's reconnect loop went on after `close()` (a log of refused connects) and kept the
    # test's event loop from closing for 120 s; most likely a cancellation that Python 3.11's
    # `asyncio.wait_for` swallows when the connect it waits on fails in the same instant.
    # 50 tries at 0.1 s end by themselves.
    gateway = await server.connect("gateway", max_reconnect_attempts=50, reconnect_time_wait=0.1)
    publisher = AuditPublisher(gateway.jetstream(), "gateway", timeout_s=0.5)
    try:
        server.stop()
        with pytest.raises(AuditPublishError):
            await asyncio.wait_for(publisher.record(
                actor=None, action="auth.signin", resource_type="account", resource_id="a",
                outcome=Outcome.ALLOWED), 5)
    finally:
        await gateway.close()


async def test_provisioning_again_applies_a_changed_lease_and_session_lifetime(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """The leader bucket's TTL is the audit lease and the sessions bucket's TTL bounds every
    session: provisioning an existing deployment with new values must apply them, not keep
    the buckets as first created."""
    server = NatsServer(data_dir=tmp_path_factory.mktemp("nats-ttl"), port=free_port())
    server.start()
    sup = await server.connect("supervisor")
    try:
        js = sup.jetstream()

        async def ttls() -> tuple[float, float]:
            lease = (await js.stream_info(f"KV_{AUDIT_LEADER_BUCKET}")).config.max_age
            sessions = (await js.stream_info(f"KV_{SESSIONS_BUCKET}")).config.max_age
            return float(lease or 0), float(sessions or 0)

        await provision(js, Provisioning(audit_lease_s=3.0, session_ttl_s=3600.0))
        assert await ttls() == pytest.approx((3.0, 3600.0))
        await provision(js, Provisioning(audit_lease_s=10.0, session_ttl_s=7200.0))
        assert await ttls() == pytest.approx((10.0, 7200.0))
        # The lease works at its new length: a value outlives the old 3 s.
        audit = await server.connect("audit")
        try:
            kv = await audit.jetstream().key_value(AUDIT_LEADER_BUCKET)
            await kv.create("sequencer", b'{"holder": "audit-1"}')
            await asyncio.sleep(4.0)
            assert (await kv.get("sequencer")).value == b'{"holder": "audit-1"}'
        finally:
            await audit.close()
    finally:
        await sup.close()
        server.stop()


async def test_a_subscription_the_server_has_seen_gets_another_connections_next_publish(
        nats_server: NatsServer) -> None:
    """`server_has_seen` is a barrier across connections: nats-py's `flush()` alone let the other
    connection's publish reach the server before the SUB in about 4 tries in 100 (its PING
    overtakes the queued SUB); 60 fresh subscriptions make that failure near certain to show."""
    gateway = await nats_server.connect("gateway")
    signalling = await nats_server.connect("signalling")
    try:
        missed = []
        for attempt in range(60):
            got: list[bytes] = []

            async def receive(msg: Msg, got: list[bytes] = got) -> None:
                got.append(msg.data)

            subject = client_subject(f"barrier{attempt}", "a1")
            sub = await gateway.subscribe(client_subject(f"barrier{attempt}", "*"), cb=receive)
            await server_has_seen(gateway, timeout=5)
            await signalling.publish(subject, b"after the barrier")
            await signalling.flush()

            async def arrived(got: list[bytes] = got) -> bool:
                return got == [b"after the barrier"]

            try:
                await wait_until(arrived, timeout=1, what="the message")
            except TimeoutError:
                missed.append(attempt)
            await sub.unsubscribe()
        assert missed == []
    finally:
        await gateway.drain()
        await signalling.drain()
