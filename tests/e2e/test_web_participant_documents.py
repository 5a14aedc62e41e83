"""Documents from the participant's page, and bad input that must lose nothing.

A 50 MiB upload by the page's file picker with the progress bar observed moving, the network cut
mid-upload (a TCP proxy between the page and the gateway stops the bytes at a set count, then
resets every connection: tests/netcut.py) and the upload resuming from the offset the server
holds (never from byte 0, only what was in flight sent again), the download's SHA-256 equal to the
original; a side-A document not listed, not downloadable and not guessable
by side B until released, then appearing on B's page without a reload. Bad input: an empty
file, a file over the limit (refused by the page before it asks the server anything, saying the
limit the list gave; the server refuses a page that lies), each a failed row of its own, a name with folders and control characters, a release of someone else's
document, a chat message over the limit and a chat flood, each a sentence and nothing lost.

Versions and the in-page viewer: a second version uploaded (and said to be version 2), the first
opened from "2 versions" by the keyboard, downloaded (SHA-256 equal to the original) and viewed
in the page (the PDF in a frame of a blob: URL typed application/pdf holding the original's
bytes), an image in the same viewer, SVG and disguised HTML never shown inline, and the CSP still
refusing every other frame and plugin. Then the document is shared with the mediator: the
confirmation says only the latest version goes (and the number the mediator will know it by),
the sentence saying where it went outlives the list's refreshes until the person acts again, the
first version is marked as still only the side's (both are "Version 1", each of its audience,
and each row says which; the earlier one's file is named so, also when the browser saves it
itself, as for a file too large for the page), the row counting what the mediator counts plus
the side's own draft in words, and the name uploaded again to the side's tab is refused with
where it is now. A finished upload's line, its version shared a moment later, says where it
went and as which version.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib.util
import os
import struct
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import msgspec
import pytest
from playwright.async_api import Download, Request, Response, Route
from playwright.async_api import TimeoutError as PlaywrightTimeout

from proto.ws import MAX_CHAT, Admit
from services.signalling.chatlog import FLOOD_MAX
from tests.browser import ARTIFACTS, VIEWPORTS, Tab, chromium, open_tab, requires_chromium
from tests.e2e.participant_steps import (
    banner_kind,
    chat_texts,
    join_in_browser,
    latin_words_left,
    mediator_socket,
    seat_people,
    shots,
    switch_language,
)
from tests.harness import Suite, wait_until
from tests.netcut import NetCut
from tests.people import CSRF_HEADER, SESSION_COOKIE, staff_people

#: The page uploads through the resumable protocol (docs/uploads.md); on a branch without it
#: (before evidence-bytes is merged) there is nothing for the page to talk to.
requires_resumable = pytest.mark.skipif(
    importlib.util.find_spec("gateway.api.uploads") is None,
    reason="the resumable upload routes (gateway/api/uploads.py) are not in this tree")

pytestmark = [pytest.mark.browser, requires_chromium, requires_resumable]

MiB = 1024 * 1024
SIZE = 50 * MiB
# What may cross the cable twice after a cut: what was in flight (the proxy's and the kernel's
# buffers) and the unfinished 64 KiB segment. Not the append size: the page appends 64 MiB at a
# time (js/documents/transfer.js CHUNK_BYTES), more than the whole file, and evidence keeps every
# whole segment that reached it.
IN_FLIGHT = 8 * MiB

# Every state the upload row takes, in order (the page's own code is not touched).
_RECORD_UPLOAD_STATES = """(() => {
  window.uploadStates = [];
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.target.matches && c.target.matches(".transfer[data-kind=upload]")) {
        window.uploadStates.push(c.target.dataset.state);
      }
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
  return true;
})()"""
ROWS = ".docs-table tbody tr"
DOWNLOAD_ROW = ".transfer[data-kind=download]"


async def _row_download(tab: Tab, button: str, *, timeout_s: float) -> Download:
    """The file a click on `button` saves, read by the page with a transfer row (a download
    below the in-page limit). Fails at once with the row's sentence if the page says the
    download failed, and on timeout with how far the row got, rather than only "no download"."""
    saving = asyncio.ensure_future(tab.page.wait_for_event("download", timeout=timeout_s * 1000))
    try:
        await tab.page.click(button)
        while not saving.done():
            row = await tab.value(f"""(() => {{ const r = document.querySelector('{DOWNLOAD_ROW}');
              return r && [r.dataset.state, r.dataset.percent || '',
                           r.querySelector('.transfer-detail')?.textContent || ''] }})()""")
            assert not row or row[0] != "failed", f"the page's download failed: {row}"
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(saving), 1.0)
        return saving.result()
    except PlaywrightTimeout as exc:
        row = await tab.value(f"document.querySelector('{DOWNLOAD_ROW}')?.outerHTML || 'no row'")
        raise AssertionError(f"no download; the page's transfer row: {row}\n{tab.dump()}") from exc
    finally:
        saving.cancel()


async def rows(tab: Tab) -> list[str]:
    names: list[str] = await tab.value(
        f"[...document.querySelectorAll('{ROWS} .doc-name')].map((x) => x.textContent)")
    return names


async def cookie_of(tab: Tab) -> dict[str, str]:
    cookies = {c["name"]: c["value"] for c in await tab.context.cookies()}
    csrf = await tab.value("sessionStorage.getItem('parley.csrf')")
    return {"Cookie": f"{SESSION_COOKIE}={cookies[SESSION_COOKIE]}", CSRF_HEADER: csrf}


@pytest.mark.timeout(300)
async def test_documents_upload_resume_release_and_bad_input(suite: Suite,
                                                             tmp_path: Path) -> None:
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat_people(suite, people, per_side=1)
    inv = cast.invitations
    med = await mediator_socket(suite, people, cast)
    original = tmp_path / "bundle of exhibits.pdf"
    original.write_bytes(os.urandom(SIZE))
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    gateway = urlsplit(suite.base_url)
    assert gateway.hostname is not None and gateway.port is not None
    net = NetCut(gateway.hostname, gateway.port)
    through_net = await net.start()  # A's page reaches the gateway through a cable we can cut
    async with chromium() as browser:
        a, b = await open_tab(browser, through_net), await open_tab(browser, suite.base_url)
        for tab in (a, b):  # on two shared cores a click can wait long for a frame
            tab.page.set_default_timeout(90_000)
        # In order: ("PATCH", Upload-Offset the page appended at), ("HEAD", Upload-Offset the
        # server answered when the page asked where to resume).
        upload: list[tuple[str, int]] = []
        created: list[str] = []  # the names of the uploads the page asked the server to create

        def on_request(request: Request) -> None:
            if request.method == "PATCH" and "/uploads/" in request.url:
                upload.append(("PATCH", int(request.headers.get("upload-offset", "-1"))))
            if request.method == "POST" and request.url.endswith("/documents"):
                created.append(request.headers.get("parley-filename", ""))

        def on_response(response: Response) -> None:
            if response.request.method == "HEAD" and "/uploads/" in response.url:
                upload.append(("HEAD", int(response.headers.get("upload-offset", "-1"))))

        a.context.on("request", on_request)
        a.context.on("response", on_response)
        try:
            await join_in_browser(a, inv["A1"])
            await join_in_browser(b, inv["B1"])
            for name in ("A1", "B1"):
                await med.send(Admit(participant=inv[name]["participant"]))
            for tab in (a, b):
                await tab.wait_for(f"{banner_kind()} === 'plenary'")

            # --- A uploads 50 MiB to "Our side" by the picker; the bar moves; the net drops
            await a.page.click("[data-tab=side]")
            row = ".transfer[data-kind=upload]"
            percent = f"Number(document.querySelector('{row}')?.dataset.percent || 0)"
            before = net.sent
            await a.value(_RECORD_UPLOAD_STATES)
            net.hold_at(net.sent + 12 * MiB)  # the bytes stop a quarter of the way in…
            await a.page.set_input_files(".file-drop input[type=file]", str(original))
            await asyncio.wait_for(net.held.wait(), timeout=60)
            first = await a.wait_for(f"{percent} > 0 && {percent}", timeout=30)
            await shots(a, "documents-upload")
            await a.check_accessible("documents-upload")
            net.hold_at(net.sent + 15 * MiB)  # …flow again and stop past the middle…
            await asyncio.wait_for(net.held.wait(), timeout=60)
            later = await a.wait_for(f"{percent} > {first} && {percent}", timeout=30)
            assert 0 < first < later < 100, (first, later)
            net.cut()  # …and the cable is pulled with an append on the wire
            await a.wait_for(f"document.querySelector('{row}').dataset.state === 'waiting'",
                             timeout=30)
            detail = await a.value(f"document.querySelector('{row} .transfer-detail').textContent")
            assert "connection lost" in detail.lower(), detail
            net.restore()
            await a.wait_for(f"document.querySelector('{row}').dataset.state === 'done'",
                             timeout=120)
            # Once every byte was sent the row said the server was sealing it, then done.
            states = await a.value("window.uploadStates")
            steps = [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]
            assert steps == ["sending", "waiting", "sending", "finishing", "done"], states
            # Resumed where the server said it was: it held bytes (offset > 0), the page went
            # on from there, never started again from byte 0, and sent again only what was in flight.
            asked = [i for i, (kind, _) in enumerate(upload) if kind == "HEAD"]
            assert asked, upload
            resumed_at = upload[asked[0]][1]
            assert resumed_at > 0, upload
            assert upload[asked[0] + 1] == ("PATCH", resumed_at), upload
            assert [o for kind, o in upload if kind == "PATCH"].count(0) == 1, upload
            # What crossed the cable (the file, each request's headers, a few WebSocket frames)
            # exceeds the file by at most what was in flight when the cable was pulled.
            again = net.sent - before - SIZE
            assert 0 < again <= IN_FLIGHT, (again, upload)
            print(f"resumed at {resumed_at} bytes (server); {again} bytes crossed twice")
            await a.wait_for(f"document.querySelector('{ROWS} .doc-name')")
            assert await rows(a) == ["bundle of exhibits.pdf"]
            document = await a.value(f"document.querySelector('{ROWS}').dataset.document")

            # --- the download's bytes are the original's -----------------------------------
            got = await _row_download(a, f"{ROWS} button:has-text('Download')", timeout_s=120)
            saved = tmp_path / "downloaded.pdf"
            await got.save_as(saved)
            assert hashlib.sha256(saved.read_bytes()).hexdigest() == digest

            # --- B cannot list it, fetch it, or guess it --------------------------------------
            content = f"/api/v1/hearings/{cast.hearing}/documents/{document}/content"
            b_headers = await cookie_of(b)
            async with aiohttp.ClientSession(base_url=suite.base_url, headers=b_headers) as http:
                async with http.get(f"/api/v1/hearings/{cast.hearing}/documents") as r:
                    listed = await r.json()
                    assert r.status == 200 and not listed["documents"], listed
                async with http.get(content) as r:
                    assert r.status == 404
                async with http.get(content.replace(document, document[:-1] + "x")) as r:
                    assert r.status == 404
                # Releasing someone else's document: refused, typed.
                async with http.post(f"/api/v1/hearings/{cast.hearing}/documents/{document}"
                                     "/release", json={"to": "joint"}) as r:
                    body = await r.json()
                    assert r.status in (403, 404) and body["error"]["code"] in (
                        "forbidden", "not_found"), body
            assert await rows(b) == []

            # --- A releases it to everyone, with a confirmation that says who will see it ----
            await a.page.click(f"{ROWS} [data-release=joint]")
            dialog = await a.page.text_content("dialog.dialog")
            # (the other side by name, and the mediator: no observer here, so none is named)
            assert dialog is not None and "B1 and the mediator will be able to read" in dialog, dialog
            await a.check_accessible("documents-release")
            await a.page.click("dialog.dialog button[type=submit]")
            await b.wait_for(f"document.querySelector('{ROWS}[data-document=\"{document}\"]')",
                             timeout=20)  # live, without a reload

            # --- bad files: empty, over the limit, a name with folders and controls ------------
            # Each refused file is a failed row of its own among the transfers, in one style, the
            # page's limit (from the list) stated; the next upload (another file) keeps the
            # previous refusal, until it is dismissed.
            failed_rows = "[...document.querySelectorAll('.transfer[data-state=failed]')]"
            empty = tmp_path / "empty.txt"
            empty.write_bytes(b"")
            await a.page.click("[data-tab=joint]")
            await a.page.set_input_files(".file-drop input[type=file]", str(empty))
            refused = await a.wait_for(f"{failed_rows}.map((x) => x.textContent).join('|')")
            assert refused.startswith("empty.txt") and "is empty (0 bytes)" in refused, refused
            assert await a.value("document.querySelector('.docs-message').textContent") == ""
            huge = tmp_path / "huge.bin"
            with huge.open("wb") as f:  # sparse: no disk, and not one byte of it will be sent
                f.truncate(3 * 1024**3)
            sent_before, created_before = len(upload), len(created)
            await a.page.set_input_files(".file-drop input[type=file]", str(huge))
            await a.wait_for(f"{failed_rows}.some((x) => x.textContent.startsWith('huge.bin'))")
            refused = await a.value(f"{failed_rows}.map((x) => x.textContent)")
            assert refused == ["huge.bin" "This file is 3.2 GB; the most a document may be is "
                               "2.1 GB. Nothing was sent: make it smaller or split it, then "
                               "upload it again.Dismiss",
                               "empty.txt" "This file is empty (0 bytes), so nothing was uploaded. "
                               "Check that you chose the right file.Dismiss"], refused
            assert await a.value("!document.querySelector('.transfer[data-state=failed] progress')")
            assert (len(upload), len(created)) == (sent_before, created_before)  # not even asked
            await shots(a, "documents-refused-too-large", ("laptop",))
            # A failure stays until dismissed; a finished transfer goes by itself.
            for _ in refused:
                await a.page.click(".transfer[data-state=failed] button:has-text('Dismiss')")
            await a.wait_for("!document.querySelector('.transfer[data-state=failed]')")
            await a.wait_for("!document.querySelector('.transfer[data-state=done]')", timeout=30)
            await a.page.set_input_files(".file-drop input[type=file]", files=[{
                "name": "../../etc/pa\u0007ss\u0001wd.txt", "mimeType": "text/plain",
                "buffer": b"not a password file"}])
            await a.wait_for(f"[...document.querySelectorAll('{ROWS} .doc-name')]"
                             ".some((x) => x.textContent === 'passwd.txt')")
            assert not any("/" in n or any(ord(c) < 32 for c in n) for n in await rows(a))
            # A page that lies about the size is refused by the server.
            a_headers = await cookie_of(a)
            lie = {"Parley-Filename": "lie.bin", "Parley-Compartment": "joint",
                   "Upload-Complete": "?0", "Upload-Length": str(2 * 1024**3 + 1)}
            async with aiohttp.ClientSession(base_url=suite.base_url, headers=a_headers) as http, \
                    http.post(f"/api/v1/hearings/{cast.hearing}/documents", headers=lie,
                              data=b"") as r:
                body = await r.json()
                assert (r.status, body["error"]["code"], body["error"]["reason"]) \
                    == (413, "too_large", "document_too_large"), body

            # --- chat: too long, then a flood: a sentence each, the text kept ---------------
            await _chat_bad_input(a)

            # --- a language switch mid-hearing says every word again, and keeps everything ---
            chat_before = await a.value(f"{chat_texts()}.length")
            await switch_language(a, "zh-Hant")
            await a.wait_for("document.querySelector('.chat-error').textContent.includes('秒')")
            content = ["Matter", "A1", "B1", "Side A", "Side B", people.mediator.username,
                       "bundle of exhibits.pdf", "passwd.txt", "huge.bin", "empty.txt",
                       *[f"line {i}" for i in range(FLOOD_MAX + 1)]]
            left = await latin_words_left(a, content)
            assert left == [], f"English left on the hearing screen in zh-Hant: {left}"
            assert await a.value(f"{chat_texts()}.length") == chat_before  # nothing lost
            assert await a.value("document.querySelector('.chat-input').value") \
                == f"line {FLOOD_MAX}"
            assert set(await rows(a)) == {"bundle of exhibits.pdf", "passwd.txt"}
            await shots(a, "hearing-zh-Hant", ("laptop",))
            for tab in (a, b):
                tab.assert_clean(secrets=[inv["A1"]["access_code"], inv["B1"]["access_code"]])
        except Exception:
            for name, tab in (("A1", a), ("B1", b)):
                print(f"--- {name}\n{tab.dump()}")
                with contextlib.suppress(Exception):  # what the page showed when it failed
                    await tab.screenshot(f"documents-failed-{name}")
            raise
        finally:
            await med.close()
            await net.stop()


async def _chat_bad_input(tab: Tab) -> None:
    page = tab.page
    long_text = "x" * (MAX_CHAT + 1)
    await page.eval_on_selector(".chat-input", "(el, text) => { el.removeAttribute('maxlength');"
                                " el.value = text; }", long_text)
    await page.click(".chat-form button[type=submit]")
    error = await tab.wait_for("document.querySelector('.chat-error').textContent")
    assert f"is {MAX_CHAT + 1:,} characters; the limit is {MAX_CHAT:,}" in error, error
    assert await tab.value("document.querySelector('.chat-input').value.length") == MAX_CHAT + 1
    for i in range(FLOOD_MAX + 1):
        await page.fill(".chat-input", f"line {i}")
        await page.keyboard.press("Enter")
    error = await tab.wait_for(
        "document.querySelector('.chat-error').textContent.includes('too fast') &&"
        " document.querySelector('.chat-error').textContent")
    assert "still here" in error
    kept: Any = await tab.value("document.querySelector('.chat-input').value")
    assert kept == f"line {FLOOD_MAX}"


def one_page_pdf(text: str) -> bytes:
    """A valid one-page PDF saying `text` (Helvetica), with its cross-reference table."""
    stream = f"BT /F1 28 Tf 72 700 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
               b" /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def small_png(rgb: tuple[int, int, int], size: int = 8) -> bytes:
    """A valid `size`x`size` PNG of one colour (8-bit RGB, no filter)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# Every blob: URL the page makes, with the Blob behind it, so the test can read what a frame
# shows (the page's CSP rightly refuses a fetch of a blob: URL: connect-src 'self').
_RECORD_BLOBS = """(() => {
  window.blobsMade = new Map();
  const make = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (blob) => { const url = make(blob); window.blobsMade.set(url, blob); return url; };
  return true;
})()"""
#: The type and SHA-256 of the Blob behind one of the page's blob: URLs.
_BLOB_AT = """async (url) => {
  const blob = window.blobsMade.get(url);
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return { type: blob.type,
           sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("") };
}"""
VIEWER = "dialog.viewer[open]"
VERSIONS = ".doc-versions .versions .version"
UPLOAD_SAID = ("[...document.querySelectorAll('.transfer[data-kind=upload] .transfer-detail')]"
               ".map((x) => x.textContent)")

# Counts the document listings the page has read *and acted on*: a tick is taken in a task
# queued once the body is read, so every microtask the listing set off (the panel's refresh,
# its message and its redraw) has run before it. Also records each text the panel's message
# shows, in order.
_COUNT_LISTINGS = """(() => {
  window.listingsDone = 0;
  const json = Response.prototype.json;
  Response.prototype.json = function () {
    const read = json.call(this);
    if (this.ok && new URL(this.url).pathname.endsWith("/documents")) {
      read.then(() => setTimeout(() => { window.listingsDone += 1; }, 0));
    }
    return read;
  };
  window.messagesSaid = [];
  const message = document.querySelector(".docs-message");
  new MutationObserver(() => window.messagesSaid.push(message.textContent))
    .observe(message, { childList: true, characterData: true, subtree: true });
  return true;
})()"""


# Counts the uploads the page said were done (a finished row goes away by itself after 8 s, so
# counting rows would race with that).
_COUNT_UPLOADS_DONE = """(() => {
  window.uploadsDone = 0;
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.target.matches && c.target.matches(".transfer[data-kind=upload][data-state=done]")) {
        window.uploadsDone += 1;
      }
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
  return true;
})()"""


# Every sentence an upload's line says, in order (a finished row goes away by itself after 8 s,
# so what it said is kept here).
_RECORD_UPLOAD_LINES = """(() => {
  window.uploadLines = [];
  const note = () => document.querySelectorAll(".transfer[data-kind=upload] .transfer-detail")
    .forEach((x) => { if (!window.uploadLines.includes(x.textContent)) window.uploadLines.push(x.textContent); });
  new MutationObserver(note).observe(document.querySelector(".transfers"),
    { subtree: true, childList: true, characterData: true });
  return true;
})()"""


async def _upload_in_page(tab: Tab, name: str, data: bytes, mime: str) -> None:
    """Upload by the page's picker and wait until the page says it is done."""
    before = await tab.value("window.uploadsDone")
    await tab.page.set_input_files(".file-drop input[type=file]", files=[
        {"name": name, "mimeType": mime, "buffer": data}])
    await tab.wait_for(f"window.uploadsDone > {before}", timeout=60)


async def _csp_refuses_other_frames_and_plugins(tab: Tab) -> None:
    """The page's CSP admits the viewer's blob: frame and nothing else it refused before: a
    same-origin page, a data: URL, or a plugin (<object>) are refused by the browser itself."""
    seen = len(tab.console)
    await tab.value("""(() => {
      const probe = (tag, attrs) => {
        const el = document.createElement(tag);
        Object.assign(el, attrs);
        el.className = "csp-probe";
        document.body.append(el);
      };
      probe("iframe", { src: "/" });
      probe("iframe", { src: "data:text/html,<p>framed</p>" });
      const blob = URL.createObjectURL(new Blob(["%PDF-1.4"], { type: "application/pdf" }));
      probe("object", { data: blob, type: "application/pdf" });
      return true;
    })()""")

    def refusals() -> list[str]:
        return [line for line in tab.console[seen:] if "Content Security Policy" in line]

    async def three() -> list[str] | None:
        return refusals() if len(refusals()) >= 3 else None

    deadline = asyncio.get_running_loop().time() + 20
    while not await three():
        assert asyncio.get_running_loop().time() < deadline, tab.dump()
        await asyncio.sleep(0.1)
    framed = [line for line in refusals() if "Framing" in line and '"frame-src blob:"' in line]
    assert len(framed) == 2, refusals()  # the page's own origin, and data: (named '' by Chrome)
    assert any(f"{urlsplit(tab.page.url).netloc}/'" in line for line in framed), framed
    assert any("Loading plugin data" in line and "object-src 'none'" in line
               for line in refusals()), refusals()
    await tab.value("(() => { document.querySelectorAll('.csp-probe').forEach((x) => x.remove());"
                    " return true; })()")
    del tab.console[seen:]  # the refusals asked for: anything else still fails assert_clean


@pytest.mark.timeout(300)
async def test_document_versions_and_pdfs_viewed_in_the_page(suite: Suite,
                                                             tmp_path: Path) -> None:
    """A second version uploaded; the first opened from "2 versions" by the keyboard,
    downloaded (SHA-256 equal to the original) and viewed in the page: a PDF in the viewer's
    frame from a blob: URL of type application/pdf whose bytes are the original's; Escape
    closes it and focus goes back. An SVG is never offered a view, and HTML that claims to be
    a PDF is refused a view in a sentence. The CSP still refuses every other frame and plugin."""
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat_people(suite, people, per_side=1)
    inv = cast.invitations
    med = await mediator_socket(suite, people, cast)
    name = "Heads of terms.pdf"
    first, second = one_page_pdf("Heads of terms - draft 1"), one_page_pdf("Heads of terms - final")
    async with chromium() as browser:
        a = await open_tab(browser, suite.base_url)
        a.page.set_default_timeout(60_000)
        try:
            await join_in_browser(a, inv["A1"])
            await med.send(Admit(participant=inv["A1"]["participant"]))
            await a.wait_for(f"{banner_kind()} === 'plenary'")
            await a.page.click("[data-tab=side]")
            await a.value(_COUNT_UPLOADS_DONE)
            await a.value(_RECORD_BLOBS)
            list_url = f"{suite.base_url}/api/v1/hearings/{cast.hearing}/documents"
            lists: list[str] = []
            a.page.on("request", lambda r: lists.append(r.url)
                      if r.method == "GET" and r.url == list_url else None)
            await _upload_in_page(a, name, first, "application/pdf")
            row = f"{ROWS}:not(.doc-versions)"
            await a.wait_for(f"document.querySelector('{row} .doc-name')")
            # The upload's reply and the server's hint for it are served by one list read
            # (each read is an audited listing): none follows once the hint has come.
            await asyncio.sleep(1.5)
            assert len(lists) == 1, lists
            assert await a.value(f"document.querySelector('{row} td[data-label=Versions]')"
                                 ".textContent") == "1"
            await a.wait_for(f"{UPLOAD_SAID}.includes('{name} uploaded.')")
            await _upload_in_page(a, name, second, "application/pdf")
            # A name that exists already: said to be the new version it became.
            await a.wait_for(f"{UPLOAD_SAID}.includes('{name} uploaded as version 2.')")
            toggle = f"{row} .versions-toggle"
            await a.wait_for(f"document.querySelector('{toggle}')?.textContent.includes('2 versions')")
            document = await a.value(f"document.querySelector('{row}').dataset.document")
            assert await rows(a) == [name]

            # --- opened by the keyboard: the list, newest first, the newest marked Latest ---
            await a.page.focus(toggle)
            await a.page.keyboard.press("Enter")
            await a.wait_for(f"document.querySelectorAll('{VERSIONS}').length === 2")
            assert await a.value(f"document.querySelector('{toggle}')"
                                 ".getAttribute('aria-expanded')") == "true"
            assert await a.value(f"document.activeElement.matches('{toggle}')")  # kept focus
            items = await a.value(f"[...document.querySelectorAll('{VERSIONS}')].map((x) => "
                                  "({version: x.dataset.version, latest: x.dataset.latest, "
                                  "text: x.textContent}))")
            assert [i["latest"] for i in items] == ["true", "false"], items
            assert "Version 2" in items[0]["text"] and "Latest" in items[0]["text"], items
            assert "Version 1" in items[1]["text"] and "You" in items[1]["text"], items
            older = items[1]["version"]
            await a.check_accessible("documents-versions")
            await shots(a, "documents-versions")

            # --- version 1 downloaded: its own bytes, under a name of its own ---------------
            v1 = f"{VERSIONS}[data-version=\"{older}\"]"
            async with a.page.expect_download(timeout=60_000) as info:
                await a.page.click(f"{v1} button[aria-label='Download version 1']")
            saved = tmp_path / "v1.pdf"
            got = await info.value
            await got.save_as(saved)
            assert got.suggested_filename == "Heads of terms (v1).pdf"
            assert hashlib.sha256(saved.read_bytes()).hexdigest() \
                == hashlib.sha256(first).hexdigest()

            # --- version 1 viewed in the page: a blob: frame of type application/pdf ----------
            await a.page.click(f"{v1} button[aria-label='View version 1']")
            await a.wait_for(f"document.querySelector('{VIEWER} iframe.viewer-frame')")
            frame = f"document.querySelector('{VIEWER} iframe.viewer-frame')"
            src = await a.value(f"{frame}.src")
            # No browser toolbar: its save and print would keep an unaudited copy.
            assert src.startswith("blob:") and src.endswith("#navpanes=0&toolbar=0"), src
            assert await a.value(f"{frame}.dataset.type") == "application/pdf"
            assert await a.value(f"document.querySelector('{VIEWER} h2').textContent") \
                == "Heads of terms.pdf (version 1)"
            assert await a.value(f"{frame}.title") == "Heads of terms.pdf (version 1)"
            assert await a.value(_BLOB_AT, src.split("#")[0]) == {
                "type": "application/pdf", "sha256": hashlib.sha256(first).hexdigest()}
            # The frame really navigated to the blob (a CSP refusal leaves an error page).
            handle = await a.page.query_selector(f"{VIEWER} iframe.viewer-frame")
            assert handle is not None
            content = await handle.content_frame()
            assert content is not None and content.url == src, content and content.url
            await a.check_accessible("documents-view-pdf")
            await asyncio.sleep(1)  # the browser's PDF viewer draws its first page
            for width, (w, h) in VIEWPORTS.items():  # what the person sees: the viewport
                await a.page.set_viewport_size({"width": w, "height": h})
                await asyncio.sleep(0.5)
                await a.page.screenshot(path=str(ARTIFACTS / f"documents-view-pdf-{width}.png"))
            await a.page.set_viewport_size({"width": 1366, "height": 768})
            # The viewer's Download asks the server again, as a download (so it is audited
            # as one, not as the view: asserted below): the version's bytes, under its name.
            async with a.page.expect_download(timeout=60_000) as again:
                await a.page.click(f"{VIEWER} button:has-text('Download')")
            got = await again.value
            assert got.suggested_filename == "Heads of terms (v1).pdf"
            await got.save_as(saved)
            assert hashlib.sha256(saved.read_bytes()).hexdigest() \
                == hashlib.sha256(first).hexdigest()

            async def purposes() -> list[str] | None:
                status, page = await people.auditor.call(
                    "GET", f"/api/v1/audit/events?action=document.download&resource_type="
                           f"document&resource_id={document}&order=asc&limit=100", bearer=True)
                assert status == 200, page
                entries = [msgspec.json.decode(r["entry"]) for r in page["events"]]
                said = [e["details"].get("purpose") for e in entries
                        if e["actor"]["id"] == inv["A1"]["participant"]
                        and e["details"]["version"] == older]
                return said if len(said) >= 3 else None

            # Version 1 downloaded from its row, opened in the page, saved from the viewer.
            assert await wait_until(purposes, timeout=20, what="the reads audited") \
                == ["download", "view", "download"]
            await a.page.focus(f"{VIEWER} button.primary")
            await a.page.keyboard.press("Escape")
            await a.wait_for("!document.querySelector('dialog.viewer')")
            assert await a.value("document.activeElement.dataset.focus") \
                == f"view:{document}:{older}"
            assert await a.value(f"document.querySelector('{VIEWER}')") is None

            # --- the latest from its row; Close by its button; focus back on View ---------
            await a.page.click(f"{row} [data-focus='view:{document}']")
            await a.wait_for(f"document.querySelector('{VIEWER} iframe.viewer-frame')")
            latest_src = await a.value(f"document.querySelector('{VIEWER} iframe').src")
            assert await a.value(_BLOB_AT, latest_src.split("#")[0]) == {
                "type": "application/pdf", "sha256": hashlib.sha256(second).hexdigest()}
            assert await a.value(f"document.querySelector('{VIEWER} h2').textContent") == name
            await a.page.click(f"{VIEWER} button:has-text('Close')")
            await a.wait_for("!document.querySelector('dialog.viewer')")
            assert await a.value("document.activeElement.dataset.focus") == f"view:{document}"

            # --- never inline: an SVG (no View at all); HTML calling itself a PDF (refused) ---
            await _upload_in_page(a, "diagram.svg", b"<svg xmlns='http://www.w3.org/2000/svg'"
                                  b" onload='alert(1)'><rect width='9' height='9'/></svg>",
                                  "image/svg+xml")
            await _upload_in_page(a, "not really.pdf", b"<!doctype html><script>alert(1)"
                                  b"</script>", "application/pdf")
            await a.wait_for(f"document.querySelectorAll('{row}').length === 3")
            by_name = ("(n) => [...document.querySelectorAll('" + row + "')].find((r) => "
                       "r.querySelector('.doc-name').textContent === n)")
            assert await a.value(f"({by_name})('diagram.svg').querySelector("
                                 "'[data-focus^=\"view:\"]')") is None
            await a.value(f"(() => {{ ({by_name})('not really.pdf').querySelector("
                          "'[data-focus^=\"view:\"]').click(); return true; })()")
            refused = await a.wait_for("document.querySelector('.docs-message').textContent")
            assert "cannot be shown in the page" in refused and "Download it" in refused
            assert await a.value("document.querySelector('dialog.viewer')") is None
            # An image: the same viewer, drawn in an <img> from a blob: URL typed image/png.
            picture = small_png((200, 30, 30))
            await _upload_in_page(a, "site photo.png", picture, "image/png")
            await a.wait_for(f"document.querySelectorAll('{row}').length === 4")
            await a.value(f"(() => {{ ({by_name})('site photo.png').querySelector("
                          "'[data-focus^=\"view:\"]').click(); return true; })()")
            image = f"document.querySelector('{VIEWER} img.viewer-image')"
            assert await a.wait_for(f"{image}?.complete && {image}.naturalWidth") == 8
            assert await a.value(_BLOB_AT, await a.value(f"{image}.src")) == {
                "type": "image/png", "sha256": hashlib.sha256(picture).hexdigest()}
            assert await a.value(f"{image}.alt") == "site photo.png"
            await a.page.keyboard.press("Escape")
            await a.wait_for("!document.querySelector('dialog.viewer')")

            # --- the CSP: only the viewer's blob: frames were let in -------------------------
            await _csp_refuses_other_frames_and_plugins(a)

            # --- every word of the open list in another language ------------------------------
            await switch_language(a, "zh-Hant")
            await a.wait_for(f"document.querySelector('{toggle}').textContent.includes('2 個版本')")
            texts = await a.value(f"[...document.querySelectorAll('{VERSIONS}')]"
                                  ".map((x) => x.textContent).join(' ')")
            assert "第 2 版" in texts and "最新" in texts and "第 1 版" in texts, texts
            await shots(a, "documents-versions-zh-Hant", ("laptop",))
            await switch_language(a, "en")
            await _share_the_latest_version(a, name, document, older)
            await _upload_line_follows_a_release(a, suite.base_url, cast.hearing)
            a.assert_clean(secrets=[inv["A1"]["access_code"]])
        except Exception:
            print(f"--- A1\n{a.dump()}")
            with contextlib.suppress(Exception):
                await a.screenshot("documents-versions-failed")
            raise
        finally:
            await med.close()


async def _upload_line_follows_a_release(a: Tab, base_url: str, hearing: str) -> None:
    """A finished upload's line says which version it became; shared a moment later (here by
    the same person from another window, through the API: the server's hint refreshes the
    panel), it says where it went and the number its new audience gives it, never the stale
    "uploaded as version 2"."""
    name = "Chronology.pdf"
    await a.page.click("[data-tab=side]")
    await a.value(_RECORD_UPLOAD_LINES)
    await _upload_in_page(a, name, one_page_pdf("Chronology - draft"), "application/pdf")
    await _upload_in_page(a, name, one_page_pdf("Chronology - final"), "application/pdf")
    await a.wait_for(f"{UPLOAD_SAID}.includes('{name} uploaded as version 2.')")
    document = await a.value(f"[...document.querySelectorAll('{ROWS}')].find((r) => "
                             f"r.querySelector('.doc-name')?.textContent === '{name}').dataset.document")
    async with aiohttp.ClientSession(base_url=base_url, headers=await cookie_of(a)) as http, \
            http.post(f"/api/v1/hearings/{hearing}/documents/{document}/release",
                      json={"to": "joint"}) as r:
        assert r.status == 200, await r.text()
    shared = (f"{name} uploaded as your side's version 2, then shared with everyone, who see "
              "it as version 1.")
    await a.wait_for(f"window.uploadLines.includes({shared!r})")


async def _saved_by_the_browser_under_the_same_name(a: Tab, row: str, document: str,
                                                    v1: str) -> None:
    """A version too large for the page is saved by the browser itself, which names the file
    by the server's Content-Disposition: under the name the page gives the small one. The
    list is read again saying the versions are that large (their bytes stay the small file's),
    so the page hands the link to the browser."""
    async def larger(route: Route) -> None:
        response = await route.fetch()
        listed = await response.json()
        for version in listed["versions"]:
            version["size"] = 300 * MiB
        await route.fulfill(response=response, json=listed)

    listing = f"**/documents/{document}/versions"
    toggle = f"{row} .versions-toggle"
    await a.page.route(listing, larger)
    try:
        await a.page.click(toggle)  # closed, then opened: read again
        await a.wait_for(f"!document.querySelector('{VERSIONS}')")
        await a.page.click(toggle)
        await a.wait_for(f"document.querySelector('{v1}')?.textContent.includes('315 MB')")
        async with a.page.expect_download(timeout=60_000) as info:
            await a.page.click(f"{v1} button[aria-label='Download version 1 (Our side only)']")
        assert (await info.value).suggested_filename == "Heads of terms (v1, our side).pdf"
        said = await a.wait_for("document.querySelector('.transfer[data-kind=download]"
                                "[data-state=done] .transfer-detail')?.textContent")
        assert "your browser saves it directly" in said, said
    finally:
        await a.page.unroute(listing, larger)


async def _share_the_latest_version(a: Tab, name: str, document: str, older: str) -> None:
    """Side A shares its two-version document (in "Our side", its list of versions open) with
    the mediator in confidence: only the latest version goes, and the page says so throughout."""
    row = f"{ROWS}[data-document=\"{document}\"]"
    await a.value(_COUNT_LISTINGS)
    # --- the confirmation says what is shared: the latest version, not the earlier one -----
    await a.page.click(f"{row} [data-release^=confidential]")
    said = await a.page.text_content("dialog.dialog") or ""
    # Numbered as each audience numbers it: the side's second, the mediator's first.
    assert (f"The latest version of “{name}” (your side's version 2) will be shared with the "
            "mediator in confidence, who will see it as version 1." in said
            and "Earlier versions stay with your side." in said), said
    await a.check_accessible("documents-release-latest")
    await a.page.click("dialog.dialog button[type=submit]")
    # --- it leaves the tab; where it went stays said through every refresh that follows ----
    where = f"“{name}” is now under “Shared with the mediator in confidence”."
    await a.wait_for(f"document.querySelector('.docs-message').textContent === {where!r}")
    await a.wait_for(f"!document.querySelector('{row}')")
    # The release's reply and the server's `documents` hint (it reaches the sharer too) are
    # served by one list read, read and drawn: none follows once the hint has come.
    await a.wait_for("window.listingsDone >= 1", timeout=30)
    await asyncio.sleep(1.5)
    assert await a.value("window.listingsDone") == 1
    assert await a.value("document.querySelector('.docs-message').textContent") == where
    messages = await a.value("window.messagesSaid")
    assert messages[messages.index(where):] == [where], messages  # never wiped meanwhile
    await shots(a, "documents-released-latest", ("laptop",))
    # --- the person's next action in the panel takes it away ----------------------------------
    await a.page.click("[data-tab=confidential]")
    await a.wait_for("document.querySelector('.docs-message').textContent === ''")
    # --- there, the first version says it is still only the side's ---------------------------
    await a.wait_for(f"document.querySelectorAll('{VERSIONS}').length === 2")
    kept = await a.value(f"[...document.querySelectorAll('{VERSIONS}')].map((x) => "
                         "[x.dataset.version, x.querySelector('.version-kept')?.textContent])")
    assert kept[1] == [older, "Only your side sees this version."], kept
    assert kept[0][1] is None, kept
    # The row counts what the mediator counts too, then the side's own draft in words.
    toggle = f"{row} .versions-toggle"
    assert await a.value(f"document.querySelector('{toggle}').textContent") \
        == "1 version (+1 of your side only)"
    # Each numbered within its audience, so both are "Version 1": each row says whose.
    names = await a.value(f"[...document.querySelectorAll('{VERSIONS} .version-name')]"
                          ".map((x) => x.textContent)")
    assert names == ["Version 1 · Our side and the mediatorLatest", "Version 1 · Our side only"], names
    await shots(a, "documents-version-kept", ("laptop",))
    v1 = f"{VERSIONS}[data-version=\"{older}\"]"
    async with a.page.expect_download(timeout=60_000) as info:
        await a.page.click(f"{v1} button[aria-label='Download version 1 (Our side only)']")
    assert (await info.value).suggested_filename == "Heads of terms (v1, our side).pdf"
    await _saved_by_the_browser_under_the_same_name(a, row, document, v1)
    # --- the name uploaded to the side's tab again: refused, saying where it is now -------------
    await a.page.click("[data-tab=side]")
    await a.page.set_input_files(".file-drop input[type=file]", files=[
        {"name": name, "mimeType": "application/pdf", "buffer": one_page_pdf("draft 3")}])
    refused = await a.wait_for("document.querySelector('.transfer[data-state=failed]')"
                               "?.textContent")
    assert (f"A document named “{name}” is already under “Shared with the mediator in "
            "confidence”." in refused and "Nothing was kept." in refused), refused
    await a.page.click(".transfer[data-state=failed] button:has-text('Dismiss')")
