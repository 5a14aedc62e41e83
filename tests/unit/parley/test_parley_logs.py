from __future__ import annotations

import io
import json
import logging

import pytest

from parley.logs import JsonFormatter, redact_media_text, redact_text


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


def _sdp_secrets(sdp: str) -> set[str]:
    """ICE credentials and DTLS fingerprints of a real SDP (the values, not the attribute names)."""
    out = set()
    for line in sdp.splitlines():
        for prefix in ("a=ice-pwd:", "a=ice-ufrag:", "a=fingerprint:"):
            if line.startswith(prefix):
                out.add(line[len(prefix):].split()[-1])
    return out


async def test_aiortc_and_aioice_at_debug_print_no_ice_secret_or_address() -> None:
    """Two real aiortc peers negotiate over loopback with every media logger at DEBUG."""
    from tests.loopback_peer import loopback_peer

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("signalling"))
    loggers = [logging.getLogger(name) for name in ("aiortc", "aioice")]
    saved = [(lg.level, lg.handlers[:], lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.handlers[:] = [handler]
        lg.setLevel(logging.DEBUG)
        lg.propagate = False
    offerer, answerer = loopback_peer(), loopback_peer()
    try:
        offerer.createDataChannel("probe")
        await offerer.setLocalDescription(await offerer.createOffer())
        await answerer.setRemoteDescription(offerer.localDescription)
        await answerer.setLocalDescription(await answerer.createAnswer())
        await offerer.setRemoteDescription(answerer.localDescription)
        secrets = _sdp_secrets(offerer.localDescription.sdp) | _sdp_secrets(
            answerer.localDescription.sdp)
        addresses = _candidate_addresses(offerer.localDescription.sdp) | _candidate_addresses(
            answerer.localDescription.sdp)
    finally:
        await offerer.close()
        await answerer.close()
        for lg, (level, handlers, propagate) in zip(loggers, saved, strict=True):
            lg.setLevel(level)
            lg.handlers[:] = handlers
            lg.propagate = propagate
    text = stream.getvalue()
    assert "a=ice-pwd:<redacted>" in text  # aiortc did print the SDP, redacted
    assert len(secrets) >= 4, secrets
    for secret in secrets:
        assert secret not in text, secret
    assert "127.0.0.1" not in text and "a=candidate:" not in text.replace(
        "a=candidate:<redacted>", "")
    for address in addresses:  # every address this machine offered, IPv6 ones too
        assert address not in text, address


def _candidate_addresses(sdp: str) -> set[str]:
    """The connection addresses of a real SDP's candidates (`a=candidate:… <ip> <port> typ`)."""
    return {line.split()[4] for line in sdp.splitlines() if line.startswith("a=candidate:")}


def test_media_text_loses_every_form_of_network_address() -> None:
    """The media libraries print candidate pairs as tuples: IPv4, full and compressed IPv6
    (what a host with a ULA or link-local address offers) all go, and the words around stay."""
    for address in ("192.0.2.7", "2001:db8:85a3:0:0:8a2e:370:7334", "fd00::2", "::1",
                    "fe80::1ff:fe23:4567:890a%eth0", "2001:db8::"):
        text = redact_media_text(f"Check CandidatePair(('{address}', 43914) -> x) FROZEN")
        assert address not in text, (address, text)
        assert text.startswith("Check CandidatePair(('<redacted>', 43914)"), text
    assert redact_media_text("Connection(0) ICE completed") == "Connection(0) ICE completed"
