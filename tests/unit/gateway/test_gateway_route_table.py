"""The route table: every served route has a declaration, found by the route that matched."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from gateway.app import build_routes
from gateway.http.routes import Route, RouteDeclarationError, RouteTable
from gateway.identity.policy import anyone, staff
from proto.common import Role


async def _ok(request: web.Request) -> web.Response:
    return web.Response()


async def _matched(app: web.Application, method: str, path: str) -> web.Request:
    request = make_mocked_request(method, path, app=app)
    match = await app.router.resolve(request)
    request._match_info = match
    return request


async def test_regex_and_same_path_routes_find_their_own_declaration() -> None:
    table = RouteTable()
    table.add(Route("GET", r"/tile/{rest:.+}", _ok, staff("tile", Role.AUDITOR), "tiles"))
    table.add(Route("GET", "/thing", _ok, anyone("read"), "read"))
    table.add(Route("POST", "/thing", _ok, staff("write", Role.ADMIN), "write"))
    table.freeze()
    app = web.Application()
    table.install(app)
    for method, path, rule in (("GET", "/tile/0/x001/234", "tile"), ("GET", "/thing", "read"),
                               ("POST", "/thing", "write")):
        route = table.declaration_of(await _matched(app, method, path))
        assert route is not None and route.access.name == rule
    assert table.declaration_of(await _matched(app, "GET", "/nothing")) is None


def test_a_route_without_access_is_refused_at_freeze() -> None:
    table = RouteTable()
    table.add(Route("GET", "/open", _ok, None, "undeclared"))
    with pytest.raises(RouteDeclarationError, match="GET /open"):
        table.freeze()


def test_duplicate_declaration_is_refused() -> None:
    table = RouteTable()
    table.add(Route("GET", "/a", _ok, anyone("a"), "a"))
    with pytest.raises(RouteDeclarationError, match="twice"):
        table.add(Route("GET", "/a", _ok, anyone("a"), "a"))


def test_every_gateway_route_declares_access() -> None:
    for route in build_routes():
        assert route.access is not None and route.access.grants, route.key


def test_lookup_by_method_and_path() -> None:
    table = RouteTable()
    me = Route("GET", "/api/v1/me", _ok, anyone("me"), "me")
    table.add(me)
    assert table.find("GET", "/api/v1/me") is me
    assert table.find("POST", "/api/v1/me") is None
    assert len(table) == 1
    with pytest.raises(RouteDeclarationError, match="twice"):
        table.add(Route("GET", "/api/v1/me", _ok, anyone("again"), "me again"))


def test_freeze_names_every_route_without_access() -> None:
    table = RouteTable()
    table.add(Route("POST", "/api/v1/auth/signin", _ok, anyone("auth.signin"), "signin"))
    table.add(Route("PATCH", "/api/v1/accounts/{id}", _ok, None, "change"))
    table.add(Route("DELETE", "/api/v1/tokens/{id}", _ok, None, "revoke"))
    with pytest.raises(RouteDeclarationError) as info:
        table.freeze()
    assert "PATCH /api/v1/accounts/{id}" in str(info.value)
    assert "DELETE /api/v1/tokens/{id}" in str(info.value)
    assert "signin" not in str(info.value)
    complete = RouteTable()
    complete.add(Route("GET", "/open", _ok, anyone("open"), "open"))
    complete.freeze()
    with pytest.raises(RouteDeclarationError, match="frozen"):
        complete.add(Route("GET", "/late", _ok, anyone("late"), "late"))
