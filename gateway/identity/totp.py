"""TOTP (RFC 6238) enrolment and verification with pyotp: 6 digits, 30 s steps, ±1 step window.

Replay prevention: a successful verification returns the time step it matched; the caller stores
it on the account (`Account.totp_last_step`) and passes it back next time. A code whose step is at
or before the stored step is refused, so a code seen over a shoulder or in a log cannot be used
again, nor can an older code be used after a newer one. Across gateway processes this holds
because the account update that records the step is a compare-and-set on the KV revision.

Every candidate step in the window is compared (constant-time), with no early exit.
"""

from __future__ import annotations

import hmac
import re

import pyotp

from gateway.identity.errors import AuthenticationFailed, CodeReplayed, InvalidInput
from proto.identity import TOTP_CODE_PATTERN

ISSUER = "Parley"
DIGITS = 6
PERIOD_S = 30
WINDOW = 1
#: 32 base32 characters = 160 bits, the RFC 4226 recommended secret length.
SECRET_LENGTH = 32
_CODE_RE = re.compile(TOTP_CODE_PATTERN)
_SECRET_RE = re.compile(r"^[A-Z2-7]{32}$")


def new_secret() -> str:
    """A fresh base32 TOTP secret (160 bits from `secrets`)."""
    return pyotp.random_base32(length=SECRET_LENGTH)


def provisioning_uri(secret: str, username: str) -> str:
    """The `otpauth://totp/Parley:<username>?secret=…&issuer=Parley` URI for authenticator apps."""
    _check_secret(secret)
    uri: str = pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD_S).provisioning_uri(
        name=username, issuer_name=ISSUER
    )
    return uri


def time_step(now_s: float) -> int:
    return int(now_s // PERIOD_S)


def code_at(secret: str, step: int) -> str:
    """The code for one time step (tests and enrolment helpers use it)."""
    _check_secret(secret)
    code: str = pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD_S).generate_otp(step)
    return code


def check_code_format(code: str) -> None:
    if not _CODE_RE.fullmatch(code):
        raise InvalidInput("authentication code must be 6 digits")


def verify_totp(secret: str, code: str, *, now_s: float, last_used_step: int | None) -> int:
    """Verify `code` at time `now_s`; return the matched time step (store it for next time).

    Raises `InvalidInput` for a malformed code, `CodeReplayed` for a code of an already used (or
    older) step, `AuthenticationFailed` for a wrong code.
    """
    check_code_format(code)
    current = time_step(now_s)
    matched: int | None = None
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(code_at(secret, step).encode(), code.encode()):
            matched = step
    if matched is None:
        raise AuthenticationFailed()
    if last_used_step is not None and matched <= last_used_step:
        raise CodeReplayed()
    return matched


def _check_secret(secret: str) -> None:
    if not _SECRET_RE.fullmatch(secret):
        raise InvalidInput("malformed TOTP secret")
