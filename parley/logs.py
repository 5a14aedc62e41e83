"""Structured JSON logs carrying the trace id, with secrets redacted before anything is written."""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import Any

from opentelemetry import trace

from parley.instants import instant_of_seconds

REDACTED = "<redacted>"

#: Keys whose values are never printed, whatever their content.
SECRET_KEYS = re.compile(
    r"(pass(word|wd)?|secret|token|cookie|authorization|api[_-]?key|access[_-]?code|totp|"
    r"recovery|ticket|private|credential|session[_-]?id|master[_-]?key)",
    re.IGNORECASE,
)
#: Secret-looking fragments inside free text, each with what replaces it.
_TEXT_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 " + REDACTED),
    (
        re.compile(
            r"(?i)((?:pass(?:word|wd)?|secret|token|cookie|set-cookie|api[_-]?key|access[_-]?code|"
            r"totp|ticket|parley_session|session)\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&]+)"
        ),
        r"\1" + REDACTED,
    ),
    (re.compile(r"\bprl_[A-Za-z0-9_-]{8,}"), REDACTED),  # Parley API tokens
    # SDP (aiortc logs whole descriptions at DEBUG): ICE credentials and DTLS fingerprints.
    (re.compile(r"(?i)(a=ice-(?:pwd|ufrag):)\S+"), r"\1" + REDACTED),
    (re.compile(r"(?i)(a=fingerprint:)[^\r\n]+"), r"\1" + REDACTED),
    (re.compile(r"(?i)\b((?:ice_?)?(?:pwd|ufrag|usernameFragment|username|fingerprint)"
                r"['\"]?\s*[=:]\s*)(b?'[^']*'|b?\"[^\"]*\"|[^\s,;&)]+)"), r"\1" + REDACTED),
]
#: Loggers of the media libraries, which print candidates and STUN traffic at DEBUG/INFO: every
#: network address in their text is redacted too (where participants are is personal data).
THIRD_PARTY_MEDIA = ("aiortc", "aioice", "av")
_ADDRESSES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)(a=candidate:|candidate:)[^\r\n]+"), r"\1" + REDACTED),
    (re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b"), REDACTED),  # IPv4
    # IPv6, the compressed forms too ("fd00::2", "::1", "fe80::1%eth0"): any run of hex groups
    # with two colons or more (a clock time like 01:42:46 goes as well, which costs nothing).
    (re.compile(r"(?i)(?<![0-9a-z:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:%[\w.-]+)?"
                r"(?![0-9a-z:])"), REDACTED),
]


def redact_text(text: str) -> str:
    for pattern, replacement in _TEXT_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_media_text(text: str) -> str:
    """`redact_text`, and also every candidate line and network address (media libraries)."""
    text = redact_text(text)
    for pattern, replacement in _ADDRESSES:
        text = pattern.sub(replacement, text)
    return text


def redact_value(key: str, value: Any) -> Any:
    if SECRET_KEYS.search(key):
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(key, v) for v in value]
    return value


def _redactor(logger: str) -> Any:
    return redact_media_text if logger.split(".", 1)[0] in THIRD_PARTY_MEDIA else redact_text


_RESERVED = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": instant_of_seconds(record.created).strftime("%Y-%m-%dT%H:%M:%S")
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": _redactor(record.name)(record.getMessage()),
        }
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            out["trace_id"] = format(span.trace_id, "032x")
            out["span_id"] = format(span.span_id, "016x")
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                out[key] = redact_value(key, value)
        if record.exc_info and record.exc_info[0] is not None:
            out["error"] = record.exc_info[0].__name__
            out["traceback"] = _redactor(record.name)(self.formatException(record.exc_info))
        return json.dumps(out, default=str, ensure_ascii=False)


def setup_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Library chatter (aiohttp access lines carry query strings) stays at warning.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
