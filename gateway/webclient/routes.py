"""The web client's static files (DESIGN §8): plain ES modules, CSS and two HTML pages.

Every file is declared by name (a fixed list, no directory walking), so nothing outside
gateway/webclient/ can be reached and the route table (and the OpenAPI document) stays the same
whatever else lands in that folder. Each route is `anyone`: the pages hold no data; what they
fetch is protected by its own route. The security headers (strict CSP with no inline script,
nosniff, frame denial, camera/microphone permissions) come from the gateway's header middleware;
`nosniff` is why each file is served with its exact content type: browsers refuse a module
script served as anything but JavaScript.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from gateway.http.routes import Handler, Route, RouteTable
from gateway.identity.policy import anyone

WEBCLIENT = Path(__file__).parent

CONTENT_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
}

#: URL path → file in gateway/webclient/. `/join` is the invitation link (`/join#t=<token>`).
PAGES = {
    "/": "index.html",
    "/join": "index.html",
    "/techcheck": "techcheck.html",
}
#: Served at `/static/<name>`.
ASSETS = (
    "parley.css",
    "api.js",
    "socket.js",
    "mesh.js",
    "room.js",
    "techcheck.js",
)


def _content_type(name: str) -> str:
    return CONTENT_TYPES[Path(name).suffix]


def _file_handler(name: str) -> Handler:
    # Read once when the routes are built: a missing file stops the gateway at start-up, and
    # serving never blocks the event loop on disk.
    body = (WEBCLIENT / name).read_bytes()
    content_type = _content_type(name)

    async def serve_file(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type=content_type, charset="utf-8")

    return serve_file


def _route_name(name: str) -> str:
    return "webclient_" + name.replace(".", "_")


def register(routes: RouteTable) -> None:
    for url, name in PAGES.items():
        page = "root" if url == "/" else url.strip("/")
        routes.add(Route("GET", url, _file_handler(name), anyone(f"webclient.{page}"),
                         f"web client page ({name})", tags=("web client",),
                         openapi={"produces": "text/html"}, name=f"webclient_page_{page}"))
    for name in ASSETS:
        routes.add(Route("GET", f"/static/{name}", _file_handler(name),
                         anyone(f"webclient.{name}"), f"web client file {name}",
                         tags=("web client",), openapi={"produces": _content_type(name)},
                         name=_route_name(name)))
