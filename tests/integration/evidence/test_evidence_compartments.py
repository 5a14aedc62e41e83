"""The compartment matrix, end to end: every principal, compartment and action.

Expected results are written out here by hand from DESIGN §1 (not computed by the code under
test); `sideA`/`sideB` stand for the real side ids of the hearing (`World.real`). Statuses: 401 anonymous; 403 refused by the gateway's coarse rule or, for a non-member
of the hearing, by evidence; 404 for a member who may not see the document (exactly as for a
document that does not exist); 200 allowed. A refused request never carries the document's
name or content.
"""

from __future__ import annotations

import secrets

import msgspec

from tests.harness import Suite
from tests.integration.evidence.evidence_world import World, world_of

COMPARTMENTS = ("joint", "side:sideA", "confidential:sideA", "mediator", "side:sideB")
UPLOADER = {"joint": "mediator", "side:sideA": "partyA", "confidential:sideA": "counselA",
            "mediator": "mediator", "side:sideB": "partyB"}
PRINCIPALS = ("anonymous", "admin", "auditor", "mediator", "other_mediator", "partyA",
              "counselA", "partyB", "observer_in", "observer_lobby", "stranger")
MEMBERS = {"mediator", "partyA", "counselA", "partyB", "observer_in"}
READERS = {
    "joint": {"mediator", "partyA", "counselA", "partyB", "observer_in"},
    "side:sideA": {"partyA", "counselA"},
    "confidential:sideA": {"mediator", "partyA", "counselA"},
    "mediator": {"mediator"},
    "side:sideB": {"partyB"},
}
#: Release: the owning side, widening only. `to` is the widest target.
RELEASE_TO = {"joint": "confidential:sideA", "side:sideA": "joint",
              "confidential:sideA": "joint", "mediator": "joint", "side:sideB": "confidential:sideB"}
RELEASERS = {"side:sideA": {"partyA", "counselA"}, "confidential:sideA": {"partyA", "counselA"},
             "side:sideB": {"partyB"}}
GATEWAY_REFUSES = {"admin", "auditor", "stranger"}  # no grant of the read rule
GATEWAY_REFUSES_RELEASE = {"admin", "auditor", "stranger", "mediator", "other_mediator",
                           "observer_in", "observer_lobby"}  # only party and counsel


def expected_read(who: str, compartment: str) -> int:
    if who == "anonymous":
        return 401
    if who in GATEWAY_REFUSES or who not in MEMBERS:
        return 403
    return 200 if who in READERS[compartment] else 404


def expected_release(who: str, compartment: str) -> int:
    if who == "anonymous":
        return 401
    if who in GATEWAY_REFUSES_RELEASE:
        return 403
    if who not in READERS[compartment]:
        return 404
    return 200 if who in RELEASERS.get(compartment, set()) else 403


async def _upload(world: World, compartment: str) -> tuple[str, str, bytes]:
    name = f"secret-{compartment.replace(':', '-')}-{secrets.token_hex(4)}.txt"
    content = b"CONTENT-" + secrets.token_hex(16).encode()
    status, view = await world.upload(UPLOADER[compartment], name, content, compartment)
    assert status == 201, (compartment, view)
    return view["document"], name, content


def _reveals_nothing(body: bytes, name: str, content: bytes) -> None:
    assert name.encode() not in body and content not in body, body


async def test_compartment_matrix_list_metadata_download(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    docs = {c: await _upload(world, c) for c in COMPARTMENTS}
    failures: list[tuple[object, ...]] = []
    for who in PRINCIPALS:
        caller = world[who]
        status, body = await caller.call("GET", world.docs())
        list_expected = 401 if who == "anonymous" else 200 if who in MEMBERS \
            and who not in GATEWAY_REFUSES else 403
        if status != list_expected:
            failures.append((who, "list", status, list_expected))
        seen = set()
        if status == 200:
            seen = {d["filename"] for d in msgspec.json.decode(body)["documents"]}
        for compartment, (document, name, content) in docs.items():
            if status != 200:
                _reveals_nothing(body, name, content)
            elif (name in seen) != (who in READERS[compartment]):
                failures.append((who, "list", compartment, name in seen))
            expected = expected_read(who, compartment)
            for action, path in (("metadata", f"{world.docs()}/{document}"),
                                 ("download", f"{world.docs()}/{document}/content")):
                got, reply = await caller.call("GET", path)
                if got != expected:
                    failures.append((who, action, compartment, got, expected))
                if got != 200:
                    _reveals_nothing(reply, name, content)
                elif action == "download" and reply != content:
                    failures.append((who, action, compartment, "wrong content"))
    assert not failures, failures


async def test_compartment_matrix_release(evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    failures = []
    for compartment in COMPARTMENTS:
        document, name, content = await _upload(world, compartment)
        for who in PRINCIPALS:
            got, body = await world[who].call(
                "POST", f"{world.docs()}/{document}/release",
                json={"to": world.real(RELEASE_TO[compartment])})
            expected = expected_release(who, compartment)
            if got != expected:
                failures.append((who, compartment, got, expected))
            if got != 200:
                _reveals_nothing(body, name, content)
                continue
            assert msgspec.json.decode(body)["document"]["compartment"] == \
                world.real(RELEASE_TO[compartment])
            if RELEASE_TO[compartment] == "joint":  # widened: now the other side reads it
                status, reply = await world["observer_in"].call(
                    "GET", f"{world.docs()}/{document}/content")
                assert (status, reply) == (200, content)
            document, name, content = await _upload(world, compartment)  # released: a fresh one
    assert not failures, failures


async def test_release_never_narrows(evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    document, _, _ = await _upload(world, "side:sideA")
    path = f"{world.docs()}/{document}/release"
    assert (await world["partyA"].call(
        "POST", path, json={"to": world.real("confidential:sideA")}))[0] == 200
    for target in ("side:sideA", "side:sideB", "confidential:sideB", "mediator"):
        status, _ = await world["partyA"].call("POST", path, json={"to": world.real(target)})
        assert status == 403, target
    status, body = await world["mediator"].call("GET", f"{world.docs()}/{document}")
    assert status == 200 and \
        msgspec.json.decode(body)["compartment"] == world.real("confidential:sideA")
