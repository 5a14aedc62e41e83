"""Audit hardening through the real suite: a tile reader walks the tree without 429 and without
growing the log per GET; entry bundles gzip-served, full tiles immutable; refusals (401, 429,
failed invitations, an address's redeem backoff) audited once per source and period (the
backoff once per window) with the address as a pseudonym, never in clear; the log's origin
derived on first start."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from proto.audit import Actor, AuditEvent, Outcome, Resource, audit_subject, encode_event
from services.audit.checkpoint import open_checkpoint
from services.audit.keys import parse_vkey
from services.audit.tiles import TileId
from tests.harness import Suite, wait_until
from tests.integration.signalling.sigclient import api, redeem, seat
from tests.people import People, staff_people

ADDRESS_PSEUDONYM = re.compile(r"^addr:\d{4}-\d{2}:[0-9a-f]{20}$")


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    running = Suite(data_dir=tmp_path_factory.mktemp("suite") / "data", extra_env={
        "PARLEY_PUBLIC_URL": "https://hearings.example.hk", "PARLEY_DENIAL_AUDIT_PERIOD_S": "2",
        "PARLEY_RATE_SESSION_PER_S": "5", "PARLEY_RATE_SESSION_BURST": "40"})
    running.start()
    yield running
    running.stop()


@pytest.fixture
async def people(suite: Suite) -> People:
    await suite.ready()
    return await staff_people(suite)


async def _events(people: People, query: str) -> list[dict[str, Any]]:
    async with people.auditor.session(bearer=True) as http, \
            http.get(f"/api/v1/audit/events?limit=1000&{query}") as r:
        assert r.status == 200, await r.text()
        return [json.loads(row["entry"]) for row in (await r.json())["events"]]


async def _publish(suite: Suite, count: int) -> None:
    nc = await suite.connect("supervisor")
    try:
        js = nc.jetstream()
        for start in range(0, count, 100):
            await asyncio.gather(*(js.publish(
                audit_subject("supervisor"), encode_event(AuditEvent(
                    id=f"walk{i:06d}", time=1_700_000_000_000 + i, actor=Actor(id="acctW"),
                    action="document.view", resource=Resource(type="document", id=f"d{i}"),
                    outcome=Outcome.ALLOWED, service="supervisor", hearing="hWalk")),
                headers={"Nats-Msg-Id": f"walk{i:06d}"}) for i in range(start, min(count, start + 100))))
    finally:
        await nc.drain()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _root(leaves: list[bytes]) -> bytes:
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return _node(_root(leaves[:k]), _root(leaves[k:]))


async def test_a_tile_reader_walks_the_tree_and_the_log_grows_once(suite: Suite,
                                                                   people: People) -> None:
    await _publish(suite, 700)
    auditor = people.auditor
    async with auditor.session(bearer=True) as http:
        async with http.get("/api/v1/audit/vkey") as r:
            key = parse_vkey(await r.text())
        # No origin configured: the first start derived one from the public URL.
        assert re.fullmatch(r"hearings\.example\.hk/audit/[0-9a-f]{8}", key.name)

        async def big_enough() -> Any:
            async with http.get("/api/v1/audit/log/checkpoint") as r:
                cp = open_checkpoint(await r.read(), key)
            return cp if cp.size >= 700 else None

        cp = await wait_until(big_enough, timeout=30, what="a checkpoint over the walk events")
        # Like Go's TileHashReader without a cache: one level-0 tile read per leaf looked at
        # (far beyond the ordinary per-session limit of 40 + 5/s), then the tree rebuilt.
        statuses: list[int] = []
        leaves: dict[int, bytes] = {}

        async def read_tile(index: int) -> None:
            tile = TileId(0, index // 256, min(256, cp.size - index // 256 * 256))
            async with http.get(f"/api/v1/audit/log/{tile.path()}") as r:
                statuses.append(r.status)
                data = await r.read()
                if r.status == 200:
                    for n in range(len(data) // 32):
                        leaves[tile.index * 256 + n] = data[32 * n:32 * n + 32]
                    if tile.width == 256:
                        assert "immutable" in r.headers["Cache-Control"]

        for start in range(0, cp.size, 50):
            await asyncio.gather(*(read_tile(i) for i in range(start, min(cp.size, start + 50), 2)))
        assert set(statuses) == {200} and len(statuses) > 300
        assert _root([leaves[i] for i in range(cp.size)]) == cp.root
        async with http.get("/api/v1/audit/log/tile/entries/000",
                            headers={"Accept-Encoding": "gzip"}, auto_decompress=False) as r:
            raw = await r.read()
            assert r.headers["Content-Encoding"] == "gzip"
        bundle = gzip.decompress(raw)
        first = bundle[2:2 + int.from_bytes(bundle[:2], "big")]
        assert hashlib.sha256(b"\x00" + first).digest() == leaves[0]
    # The whole walk is one `audit.proof` entry of kind "tiles", not one per GET.
    await asyncio.sleep(1.0)  # let any per-GET entry (the old behaviour) reach the log
    reads = [e for e in await _events(people, f"action=audit.proof&actor={auditor.account_id}")
             if e["details"].get("kind") == "tiles"]
    assert len(reads) == 1 and reads[0]["resource"]["id"].startswith("tile/0/")


async def test_refusals_are_audited_once_per_source_with_a_pseudonymous_address(
        suite: Suite, people: People) -> None:
    async with aiohttp.ClientSession(base_url=suite.base_url) as anon:
        for _ in range(6):
            async with anon.get("/api/v1/audit/events?hearing=hSecret") as r:
                assert r.status == 401
        for _ in range(3):
            async with anon.post("/api/v1/invitations/redeem",
                                 json={"token": "h1.i1.nope", "access_code": "123456"}) as r:
                assert r.status in (400, 401)
    # 429: a signed-in mediator over its session limit.
    async with people.mediator.session(bearer=True) as http:
        codes = []
        for _ in range(60):
            async with http.get("/api/v1/me") as r:
                codes.append(r.status)
        assert 429 in codes

    async def audited() -> list[dict[str, Any]] | None:
        denied = await _events(people, "action=auth.denied")
        anonymous = [e for e in denied if e["actor"]["id"] == "anonymous"
                     and e["details"].get("path") == "/api/v1/audit/events"]
        limited = [e for e in denied if e["actor"]["id"] == people.mediator.account_id
                   and e["details"].get("kind") == "rate_limited"]
        summaries = [e for e in anonymous if e["details"].get("summary")]
        return [*anonymous, *limited] if summaries and limited else None

    found = await wait_until(audited, timeout=20, what="refusals and their summary audited")
    anonymous = [e for e in found if e["actor"]["id"] == "anonymous"]
    assert len(anonymous) == 2  # the first refusal, and one summary with the count
    assert {e["details"].get("count") for e in anonymous} == {None, 6}
    assert all(ADDRESS_PSEUDONYM.fullmatch(e["details"]["address"]) for e in found)
    assert len({e["details"]["address"] for e in anonymous}) == 1
    redeems = await _events(people, "action=participant.redeem")
    assert redeems and all(ADDRESS_PSEUDONYM.fullmatch(e["details"]["address"])
                           for e in redeems if e["service"] == "gateway")
    # Sign-ins carry the pseudonym, never the address in clear.
    signins = await _events(people, "action=auth.signin")
    assert signins and all(ADDRESS_PSEUDONYM.fullmatch(e["details"]["address"]) for e in signins)
    everything = json.dumps(await _events(people, ""))
    assert "127.0.0.1" not in everything


async def test_a_refused_redemption_is_in_its_hearings_report_and_a_forged_one_is_not(
        suite: Suite, people: People) -> None:
    """The gateway's own entry of a refused redemption names the hearing (and invitation) once
    signalling found the token genuine; a token that only names the hearing, with a secret that
    never matched, is tied to no hearing. Neither entry holds the token or a code."""
    cast = await seat(suite, people, sides=1, per_side=1, redeem_all=False)
    inv = cast.invitations["A1"]
    hearing, invitation, secret = inv["token"].split(".")
    forged = f"{hearing}.{invitation}.{'A' * 43}"
    since = int(time.time() * 1000)
    status, body, _ = await redeem(suite.base_url, inv["token"], "WRONG-CODE")
    assert (status, body["error"]["reason"]) == (401, "access_code_wrong"), body
    status, body, _ = await redeem(suite.base_url, forged, inv["access_code"])
    assert (status, body["error"]["reason"]) == (401, "invitation_invalid"), body

    def from_gateway(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [e for e in events if e["service"] == "gateway" and e["time"] >= since]

    async def reported() -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
        mine = from_gateway(await _events(
            people, f"hearing={cast.hearing}&action=participant.redeem"))
        unbound = [e for e in from_gateway(await _events(people, "action=participant.redeem"))
                   if "hearing" not in e and e["details"]["kind"] == "redeem.unauthenticated"]
        return (mine, unbound) if mine and unbound else None

    mine, unbound = await wait_until(reported, timeout=20, what="both refusals audited")
    assert [(e["outcome"], e["resource"], e["hearing"], e["details"]["kind"],
             e["details"]["reason"]) for e in mine] == [
        ("denied", {"type": "invitation", "id": invitation}, cast.hearing,
         "redeem.unauthenticated", "access code not accepted")]
    assert ADDRESS_PSEUDONYM.fullmatch(mine[0]["details"]["address"])
    assert [(e["resource"], e["details"]["reason"]) for e in unbound] == [
        ({"type": "invitation", "id": "redeem"}, "invitation or access code not valid")]
    written = json.dumps([*mine, *unbound])
    for kept in (secret, "A" * 43, inv["access_code"], "WRONG-CODE"):
        assert kept not in written


async def test_a_link_tried_after_the_end_is_refused_as_ended_in_both_entries(
        suite: Suite, people: People) -> None:
    """A used link tried again after the hearing ended: the person is told the hearing ended,
    and both entries of that one attempt say so (signalling's, naming whose invitation, and the
    gateway's, with the address pseudonym), never a second, different reason."""
    cast = await seat(suite, people, sides=1, per_side=1)
    inv = cast.invitations["A1"]
    _, invitation, _ = inv["token"].split(".")
    status, _ = await api(people.mediator, "POST", f"/api/v1/hearings/{cast.hearing}/close", {})
    assert status == 200, status
    since = int(time.time() * 1000)
    status, body, _ = await redeem(suite.base_url, inv["token"], inv["access_code"])
    assert (status, body["error"]["reason"]) == (401, "hearing_ended"), body

    async def both() -> list[dict[str, Any]] | None:
        found = [e for e in await _events(
            people, f"hearing={cast.hearing}&action=participant.redeem&outcome=denied")
            if e["time"] >= since]
        return found if {e["service"] for e in found} >= {"gateway", "signalling"} else None

    entries = await wait_until(both, timeout=20, what="both entries of the refusal")
    assert sorted((e["service"], e["resource"]["id"], e["details"]["reason"])
                  for e in entries) == [("gateway", invitation, "the hearing has ended"),
                                        ("signalling", invitation, "the hearing has ended")]


async def test_a_removed_participants_old_link_says_they_were_removed_in_both_entries(
        suite: Suite, people: People) -> None:
    """Removal revokes a person's invitations; opening one again (used or not) is refused as
    `participant_removed`, not as a bare withdrawal, and both entries of each attempt say so:
    signalling's (whose invitation) and the gateway's (the hearing, the address pseudonym)."""
    cast = await seat(suite, people, sides=1, per_side=2, redeem_all=False)
    joined, invited = cast.invitations["A1"], cast.invitations["A2"]
    status, _, _ = await redeem(suite.base_url, joined["token"], joined["access_code"])
    assert status == 200, status
    for inv in (joined, invited):
        status, _ = await api(people.mediator, "DELETE", f"/api/v1/hearings/{cast.hearing}"
                              f"/participants/{inv['participant']}")
        assert status == 200, status
    since = int(time.time() * 1000)
    for inv in (joined, invited):
        status, body, cookie = await redeem(suite.base_url, inv["token"], inv["access_code"])
        assert (status, body["error"]["reason"]) == (401, "participant_removed"), body
        assert cookie == ""

    async def entries() -> list[dict[str, Any]] | None:
        found = [e for e in await _events(
            people, f"hearing={cast.hearing}&action=participant.redeem&outcome=denied")
            if e["time"] >= since]
        return found if len(found) >= 4 else None

    found = await wait_until(entries, timeout=20, what="both entries of both refusals")
    why = "the participant was removed from the hearing"
    ids = {inv["token"].split(".")[1]: inv["participant"] for inv in (joined, invited)}
    assert sorted((e["service"], e["resource"]["id"], e["details"]["reason"]) for e in found) \
        == sorted((service, invitation, why) for invitation in ids
                  for service in ("gateway", "signalling"))
    assert {e["resource"]["id"]: e["details"]["participant"] for e in found
            if e["service"] == "signalling"} == ids
    written = json.dumps(found)
    for inv in (joined, invited):
        assert inv["token"].split(".")[2] not in written and inv["access_code"] not in written


async def test_a_search_by_person_finds_every_use_of_their_invitations(
        suite: Suite, people: People) -> None:
    """Redemptions name the invitation, never the person: a search by the person's name (the
    web client's search, and its CSV, which reads the same pages) finds the uses of each link
    they were issued, refused ones included, the first link's and a new link's, counted in
    the total and paged like the rest; the other person's uses stay out."""
    cast = await seat(suite, people, sides=1, per_side=2, redeem_all=False)
    mine, theirs = cast.invitations["A1"], cast.invitations["A2"]
    status, body, _ = await redeem(suite.base_url, mine["token"], "WRONG-CODE")
    assert (status, body["error"]["reason"]) == (401, "access_code_wrong"), body
    status, fresh = await api(people.mediator, "POST", f"/api/v1/hearings/{cast.hearing}"
                              f"/participants/{mine['participant']}/invitations", {})
    assert status == 201, (status, fresh)
    for inv in (fresh, theirs):
        status, _, _ = await redeem(suite.base_url, inv["token"], inv["access_code"])
        assert status == 200, status
    links = {inv["token"].split(".")[1] for inv in (mine, fresh)}

    async def uses() -> list[dict[str, Any]] | None:
        found = await _events(people, f"hearing={cast.hearing}&action=participant.redeem")
        return found if {(e["resource"]["id"], e["outcome"]) for e in found} >= {
            (mine["token"].split(".")[1], "denied"), (fresh["token"].split(".")[1], "allowed"),
            (theirs["token"].split(".")[1], "allowed")} else None

    redeemed = await wait_until(uses, timeout=20, what="the redemptions audited")
    expected = {e["id"] for e in redeemed if e["resource"]["id"] in links}
    found = await _events(people, f"hearing={cast.hearing}&person=a1")
    assert expected <= {e["id"] for e in found}
    assert not [e for e in found if e["action"] == "participant.redeem"
                and e["resource"]["id"] not in links]
    paged: list[str] = []
    cursor = ""
    async with people.auditor.session(bearer=True) as http:
        while True:
            async with http.get(f"/api/v1/audit/events?hearing={cast.hearing}&person=a1"
                                f"&order=desc&limit=2{cursor}") as r:
                assert r.status == 200, await r.text()
                page = await r.json()
            assert page["total"] == len(found)
            paged += [json.loads(row["entry"])["id"] for row in page["events"]]
            if "next_cursor" not in page:
                break
            cursor = f"&cursor={page['next_cursor']}"
    assert paged == [e["id"] for e in reversed(found)]


async def test_a_search_by_person_returns_each_entry_once_however_many_ways_it_is_theirs(
        suite: Suite, people: People) -> None:
    """The `person` filter unions what they did, what was done to them and the uses of their
    invitations: an entry that is theirs several ways at once (their own connection, a use of
    their invitation while signed in as them) is returned once, on one page, and counted once;
    two listings by them 4 ms apart are two entries (two requests: the walkthrough's pairs), each
    once. Paged both ways, two at a time, the pages hold exactly the total."""
    hearing, pid, other = "hOnce1", "pWongOnce", "pLeeOnce"
    t0 = 1_795_799_000_000
    events: list[AuditEvent] = []

    def add(action: str, actor: Actor, rtype: str, rid: str, dt: int, **details: object) -> str:
        events.append(AuditEvent(
            id=f"once{len(events):03d}", time=t0 + dt, actor=actor, action=action,
            resource=Resource(type=rtype, id=rid), outcome=Outcome.ALLOWED, service="signalling",
            hearing=hearing, details=details))
        return events[-1].id

    med = Actor(id="acctMedOnce", role="mediator", kind="account")
    wong = Actor(id=pid, role="party", kind="participant")
    nobody = Actor(id="anonymous", kind="anonymous")
    mine = {
        add("participant.invite", med, "participant", pid, 1, name="Wong Tai Sin", role="party",
            invitation="invOnce1"),
        add("participant.reissue", med, "participant", pid, 2, invitation="invOnce2"),
        add("participant.redeem", nobody, "invitation", "invOnce2", 3, participant=pid),
        # theirs three ways: their own act, on them, and naming their invitation
        add("participant.redeem", wong, "invitation", "invOnce1", 4, participant=pid),
        add("participant.connect", wong, "participant", pid, 5, room="lobby"),
        add("document.list", wong, "hearing", hearing, 6, count=1),
        add("document.list", wong, "hearing", hearing, 10, count=1),
    }
    add("participant.invite", med, "participant", other, 7, name="Lee Ka Yan", role="party",
        invitation="invOnce3")
    add("participant.redeem", nobody, "invitation", "invOnce3", 8, participant=other)
    nc = await suite.connect("supervisor")
    try:
        js = nc.jetstream()
        for event in events:
            await js.publish(audit_subject("supervisor"), encode_event(event),
                             headers={"Nats-Msg-Id": event.id})
    finally:
        await nc.drain()

    async def logged() -> list[dict[str, Any]] | None:
        found = await _events(people, f"hearing={hearing}")
        return found if len(found) == len(events) else None

    await wait_until(logged, timeout=20, what="the published entries in the log")
    async with people.auditor.session(bearer=True) as http:
        for order in ("asc", "desc"):
            paged: list[str] = []
            totals: set[int] = set()
            cursor = ""
            while True:
                async with http.get(f"/api/v1/audit/events?person=wong%20tai&order={order}"
                                    f"&limit=2{cursor}") as r:
                    assert r.status == 200, await r.text()
                    page = await r.json()
                totals.add(page["total"])
                paged += [json.loads(row["entry"])["id"] for row in page["events"]]
                if "next_cursor" not in page:
                    break
                cursor = f"&cursor={page['next_cursor']}"
            assert len(paged) == len(set(paged)), (order, paged)
            assert set(paged) == mine and totals == {len(mine)}, (order, paged, totals)
            assert paged == sorted(paged, reverse=order == "desc"), (order, paged)


async def _redeem_from(source: str, base_url: str, token: str, code: str) -> tuple[int, Any]:
    """A redemption from another loopback address (its own backoff, its own pseudonym)."""
    connector = aiohttp.TCPConnector(local_addr=(source, 0))
    async with aiohttp.ClientSession(base_url=base_url, connector=connector) as http, \
            http.post("/api/v1/invitations/redeem",
                      json={"token": token, "access_code": code}) as r:
        return r.status, await r.json()


async def test_the_addresss_redeem_backoff_is_audited_once_per_window_without_secrets(
        suite: Suite, people: People) -> None:
    """Past its free failures (fifty: PARLEY_REDEEM_ADDRESS_FREE_FAILURES) an address is
    refused (429, reason `too_many_from_address`, not one invitation's `too_many_attempts`) by
    the gateway before signalling is asked; that refusal is audited, naming no hearing (the
    token was never looked at, and this one is forged) and holding no secret, once per backoff
    window however many requests a flood sends into it (api/redeem.py). From 127.0.0.2, so the
    module's other redemptions (from 127.0.0.1) keep their own backoff."""
    cast = await seat(suite, people, sides=1, per_side=1, redeem_all=False)
    inv = cast.invitations["A1"]
    hearing, invitation, secret = inv["token"].split(".")
    forged = f"{hearing}.{invitation}.{'B' * 43}"
    since = int(time.time() * 1000)
    replies = []
    for _ in range(70):  # the first fifty failures are free; the fifty-first blocks for a second
        replies.append(await _redeem_from("127.0.0.2", suite.base_url, forged, inv["access_code"]))
        if replies[-1][0] == 429:
            break
    status, body = replies[-1]
    assert (status, body["error"]["reason"]) == (429, "too_many_from_address"), replies[-3:]
    assert {s for s, _ in replies[:-1]} == {401} and len(replies) == 52, replies[-3:]
    # A flood into the same one-second window: refused every time, audited once.
    flood = await asyncio.gather(*(_redeem_from("127.0.0.2", suite.base_url, forged, "WRONG-CODE")
                                   for _ in range(5)))
    assert [s for s, _ in flood] == [429] * 5, flood
    # A control: two refusals from another address, whose summary (count 2) is written once
    # its period, begun after the flood's, is over; by then the flood's would be too.
    for _ in range(2):
        assert (await _redeem_from("127.0.0.3", suite.base_url, forged, "X"))[0] == 401

    def gateway(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [e for e in events if e["service"] == "gateway" and e["time"] >= since]

    async def settled() -> list[dict[str, Any]] | None:
        found = gateway(await _events(people, "action=participant.redeem"))
        blocked = [e for e in found if e["details"]["kind"] == "redeem.rate_limited"]
        first = {e["details"]["address"] for e in found if not e["details"].get("summary")}
        control = [e for e in found if e["details"].get("summary")
                   and e["details"]["kind"] == "redeem.unauthenticated"
                   and e["details"].get("count") == 2]
        return blocked if blocked and len(first) >= 2 and control else None

    blocked = await wait_until(settled, timeout=30, what="the backoff refusal and the control")
    assert [(e["outcome"], e["resource"], "hearing" in e, e["details"]["reason"],
             e["details"]["retry_after_s"], e["details"].get("summary")) for e in blocked] == [
        ("denied", {"type": "invitation", "id": "redeem"}, False,
         "too many failed invitation attempts from this address", 1, None)]
    assert ADDRESS_PSEUDONYM.fullmatch(blocked[0]["details"]["address"])
    written = json.dumps(gateway(await _events(people, "")))
    for kept in (secret, "B" * 43, inv["access_code"], "WRONG-CODE", "127.0.0.2"):
        assert kept not in written


async def test_an_offices_typos_never_block_a_newcomers_one_wrong_code(
        suite: Suite, people: People) -> None:
    """A whole office behind one NAT address: its people mistype their codes (each below its
    invitation's own limit) more often than the old per-address bound (ten) allowed, and a
    newcomer from the same address who types one wrong code is told just that, then gets in.
    The limit a person meets is their invitation's, said as such (`too_many_attempts`); the
    address's is only against one address trying many links. From 127.0.0.4 (its own
    backoff)."""
    office = "127.0.0.4"
    cast = await seat(suite, people, sides=1, per_side=5, redeem_all=False)
    colleagues = [cast.invitations[f"A{i}"] for i in range(1, 5)]
    for inv in colleagues:
        for _ in range(4):  # sixteen wrong codes from one address, none an invitation's fifth
            status, body = await _redeem_from(office, suite.base_url, inv["token"], "WRONG-CODE0")
            assert (status, body["error"]["reason"]) == (401, "access_code_wrong"), body
    newcomer = cast.invitations["A5"]
    status, body = await _redeem_from(office, suite.base_url, newcomer["token"], "WRONG-CODE0")
    assert (status, body["error"]["reason"]) == (401, "access_code_wrong"), body
    status, body = await _redeem_from(office, suite.base_url, newcomer["token"],
                                      newcomer["access_code"])
    assert status == 200, body
    # One invitation's fifth wrong code: that invitation is blocked, and says it is its own limit.
    status, body = await _redeem_from(office, suite.base_url, colleagues[0]["token"], "WRONG-CODE0")
    assert (status, body["error"]["reason"]) == (429, "too_many_attempts"), body
    status, body = await _redeem_from(office, suite.base_url, colleagues[1]["token"],
                                      colleagues[1]["access_code"])
    assert status == 200, body  # the others' invitations still work from the same address


async def test_the_institution_resolves_a_pseudonym_while_its_key_exists(
        suite: Suite, people: People) -> None:
    keys = list(Path(suite.data_dir, "gateway", "address-keys").glob("*.key"))
    assert keys and all(len(k.read_bytes()) == 32 for k in keys)  # held outside the log
    pseudonym = (await _events(people, "action=auth.signin"))[0]["details"]["address"]

    def resolve(address: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "parley.cli", "account", "resolve-address",
                               pseudonym, address], env=suite.env, capture_output=True,
                              text=True, timeout=60, check=False)

    assert resolve("127.0.0.1").returncode == 0
    assert resolve("10.9.8.7").returncode == 1
