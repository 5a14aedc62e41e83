"""Prometheus metrics of the gateway (`/metrics`, text exposition format), on their own listener.

Per-route request counts tell an outsider what is being used and when, so `/metrics` is never on
the public listener: it is served by a separate application on `PARLEY_METRICS_HOST` (loopback
by default) and `PARLEY_METRICS_PORT` (0, the default, serves no metrics at all), where a
Prometheus scraper on the same host or network segment reaches it.

What an operator alerts on (docs/operations.md, infra/grafana/parley.json): request rate and
latency per route, errors by code, WebSocket connections and the hearings and participants live
on this gateway, upload bytes and durations, NATS reconnects, and the audit log's size, intake
lag and checkpoint age (read from the audit service every `AUDIT_POLL_S`). Gauges of live state
are computed when scraped (no bookkeeping on the hot path).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from gateway.http.errors import ERROR_CODE_KEY
from parley import failures

AUDIT_POLL_S = 15.0


class _Reconnects(Collector):
    """nats-py's own reconnect count, exported as a counter when scraped."""

    def __init__(self, read: Callable[[], int]) -> None:
        self._read = read

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily("parley_nats_reconnects", "NATS reconnections of this gateway")
        family.add_metric([], float(self._read()))
        yield family


class GatewayMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "parley_http_requests", "HTTP requests by route and status",
            ["method", "route", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "parley_http_request_seconds", "HTTP request latency by route",
            ["method", "route"], registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.websockets = Gauge(
            "parley_websocket_connections", "open WebSocket connections", registry=self.registry
        )
        self.nats_connected = Gauge(
            "parley_nats_connected", "1 when the gateway's NATS connection is up",
            registry=self.registry,
        )
        self.errors = Counter(
            "parley_service_errors", "error answers by code (the closed codes of DESIGN §4)",
            ["code"], registry=self.registry,
        )
        self.hearings_live = Gauge(
            "parley_hearings_live", "hearings with at least one joined socket on this gateway",
            registry=self.registry,
        )
        self.participants_live = Gauge(
            "parley_participants_live", "sockets joined to a hearing on this gateway",
            registry=self.registry,
        )
        self.upload_bytes = Histogram(
            "parley_upload_bytes", "size of acknowledged uploads", registry=self.registry,
            buckets=(1e4, 1e5, 1e6, 1e7, 5e7, 1e8, 5e8, 1e9, 2e9),
        )
        self.upload_seconds = Histogram(
            "parley_upload_seconds", "duration of acknowledged uploads", registry=self.registry,
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
        )
        self.audit_log_size = Gauge(
            "parley_audit_log_size", "entries in the audit log", registry=self.registry)
        self.audit_intake_lag = Gauge(
            "parley_audit_intake_lag", "AUDIT stream messages not yet in the log",
            registry=self.registry)
        self.audit_checkpoint_age = Gauge(
            "parley_audit_checkpoint_age_seconds", "age of the latest signed checkpoint",
            registry=self.registry)
        self.audit_signing_ok = Gauge(
            "parley_audit_signing_ok", "1 while the audit log signs, 0 if it refuses (tamper)",
            registry=self.registry)

    def watch_nats(self, reconnects: Callable[[], int]) -> None:
        self.registry.register(_Reconnects(reconnects))

    def watch_live(self, hearings: Callable[[], int], participants: Callable[[], int]) -> None:
        self.hearings_live.set_function(lambda: float(hearings()))
        self.participants_live.set_function(lambda: float(participants()))

    def middleware(self) -> Middleware:
        @web.middleware
        async def measure(request: web.Request, handler: Handler) -> web.StreamResponse:
            resource = request.match_info.route.resource
            route = resource.canonical if resource is not None else "unmatched"
            start = time.perf_counter()
            status = 500
            try:
                response = await handler(request)
                status = response.status
                code = response.get(ERROR_CODE_KEY)
                if code is not None:
                    self.errors.labels(str(code)).inc()
                return response
            except web.HTTPException as exc:
                status = exc.status
                raise
            finally:
                self.requests.labels(request.method, route, str(status)).inc()
                self.latency.labels(request.method, route).observe(time.perf_counter() - start)

        return measure

    def exposition(self) -> web.Response:
        # The process-wide count of handled failures (parley/failures.py) is exposed here too.
        response = web.Response(body=generate_latest(self.registry) + generate_latest(failures.REGISTRY))
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response


def metrics_app(metrics: GatewayMetrics) -> web.Application:
    """The metrics listener's application: `GET /metrics` and nothing else."""
    async def exposition(request: web.Request) -> web.Response:
        return metrics.exposition()

    app = web.Application()
    app.router.add_get("/metrics", exposition)
    return app
