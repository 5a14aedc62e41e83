"""Security headers on every response (DESIGN §8), set just before headers are sent."""

from __future__ import annotations

from aiohttp import web

#: `frame-src blob:` and nothing wider: the documents panel shows a PDF in a frame of the page,
#: from a blob: URL it made of bytes it fetched and checked (webclient js/documents/inline.js:
#: PDFs only, typed by the page), so the browser's own PDF viewer draws it. No other frame: not
#: 'self' (none of our pages is ever framed: frame-ancestors 'none'), nor data:, nor any host;
#: plugins stay off (object-src 'none'). tests/unit/gateway/test_gateway_csp.py holds it there.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob: mediastream:; connect-src 'self'; frame-src blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(self), microphone=(self), display-capture=(self), "
    "geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def apply_security_headers(headers: web.StreamResponse, tls: bool) -> None:
    for name, value in SECURITY_HEADERS.items():
        headers.headers.setdefault(name, value)
    if tls:
        headers.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    headers.headers.setdefault("Cache-Control", "no-store")


#: Set on a request whose body bytes bypassed the HTTP parser (spliced_upload.py): its
#: connection cannot carry another request, so the response says `Connection: close`.
BODY_BYPASSED = web.RequestKey("parley.body_bypassed", bool)


def install(app: web.Application, tls: bool) -> None:
    async def on_prepare(request: web.Request, response: web.StreamResponse) -> None:
        apply_security_headers(response, tls)
        if request.get(BODY_BYPASSED):  # prepare hooks run after the headers were computed
            response.force_close()
            response.headers["Connection"] = "close"

    app.on_response_prepare.append(on_prepare)
