"""The KV watches survive a kill -9 of nats-server (the supervisor restarts it, store kept).

The gateway checks every request against watched copies of `parley_sessions`/`parley_accounts`
and keeps a watched copy of the rosters; signalling keeps a watched copy of the hearings; audit
pulls `AUDIT`. After nats-server dies and comes back, each must see changes made after the
restart. Writes made by this gateway update its copies locally too, so the watch itself is
probed with writes that only the watch can deliver: KV changes made by "another process"
(a separate NATS connection with that service's credentials).
"""

from __future__ import annotations

import json
import os
import signal
import time

import msgspec
import pytest

from gateway.identity.account_store import ACCOUNT_PREFIX
from gateway.identity.accounts import decode_account, disable, encode_account
from gateway.identity.session_store import kv_key_for_secret
from parley.provision import HEARINGS_BUCKET
from proto.signalling import hearing_key, roster_key
from services.signalling.model import decode_hearing, encode_hearing
from services.signalling.roster import derive
from tests.harness import Suite, pid_alive, wait_until
from tests.integration.signalling.sigclient import WsClient, seat
from tests.people import People, Staff, create_staff, staff_people

# kills the suite's nats-server -9 (chaos): `make slow` (in CI), not `make test`'s 15 minutes
pytestmark = [pytest.mark.own_suite, pytest.mark.slow]

#: A watched copy on a healthy connection lags by milliseconds; this bounds "at once".
WATCH_DEADLINE_S = 5.0


async def _status(staff: Staff, path: str = "/api/v1/me", *, bearer: bool = False) -> int:
    """The HTTP status of a GET as `staff`."""
    status, _ = await staff.call("GET", path, bearer=bearer)
    return status


async def _kill_nats(suite: Suite) -> None:
    old = suite.processes()["nats"]
    os.kill(old, signal.SIGKILL)

    async def back() -> bool:
        pid = suite.processes().get("nats")
        return pid is not None and pid != old and pid_alive(pid)

    await wait_until(back, timeout=20, what="nats-server restarted")
    await suite.ready()


async def _refused_soon(staff: Staff, *, bearer: bool = False, what: str) -> None:
    async def refused() -> bool:
        return await _status(staff, bearer=bearer) == 401

    await wait_until(refused, timeout=WATCH_DEADLINE_S, what=what)


async def _delete_session_elsewhere(suite: Suite, gone: Staff) -> None:
    other = await suite.connect("gateway")
    try:
        sessions = await other.jetstream().key_value("parley_sessions")
        await sessions.delete(kv_key_for_secret(gone.cookie))
    finally:
        await other.drain()
    await _refused_soon(gone, what="a session deleted elsewhere to be refused")
    assert await _status(gone, bearer=True) == 200  # the account itself is fine


async def _copy_hearing_elsewhere(suite: Suite, people: People, hearing: str,
                                  new_id: str) -> None:
    """Write a copy of `hearing` as `new_id`, then its roster, from another signalling process's
    connection: signalling's copy must list it, then the gateway's roster copy must make the
    mediator its mediator (the gateway refuses the detail to a staff mediator of no roster)."""
    other = await suite.connect("signalling")
    try:
        hearings = await other.jetstream().key_value(HEARINGS_BUCKET)
        entry = await hearings.get(hearing_key(hearing))
        assert entry.value is not None
        copy = msgspec.structs.replace(decode_hearing(entry.value), id=new_id,
                                       title="Written elsewhere")
        revision = await hearings.create(hearing_key(new_id), encode_hearing(copy))

        async def listed() -> bool:
            status, body = await people.mediator.call("GET", "/api/v1/hearings")
            return status == 200 and any(h["id"] == new_id for h in body["hearings"])

        await wait_until(listed, timeout=WATCH_DEADLINE_S, what="signalling's copy to see it")
        detail = f"/api/v1/hearings/{new_id}"
        assert await _status(people.mediator, detail) == 403  # no roster yet
        await hearings.create(roster_key(new_id), msgspec.json.encode(derive(copy, revision)))

        async def mediates() -> bool:
            return await _status(people.mediator, detail) == 200

        await wait_until(mediates, timeout=WATCH_DEADLINE_S, what="the gateway's roster copy")
    finally:
        await other.drain()


async def test_watches_recover_after_nats_kill_9(suite: Suite) -> None:
    await suite.ready()
    people: People = await staff_people(suite)
    victims = {name: await create_staff(suite, people.admin, "mediator", name)
               for name in ("kvsession0", "signout1", "kvsession1", "disable1", "kvdisable1")}
    for staff in victims.values():
        assert await _status(staff) == 200
    await _delete_session_elsewhere(suite, victims["kvsession0"])  # controls: healthy watches
    status, before = await people.mediator.call("POST", "/api/v1/hearings", {"title": "Before"})
    assert status == 201, (status, before)
    await _copy_hearing_elsewhere(suite, people, before["id"], "01KWATCHRESTART0000000000A")
    await _kill_nats(suite)
    started = time.monotonic()

    # (a) sessions and accounts: through this gateway's API (local update of its copies) ...
    signout = victims["signout1"]
    status, _ = await signout.call("POST", "/api/v1/auth/signout", {})
    assert status in (200, 204), status
    assert await _status(signout) == 401
    disabled = victims["disable1"]
    status, _ = await people.admin.call("PATCH", f"/api/v1/accounts/{disabled.account_id}",
                                        {"disabled": True})
    assert status == 200, status
    assert await _status(disabled) == 401
    assert await _status(disabled, bearer=True) == 401
    # ... and by another gateway process (only the watch can tell this one).
    await _delete_session_elsewhere(suite, victims["kvsession1"])
    other = await suite.connect("gateway")
    try:
        js = other.jetstream()
        accounts = await js.key_value("parley_accounts")
        victim = victims["kvdisable1"]
        entry = await accounts.get(ACCOUNT_PREFIX + victim.account_id)
        assert entry.value is not None and entry.revision is not None
        now_ms = int(time.time() * 1000)
        changed = disable(decode_account(entry.value), now_ms)
        await accounts.update(ACCOUNT_PREFIX + victim.account_id, encode_account(changed),
                              last=entry.revision)
        await _refused_soon(victim, what="a session of an account disabled elsewhere")
        await _refused_soon(victim, bearer=True, what="a token of an account disabled elsewhere")
    finally:
        await other.drain()

    # (b) hearings: a new hearing, invitations, redemption and a WebSocket join after the restart.
    cast = await seat(suite, people, sides=1, per_side=1)
    member = cast.members["A1"]
    ws = await WsClient(suite.base_url, member.headers(), cast.hearing, member.id).connect()
    try:
        assert ws.room == "lobby"
    finally:
        await ws.close()
    status, detail = await people.mediator.call("GET", f"/api/v1/hearings/{cast.hearing}")
    assert status == 200, (status, detail)
    # Records written by another signalling process reach the watched copies.
    await _copy_hearing_elsewhere(suite, people, cast.hearing, "01KWATCHRESTART0000000000B")

    # (c) audit: events published after the restart (the sign-out above) reach the log.
    async def ingested() -> bool:
        status, page = await people.auditor.call(
            "GET", f"/api/v1/audit/events?action=auth.signout&actor={signout.account_id}")
        return status == 200 and any(json.loads(r["entry"])["action"] == "auth.signout"
                                     for r in page["events"])

    await wait_until(ingested, timeout=20, what="an event published after the restart in the log")
    assert time.monotonic() - started < 45
