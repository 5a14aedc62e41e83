from __future__ import annotations

import io
import json
import logging

import pytest

from parley.logs import JsonFormatter, redact_text


@pytest.fixture
def capture() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("test"))
    logger = logging.getLogger("parley.test.redaction")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


SECRETS = ["hunter2-correct-horse", "sess-5f1c9a0b7e", "eyJhbGciOi.payload.sig", "prl_abcdef0123456789"]


def test_record_with_password_cookie_and_bearer_prints_none(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    logger.info(
        "sign-in body password=%s header Cookie: parley_session=%s Authorization: Bearer %s token %s",
        *SECRETS,
        extra={"password": SECRETS[0], "headers": {"Cookie": f"parley_session={SECRETS[1]}",
                                                     "Authorization": f"Bearer {SECRETS[2]}"},
               "route": "/api/v1/auth/signin"},
    )
    line = stream.getvalue()
    for secret in SECRETS:
        assert secret not in line
    record = json.loads(line)
    assert record["route"] == "/api/v1/auth/signin"
    assert record["password"] == "<redacted>"


def test_exception_tracebacks_are_redacted_too(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    try:
        raise ValueError(f"bad access_code={SECRETS[0]}")
    except ValueError:
        logger.exception("failed")
    assert SECRETS[0] not in stream.getvalue()
    assert json.loads(stream.getvalue())["error"] == "ValueError"


@pytest.mark.parametrize("text", ["token: abc123secret", "api_key=abc123secret", "Basic dXNlcjpwYXNz"])
def test_free_text_patterns(text: str) -> None:
    assert "abc123secret" not in redact_text(text) and "dXNlcjpwYXNz" not in redact_text(text)


def test_ordinary_text_is_untouched() -> None:
    assert redact_text("hearing 01J opened by mediator") == "hearing 01J opened by mediator"
