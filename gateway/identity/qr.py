"""The QR code of a TOTP enrolment URI, drawn on the server as SVG (segno) for the sign-in page.

Drawn here rather than in the browser so the client ships no QR encoder and no third-party
script; the SVG travels in the enrolment reply (never in a URL: the URI holds the secret) and is
shown as an image. Error correction "M" survives a phone camera at an angle; a border of four
modules is the quiet zone the standard asks for.
"""

from __future__ import annotations

import io

import segno

#: An otpauth URI is < 512 characters; its SVG stays well under this.
MAX_SVG = 32 * 1024


def qr_svg(text: str) -> str:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", xmldecl=False, svgns=True, nl=False,
                                     scale=1, border=4, omitsize=True, dark="#000000", light="#ffffff",
                                     svgclass=None, lineclass=None)
    return buffer.getvalue().decode("ascii")
