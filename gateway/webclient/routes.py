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
- Caching: the shell loads the client from `/static/<version>/…`, where `<version>` is a hash of
  every file in the table. Under that prefix a file never changes, so it is served `immutable`
  for a year: after the first visit, moving between pages costs no request for files, and a
  new release (a new version) is fetched whole, never mixed with the old. Modules import each
  other by relative paths, so the prefix carries through. A version that is not the current one
  is not found (the page says to reload). Without a prefix, `/static/<path>` still answers,
  revalidated on each use (`no-cache` + ETag), for tools and tests.
- Compression: each file is also kept gzip-compressed (level 9, once, at start-up) and a
  client that accepts gzip gets those bytes (`Content-Encoding: gzip`, `Vary: Accept-Encoding`,
  its own ETag). The console's page is ~230 KB of JS + CSS and ~80 KB compressed: on a
  hearing's link from another country that is the difference a first load feels.
- Comment lines: JavaScript is served with each line that is only a `//` comment emptied
  (`slim.py`; line numbers kept), about a fifth of its bytes. The files
  hold no secret, so compressing them gives nothing away (BREACH needs a secret beside input).
- Rate: these routes draw from their own bucket per address (`rate="assets"`), never from a
  session's: a first page load is ~90 files.

Every route is `anyone`: the files hold no data; what the screens fetch is protected by its own
route. The security headers (strict CSP, no inline script or style) come from the header
middleware.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

from aiohttp import web

from gateway.http.routes import Handler, Route, RouteTable
from gateway.identity.policy import anyone
from gateway.webclient.slim import css_without_comments, slim_javascript

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
    "/signin/password",
    "/hearings",
    "/hearings/{hearing}",
    "/hearings/{hearing}/setup",
    "/join",
    "/lobby",
    "/hearing",
    "/techcheck",
    "/audit",
    "/audit/{view:[A-Za-z0-9/_-]+}",
    "/admin",
    "/admin/{view:[A-Za-z0-9/_-]+}",
)


AssetTable = dict[str, tuple[bytes, str]]
IMMUTABLE = "public, max-age=31536000, immutable"


def asset_table(root: Path = WEBCLIENT) -> AssetTable:
    """`relative/path` → (bytes, content type) for every servable file under the asset folders."""
    table: dict[str, tuple[bytes, str]] = {}
    for folder in ASSET_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in CONTENT_TYPES:
                body = path.read_bytes()
                if path.suffix == ".js":  # comment lines are for the source's readers
                    body = slim_javascript(body.decode("utf-8")).encode("utf-8")
                elif path.suffix == ".css":
                    body = css_without_comments(body.decode("utf-8")).encode("utf-8")
                table[path.relative_to(root).as_posix()] = (body, CONTENT_TYPES[path.suffix])
    return table


def asset_version(table: AssetTable) -> str:
    """A hash of every served file's path and bytes: it changes whenever any file does."""
    digest = hashlib.sha256()
    for path in sorted(table):
        body = table[path][0]
        digest.update(f"{path}\0{len(body)}\0".encode())
        digest.update(body)
    return digest.hexdigest()[:16]


def shell_body(shell: bytes, version: str) -> bytes:
    """The shell with its `/static/` links under the version's prefix."""
    return shell.replace(b'"/static/', f'"/static/{version}/'.encode())


def _shell_handler(body: bytes) -> Handler:
    async def serve_shell(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/html", charset="utf-8")

    return serve_shell


def etag_matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 §13.1.2: `*`, or any listed tag equal by weak comparison."""
    for item in if_none_match.split(","):
        tag = item.strip().removeprefix("W/").strip('"')
        if tag == "*" or tag == etag:
            return True
    return False


def accepts_gzip(accept_encoding: str) -> bool:
    """RFC 9110 §12.5.3: `gzip` listed without `q=0` (or, when gzip is not named, `*` so)."""
    weights: dict[str, bool] = {}
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.partition(";")
        q = params.replace(" ", "").removeprefix("q=")
        refused = bool(params) and re.fullmatch(r"0(\.0{0,3})?", q) is not None
        weights.setdefault(coding.strip(), not refused)
    return weights.get("gzip", weights.get("*", False))


def compressed(table: AssetTable) -> dict[str, bytes]:
    """Each file's gzip form, where that is smaller (mtime 0: the same bytes on every start)."""
    out: dict[str, bytes] = {}
    for path, (body, _) in table.items():
        packed = gzip.compress(body, compresslevel=9, mtime=0)
        if len(packed) < len(body):
            out[path] = packed
    return out


def assets_handler(table: AssetTable, version: str) -> Handler:
    prefix = version + "/"
    etags = {path: hashlib.sha256(body).hexdigest()[:32] for path, (body, _) in table.items()}
    packed = compressed(table)

    async def serve_asset(request: web.Request) -> web.Response:
        file = request.match_info["file"]
        versioned = file.startswith(prefix)
        if versioned:
            file = file[len(prefix):]
        found = table.get(file)
        if found is None:
            raise web.HTTPNotFound()
        body, content_type = found
        etag = etags[file]
        headers = {"Cache-Control": IMMUTABLE if versioned else "no-cache", "Vary": "Accept-Encoding"}
        if file in packed and accepts_gzip(request.headers.get("Accept-Encoding", "")):
            body, etag = packed[file], etag + "-gz"
            headers["Content-Encoding"] = "gzip"
        headers["ETag"] = f'"{etag}"'
        if etag_matches(request.headers.get("If-None-Match", ""), etag):
            return web.Response(status=304, headers=headers)
        return web.Response(body=body, content_type=content_type, charset="utf-8",
                            headers=headers)

    return serve_asset


def wants_page(request: web.Request) -> bool:
    """A browser asking for a page (not the API, not a file): it gets a not-found page."""
    path = request.path
    return (request.method in ("GET", "HEAD") and not path.startswith(("/api/", "/static/"))
            and "text/html" in request.headers.get("Accept", ""))


# Read once: a missing file stops the gateway at start-up, and serving never blocks the event
# loop on disk.
ASSETS = asset_table()
VERSION = asset_version(ASSETS)
SHELL_BODY = shell_body((WEBCLIENT / SHELL).read_bytes(), VERSION)


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
    routes.add(Route("GET", "/static/{file:[A-Za-z0-9_./-]+}", assets_handler(ASSETS, VERSION),
                     anyone("webclient.static"),
                     "web client file (js/, css/, i18n/); under the current version's prefix, "
                     "immutable",
                     tags=("web client",), openapi={"produces": "application/octet-stream"},
                     name="webclient_static", rate="assets"))
