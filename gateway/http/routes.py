"""The route registry: every route declares who may call it and its contract types.

The registry is the single source for the aiohttp router, the authorization check and the
OpenAPI document. `RouteTable.freeze()` refuses a route that declares no access rule, so the
gateway cannot start with one (DESIGN §8).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from gateway.identity.policy import Rule

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RouteDeclarationError(Exception):
    """A route was registered without an access rule, or twice."""


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler
    access: Rule  # who may call it (a route built without one is refused at freeze time)
    summary: str
    request: type[Any] | None = None
    response: type[Any] | None = None
    tags: tuple[str, ...] = ()
    #: Extra OpenAPI facts (streamed bodies, query parameters, non-JSON responses).
    openapi: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    #: Which rate-limit buckets apply: "default" (per address, per session), "tiles" and
    #: "audit" (larger buckets per address and per session: a tile reader's walk; an auditor's
    #: reports, each tens of searches) or "assets" (the web client's files: a bucket per
    #: address only; the files hold no data, so a session's bucket is not spent on them).
    rate: str = "default"

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


class RouteTable:
    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._installed: dict[int, Route] = {}  # id(aiohttp route) -> its declaration
        self._frozen = False

    def add(self, route: Route) -> None:
        if self._frozen:
            raise RouteDeclarationError(f"{route.key}: the route table is frozen")
        if route.key in self._routes:
            raise RouteDeclarationError(f"{route.key}: declared twice")
        self._routes[route.key] = route

    def route(
        self, method: str, path: str, *, access: Rule, summary: str,
        request: type[Any] | None = None, response: type[Any] | None = None,
        tags: tuple[str, ...] = (), openapi: dict[str, Any] | None = None,
        rate: str = "default",
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.add(Route(method, path, handler, access, summary, request, response, tags,
                           openapi or {}, handler.__name__, rate=rate))
            return handler

        return register

    def freeze(self) -> None:
        missing = [r.key for r in self._routes.values() if r.access is None]
        if missing:
            raise RouteDeclarationError("routes without an access rule: " + ", ".join(missing))
        self._frozen = True

    def __iter__(self) -> Iterator[Route]:
        return iter(sorted(self._routes.values(), key=lambda r: (r.path, r.method)))

    def __len__(self) -> int:
        return len(self._routes)

    def find(self, method: str, path: str) -> Route | None:
        return self._routes.get(f"{method} {path}")

    def install(self, app: web.Application) -> None:
        for route in self:
            installed = app.router.add_route(route.method, route.path, route.handler,
                                             name=route.name or None)
            self._installed[id(installed)] = route

    def declaration_of(self, request: web.Request) -> Route | None:
        """The declaration behind the aiohttp route that matched `request` (None: unmatched).

        Looked up by the matched route object itself, not by its path text, so regex routes
        and routes with the same path but another method can never miss their access rule.
        """
        return self._installed.get(id(request.match_info.route))
