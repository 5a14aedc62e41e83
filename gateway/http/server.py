"""The HTTP server: aiohttp with header limits and JSON errors even for unparseable requests.

aiohttp answers a request it cannot parse (a header over the limit, a broken request line)
before any middleware runs, with a plain-text body. Parley promises JSON errors on every
response, so the protocol handler's `handle_error` is replaced by one that answers with the
error envelope and the security headers.
"""

from __future__ import annotations

import ssl
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest
from aiohttp.web_server import Server

from gateway.config import GatewayConfig
from gateway.http.errors import code_for_status, error_response
from gateway.http.headers import apply_security_headers


class _JsonErrorRequestHandler(RequestHandler):
    def handle_error(
        self, request: BaseRequest, status: int = 500, exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if status >= 500:
            self.log_exception("error handling request", exc_info=exc)
        if request.writer.output_size > 0:
            raise ConnectionError("response already started")
        text = "internal error" if status >= 500 else "malformed or oversized request"
        response = error_response(code_for_status(status), text, status=status)
        apply_security_headers(response, tls=False)
        response.force_close()
        return response


class _JsonErrorServer(Server):
    def __call__(self) -> RequestHandler:
        return _JsonErrorRequestHandler(self, loop=self._loop, **self._kwargs)


class GatewayRunner(web.AppRunner):
    async def _make_server(self) -> Server:
        server = await super()._make_server()
        # aiohttp has no public hook for the protocol handler's class: swap the server's class
        # (same fields, one overridden factory). Pinned by tests/integration/gateway/ and by
        # the aiohttp bound in pyproject.toml.
        server.__class__ = _JsonErrorServer
        return server


def runner_for(app: web.Application, config: GatewayConfig) -> GatewayRunner:
    kwargs: dict[str, Any] = {
        "max_line_size": config.max_header_bytes,
        "max_field_size": config.max_header_bytes,
        "max_headers": config.max_headers,
        "access_log": None,
        "shutdown_timeout": 5.0,
        # After answering a request whose body it did not read (an error, a slow client cut
        # off by the pace), aiohttp keeps reading and discarding for this long so the client
        # sees the answer; its default of 10 s would let a slow loris hold the socket on.
        "lingering_time": 1.0,
        # A connection must complete its request line and headers within the client idle time
        # of opening (or of its last response), and an idle keep-alive connection closes after
        # it too: aiohttp's own default is an hour, so a slow loris trickling header bytes, or
        # a connection that never says anything, would otherwise hold a socket for an hour.
        "keepalive_timeout": config.client_idle_s,
    }
    return GatewayRunner(app, **kwargs)


def ssl_context(config: GatewayConfig) -> ssl.SSLContext | None:
    if config.tls_cert is None or config.tls_key is None:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(config.tls_cert, config.tls_key)
    return context
