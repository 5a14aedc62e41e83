"""The web client (DESIGN §8): one shell page for every client route, and its static files.

- The shell (`webclient/index.html`) is served for each path in `CLIENT_ROUTES`; the client's
  router (`js/core/router.js` + `js/routes.js`) picks the screen. Any other GET that a browser
  makes for a page (Accept: text/html, outside `/api/` and `/static/`) gets the same shell with
  status 404, and the client shows its "not found" page: a real page, never raw JSON.
- Files under `js/`, `css/` and `i18n/` are read once at start-up into a table keyed by their
  path, and `/static/{file}` looks the request up in that table: nothing outside those folders
  (and no file added after start-up) can be reached, whatever the URL says. A file type not in
  `CONTENT_TYPES` is not served. Each file gets its exact content type: with `nosniff`, browsers
  refuse a module script served as anything but JavaScript.

Every route is `anyone`: the files hold no data; what the screens fetch is protected by its own
route. The security headers (strict CSP, no inline script or style) come from the header
middleware.
"""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp import web

from gateway.http.routes import Handler, Route, RouteTable
from gateway.identity.policy import anyone

WEBCLIENT = Path(__file__).parent
SHELL = "index.html"
#: Folders of gateway/webclient/ whose files are served under /static/.
ASSET_FOLDERS = ("js", "css", "i18n")

CONTENT_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}

#: Client routes (aiohttp patterns) → the shell. Keep in step with js/routes.js.
CLIENT_ROUTES = (
    "/",
    "/signin",
    "/signin/enroll",
    "/hearings",
    "/hearings/{hearing}",
    "/hearings/{hearing}/setup",
    "/join",
    "/lobby",
    "/hearing",
    "/techcheck",
    "/audit",
    "/audit/{view:[a-z0-9/_-]+}",
    "/admin",
    "/admin/{view:[a-z0-9/_-]+}",
)


def asset_table(root: Path = WEBCLIENT) -> dict[str, tuple[bytes, str]]:
    """`relative/path` → (bytes, content type) for every servable file under the asset folders."""
    table: dict[str, tuple[bytes, str]] = {}
    for folder in ASSET_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in CONTENT_TYPES:
                table[path.relative_to(root).as_posix()] = (path.read_bytes(),
                                                            CONTENT_TYPES[path.suffix])
    return table


def _shell_handler(body: bytes) -> Handler:
    async def serve_shell(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/html", charset="utf-8")

    return serve_shell


def _assets_handler(table: dict[str, tuple[bytes, str]]) -> Handler:
    async def serve_asset(request: web.Request) -> web.Response:
        found = table.get(request.match_info["file"])
        if found is None:
            raise web.HTTPNotFound()
        body, content_type = found
        return web.Response(body=body, content_type=content_type, charset="utf-8")

    return serve_asset


def wants_page(request: web.Request) -> bool:
    """A browser asking for a page (not the API, not a file): it gets a not-found page."""
    path = request.path
    return (request.method in ("GET", "HEAD") and not path.startswith(("/api/", "/static/"))
            and "text/html" in request.headers.get("Accept", ""))


# Read once: a missing file stops the gateway at start-up, and serving never blocks the event
# loop on disk.
SHELL_BODY = (WEBCLIENT / SHELL).read_bytes()


def not_found_page() -> web.Response:
    """The shell with status 404: the client's router shows its "not found" screen."""
    return web.Response(status=404, body=SHELL_BODY, content_type="text/html", charset="utf-8")


def register(routes: RouteTable) -> None:
    shell = _shell_handler(SHELL_BODY)
    for path in CLIENT_ROUTES:
        page = re.sub(r"{(\w+)(:[^}]*)?}", r"\1", path).strip("/").replace("/", "_") or "root"
        name = f"webclient_page_{page}"
        routes.add(Route("GET", path, shell, anyone(f"webclient.{page}"),
                         "web client page (the shell; the client's router picks the screen)",
                         tags=("web client",), openapi={"produces": "text/html"}, name=name))
    routes.add(Route("GET", "/static/{file:[A-Za-z0-9_./-]+}", _assets_handler(asset_table()),
                     anyone("webclient.static"), "web client file (js/, css/, i18n/)",
                     tags=("web client",), openapi={"produces": "application/octet-stream"},
                     name="webclient_static"))
