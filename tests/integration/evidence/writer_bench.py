"""A bench for store-writer tests: the real evidence service core over a real store.

`Bench` holds the real `Evidence` endpoints (decisions and audit) over a real `Vault` on one of
the stores (local folder, or a versioned, object-locked bucket on moto or SeaweedFS), the real
internal byte port (aiohttp, a real socket) for downloads, and a real `AuditPublisher` on the
session's nats-server: audit events are read back from the JetStream stream `AUDIT`. The roster
is fixed data read through the real `facts_from_roster`. The store writer is the test itself:
it changes objects with the store's own client, holding no key.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestServer
from nats.aio.client import Client
from nats.js import JetStreamContext

from parley.auditpub import AuditPublisher
from parley.errors import DomainError
from parley.instants import now_ms
from parley.micro import RequestContext
from proto.audit import AUDIT_STREAM, AuditEvent, decode_event
from proto.common import Role
from proto.errors import ErrorCode
from proto.evidence import (
    TICKET_HEADER,
    DownloadBeginRequest,
    ListDocumentsRequest,
    Manifest,
    VersionsRequest,
)
from proto.principal import PRINCIPAL_HEADER, Principal, PrincipalKind, encode_principal
from proto.signalling import Roster, RosterMember
from proto.ws import HearingState
from services.evidence.access import HearingFacts
from services.evidence.decisions import Evidence
from services.evidence.internal_http import internal_app
from services.evidence.keyfile import LocalKeyFileProvider
from services.evidence.roster import facts_from_roster
from services.evidence.store.base import ObjectStore
from services.evidence.tickets import DownloadGrant, TicketBook, UploadGrant
from services.evidence.vault import Limits, Vault
from tests.harness import NatsServer

LIMITS = Limits(max_document_size=1 << 20, max_documents_per_hearing=500, segment_size=4096)


def participant(pid: str, side: str, hearing: str) -> Principal:
    return Principal(kind=PrincipalKind.PARTICIPANT, id=pid, role=Role.PARTY, hearing=hearing,
                     side=side)


class FixedRoster:
    """The roster read model as signalling would have written it, for every hearing."""

    def __init__(self) -> None:
        self.rosters: dict[str, Roster] = {}

    def add(self, hearing: str) -> None:
        self.rosters[hearing] = Roster(
            hearing=hearing, state=HearingState.OPEN, mediator="med", revision=1,
            sides=["A", "B"], participants={
                f"pa-{hearing}": RosterMember(role=Role.PARTY, status="active", side="A"),
                f"pb-{hearing}": RosterMember(role=Role.PARTY, status="active", side="B")})

    async def facts(self, hearing: str, principal: Principal) -> HearingFacts:
        return facts_from_roster(hearing, self.rosters.get(hearing), principal)


@dataclass
class Bench:
    store: ObjectStore
    vault: Vault
    evidence: Evidence
    js: JetStreamContext
    http: TestServer
    key_file: Path
    roster: FixedRoster
    since: int
    hearing: str = field(default_factory=lambda: f"h{secrets.token_hex(4)}")

    def a(self, hearing: str | None = None) -> Principal:
        hearing = hearing or self.hearing
        return participant(f"pa-{hearing}", "A", hearing)

    def b(self, hearing: str | None = None) -> Principal:
        hearing = hearing or self.hearing
        return participant(f"pb-{hearing}", "B", hearing)

    async def upload(self, data: bytes, *, name: str = "brief.pdf", compartment: str = "side:A",
                     hearing: str | None = None) -> Manifest:
        hearing = hearing or self.hearing
        self.roster.add(hearing)
        owner = "mediator" if compartment in ("joint", "mediator") else "side:A"

        async def body() -> AsyncIterator[bytes]:
            yield data

        return await self.vault.upload(hearing, compartment, name, len(data), body(),
                                       owner=owner, uploaded_by=f"pa-{hearing}")

    async def listed(self, who: Principal) -> list[str]:
        """Document ids `who` is shown (the service decides, as for a real request)."""
        reply = await self.evidence.list(RequestContext(who, None, {}),
                                         ListDocumentsRequest(hearing=who.hearing or ""))
        return [view.document for view in reply.documents]

    async def download(self, who: Principal, document: str, *, byte_range: str | None = None,
                       version: str | None = None) -> bytes | ErrorCode:
        """The plaintext `who` is served (of the latest version, or of `version`), or the error
        code the service answered with. A stream cut after its headers (an integrity failure
        mid-way) comes back as INTEGRITY too."""
        try:
            begun = await self.evidence.download_begin(
                RequestContext(who, None, {}),
                DownloadBeginRequest(hearing=who.hearing or "", document=document,
                                     version=version, range=byte_range))
        except DomainError as exc:  # what the service's error path answers with
            return exc.code
        assert begun.url is not None and begun.ticket is not None
        headers = {TICKET_HEADER: begun.ticket, PRINCIPAL_HEADER: encode_principal(who)}
        async with aiohttp.ClientSession() as http, http.get(begun.url, headers=headers) as resp:
            if resp.status != 200:
                return ErrorCode((await resp.json())["code"])
            try:
                data = await resp.read()
            except aiohttp.ClientPayloadError:
                return ErrorCode.INTEGRITY
        return data

    async def versions(self, who: Principal, document: str) -> list[str] | ErrorCode:
        """The version ids `who` is listed, newest first, or the service's error code."""
        try:
            reply = await self.evidence.versions(
                RequestContext(who, None, {}),
                VersionsRequest(hearing=who.hearing or "", document=document))
        except DomainError as exc:
            return exc.code
        return [view.version for view in reply.versions]

    async def events(self, action: str | None = None) -> list[AuditEvent]:
        """Audit events of this bench's hearings published since it started, in order."""
        last = (await self.js.stream_info(AUDIT_STREAM)).state.last_seq
        found = []
        for seq in range(self.since + 1, last + 1):
            event = decode_event((await self.js.get_msg(AUDIT_STREAM, seq)).data)
            if event.hearing in self.roster.rosters and (action is None or event.action == action):
                found.append(event)
        return found


async def open_bench(store: ObjectStore, tmp_path: Path, supervisor: Client,
                     evidence_nc: Client) -> Bench:
    key_file = tmp_path / "master.key"
    vault = Vault(store, LocalKeyFileProvider.load_or_create(key_file), limits=LIMITS)
    roster = FixedRoster()
    base = [""]
    evidence = Evidence(vault, roster, AuditPublisher(evidence_nc.jetstream(), "evidence"),  # type: ignore[arg-type]
                        uploads=TicketBook[UploadGrant](30_000),
                        downloads=TicketBook[DownloadGrant](30_000),
                        base_url=lambda: base[0], clock=now_ms)
    server = TestServer(internal_app(evidence, now_ms), host="127.0.0.1")
    await server.start_server()
    base[0] = str(server.make_url("")).rstrip("/")
    js = supervisor.jetstream()
    since = (await js.stream_info(AUDIT_STREAM)).state.last_seq
    bench = Bench(store, vault, evidence, js, server, key_file, roster, since)
    roster.add(bench.hearing)
    return bench


async def serving_bench(store: ObjectStore, tmp_path: Path, nats_server: NatsServer,
                        supervisor: Client) -> AsyncIterator[Bench]:
    """A bench over `store` for one test (a fixture's body): evidence's own NATS connection,
    closed with the bench's HTTP server and the store afterwards."""
    evidence_nc = await nats_server.connect("evidence")
    opened = await open_bench(store, tmp_path, supervisor, evidence_nc)
    yield opened
    await opened.http.close()
    await evidence_nc.drain()
    await store.close()
