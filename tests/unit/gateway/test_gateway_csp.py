"""The Content-Security-Policy: one narrow opening (`frame-src blob:`, the in-page PDF viewer)
and nothing else loosened. The expectations are written out here by hand, not read from the code.
The browser test (tests/e2e/test_web_participant_documents.py, versions and PDFs) checks that
Chromium enforces it."""

from __future__ import annotations

from gateway.http.headers import CONTENT_SECURITY_POLICY, SECURITY_HEADERS

#: The policy before PDFs were shown in the page, as it was committed.
BEFORE = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} given twice (browsers use the first)"
        parsed[name] = sources
    return parsed


def test_the_policy_is_exactly_this() -> None:
    assert directives(CONTENT_SECURITY_POLICY) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:", "mediastream:"],
        "connect-src": ["'self'"],
        "frame-src": ["blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }


def test_only_blob_frames_were_added_and_nothing_else_changed() -> None:
    before, now = directives(BEFORE), directives(CONTENT_SECURITY_POLICY)
    assert {k: v for k, v in now.items() if k != "frame-src"} == before
    assert "frame-src" not in before  # frames fell back to default-src 'self' …
    assert now["frame-src"] == ["blob:"]  # … and now admit the page's own blob: URLs only


def test_nothing_runs_or_frames_from_anywhere_else() -> None:
    policy = CONTENT_SECURITY_POLICY
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'",
                  "*", "http:", "https:", "filesystem:", "'strict-dynamic'"):
        assert loose not in policy.split(), loose
    now = directives(policy)
    # Scripts, workers and plugins: only our files; no blob: or data: script, no plugin at all.
    assert now["script-src"] == ["'self'"] and now["object-src"] == ["'none'"]
    assert "child-src" not in now and "worker-src" not in now  # workers: default-src 'self'
    # The page itself is never framed, by anyone.
    assert now["frame-ancestors"] == ["'none'"] and SECURITY_HEADERS["X-Frame-Options"] == "DENY"
    assert "data:" not in now["frame-src"] and "'self'" not in now["frame-src"]
