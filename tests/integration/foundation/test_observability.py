"""Observability on the real suite: one trace gateway → NATS → service reaches a real OTLP/HTTP
receiver (the protobuf decoded with opentelemetry-proto), and /metrics carries what an operator
alerts on (infra/grafana/parley.json charts these names)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from tests.harness import Suite, free_port, wait_until
from tests.people import staff_people

pytestmark = pytest.mark.slow  # a suite of its own (about 30 s here)

ALERTED_ON = [
    "parley_http_requests_total", "parley_http_request_seconds_bucket",
    "parley_websocket_connections", "parley_hearings_live", "parley_participants_live",
    "parley_upload_bytes_bucket", "parley_upload_seconds_bucket", "parley_nats_reconnects_total",
    "parley_service_errors_total", "parley_audit_log_size", "parley_audit_intake_lag",
    "parley_audit_checkpoint_age_seconds", "parley_audit_signing_ok", "parley_nats_connected",
]


class Receiver:
    """An OTLP/HTTP trace receiver: every span it was sent, as (trace id, service, span name)."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, str, str]] = []

    async def traces(self, request: web.Request) -> web.Response:
        assert request.content_type == "application/x-protobuf"
        export = ExportTraceServiceRequest()
        export.ParseFromString(await request.read())
        for resource_spans in export.resource_spans:
            service = next((a.value.string_value for a in resource_spans.resource.attributes
                            if a.key == "service.name"), "")
            for scope in resource_spans.scope_spans:
                for span in scope.spans:
                    self.spans.append((span.trace_id.hex(), service, span.name))
        return web.Response(content_type="application/x-protobuf", body=b"")


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, int]]:
    found = Receiver()
    app = web.Application()
    app.router.add_post("/v1/traces", found.traces)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield found, port
    await runner.cleanup()


async def test_one_trace_crosses_gateway_nats_and_signalling_and_metrics_are_there(
        receiver: tuple[Receiver, int], tmp_path: Path) -> None:
    found, port = receiver
    suite = Suite(data_dir=tmp_path / "data",
                  extra_env={"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{port}"})
    suite.start()
    try:
        await suite.ready()
        people = await staff_people(suite)
        status, _ = await people.mediator.call("POST", "/api/v1/hearings", {"title": "Traced"})
        assert status == 201

        async def crossed() -> set[str] | None:
            by_trace: dict[str, set[str]] = {}
            for trace_id, service, _ in found.spans:
                by_trace.setdefault(trace_id, set()).add(service)
            joined = [s for s in by_trace.values() if {"parley-gateway", "parley-signalling"} <= s]
            return joined[0] if joined else None

        services = await wait_until(crossed, timeout=30, interval=0.2,
                                    what="one trace with gateway and signalling spans")
        assert {"parley-gateway", "parley-signalling"} <= services

        # An error, and the gauges the audit poll fills, then the exposition.
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{suite.base_url}/api/v1/hearings/nosuch") as r:
                assert r.status >= 400

            async def exposition() -> str | None:
                async with http.get(suite.metrics_url) as r:
                    text = await r.text()
                return text if "parley_audit_log_size " in text and \
                    "parley_audit_log_size 0.0" not in text else None

            text = await wait_until(exposition, timeout=30, interval=0.5, what="audit gauges")
        for name in ALERTED_ON:
            assert name in text, name
        assert 'parley_service_errors_total{code="' in text
    finally:
        suite.stop()
