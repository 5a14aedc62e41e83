"""A release through the evidence service: the version decided on and audited is the version
shared, or nothing is, and the audit log says which (services/evidence/decisions.py `release`).

The service and the vault on a local folder, with a real NATS server and JetStream for the
audit events (writer_bench.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
from nats.aio.client import Client

from parley.errors import DomainError
from parley.micro import RequestContext
from proto.errors import ErrorCode
from proto.evidence import Manifest, ReleaseRequest
from services.evidence import manifest_store
from services.evidence.errors import ConflictError
from services.evidence.manifest import manifest_key
from services.evidence.store.local import LocalFolderStore
from tests.harness import NatsServer
from tests.integration.evidence.writer_bench import Bench, serving_bench


@pytest.fixture
async def bench(tmp_path: Path, nats_server: NatsServer,
                supervisor_nc: Client) -> AsyncIterator[Bench]:
    async for opened in serving_bench(LocalFolderStore(tmp_path / "store"), tmp_path,
                                      nats_server, supervisor_nc):
        yield opened


def release(bench: Bench, document: str, to: str, version: str | None = None) -> Awaitable[Any]:
    return bench.evidence.release(RequestContext(bench.a(), None, {}), ReleaseRequest(
        hearing=bench.hearing, document=document, to=to, version=version))


async def test_a_release_shares_the_latest_version_and_names_it(bench: Bench) -> None:
    v1 = await bench.upload(b"offer: 40", name="terms.pdf")
    v2 = await bench.upload(b"offer: 55", name="terms.pdf")
    reply = await release(bench, v1.document, "joint", version=v2.version)
    assert (reply.document.version, reply.document.compartment) == (v2.version, "joint")
    assert await bench.download(bench.b(), v1.document) == b"offer: 55"
    assert await bench.versions(bench.b(), v1.document) == [v2.version]
    [event] = await bench.events("document.release")
    assert (event.outcome, event.details["version"], event.details["to"]) == (
        "allowed", v2.version, "joint")


async def test_a_release_naming_an_older_version_shares_nothing(bench: Bench) -> None:
    v1 = await bench.upload(b"offer: 40", name="terms.pdf")
    await bench.upload(b"offer: 55", name="terms.pdf")
    with pytest.raises(DomainError) as refused:
        await release(bench, v1.document, "joint", version=v1.version)
    assert (refused.value.code, refused.value.reason) == (ErrorCode.CONFLICT, "newer_version")
    assert await bench.listed(bench.b()) == []
    assert await bench.events("document.release") == []  # nothing was decided


async def _placed_elsewhere(bench: Bench, manifest: Manifest, compartment: str) -> None:
    """Seal `manifest` again in another compartment, as the vault does (with the hearing's
    key): a history the upload and release rules never make, so that the owning side meets a
    version it may not read."""
    record, key = await bench.vault.hearing_keys.get(bench.hearing, create=False)
    ref = manifest_store.HearingKeyRef(record.key_id, manifest_key(key))
    await manifest_store.write(bench.store, ref,
                               msgspec.structs.replace(manifest, compartment=compartment),
                               if_absent=False)


async def test_a_release_naming_a_version_the_document_never_had_is_not_found(
        bench: Bench) -> None:
    """Not found (and the same answer) for a version id never issued, one of another document,
    and a real earlier version the caller may not read: nothing tells them apart."""
    v1 = await bench.upload(b"offer: 40", name="terms.pdf")
    await bench.upload(b"offer: 55", name="terms.pdf")
    other = await bench.upload(b"annex", name="annex.pdf")
    hidden = await bench.upload(b"draft", name="draft.pdf")
    await bench.upload(b"final", name="draft.pdf")
    await _placed_elsewhere(bench, hidden, "mediator")
    answers = set()
    for document, version in ((v1.document, "0" * 24), (v1.document, other.version),
                              (hidden.document, hidden.version)):
        with pytest.raises(DomainError) as refused:
            await release(bench, document, "joint", version=version)
        error = refused.value.envelope()
        answers.add((error.code, error.message, error.reason, error.retry_after_s))
    assert answers == {(ErrorCode.NOT_FOUND, "no such version", "version_not_found", None)}
    assert await bench.listed(bench.b()) == []
    assert await bench.events("document.release") == []  # nothing was decided
    denials = await bench.events("document.denied")
    assert [(e.outcome, e.details["action"], e.details["reason"]) for e in denials] == [
        ("denied", "release", "missing"), ("denied", "release", "missing"),
        ("denied", "release", "not visible")]


async def test_a_release_overtaken_by_a_new_version_shares_nothing_and_says_so(
        bench: Bench, monkeypatch: pytest.MonkeyPatch) -> None:
    """A version that arrives between the decision (audited) and the write: the vault refuses
    to share a version nobody chose, and a second event says the release did not happen."""
    v1 = await bench.upload(b"offer: 40", name="terms.pdf")
    share: Callable[..., Awaitable[Manifest]] = bench.vault.release

    async def overtaken(*args: Any, **kwargs: Any) -> Manifest:
        await bench.upload(b"offer: 55", name="terms.pdf")  # a real upload, just then
        return await share(*args, **kwargs)

    monkeypatch.setattr(bench.vault, "release", overtaken)
    with pytest.raises(ConflictError) as refused:
        await release(bench, v1.document, "joint")
    assert refused.value.reason == "newer_version"
    assert await bench.listed(bench.b()) == []
    assert [m.compartment for m in await bench.vault.versions(bench.hearing, v1.document)] == [
        "side:A", "side:A"]
    events = await bench.events("document.release")
    assert [(e.outcome, e.details["version"]) for e in events] == [
        ("allowed", v1.version), ("failed", v1.version)]
