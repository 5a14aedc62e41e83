"""How long a password an administrator set (a new account, a reset) signs in (pure).

Such a temporary password is known to the administrator and travels by telephone or message, so
it must not stay good for ever: it signs in until `Account.password_expires_ms`, set when it is
set (PARLEY_TEMPORARY_PASSWORD_HOURS later). From then on signing in with it, or changing it, is
refused as `TemporaryPasswordExpired` (403 `temporary_password_expired`) and the administrator
resets it again. The refusal comes only once the password (and the second factor, if any) proved
right, so it tells its holder what to do and a guesser nothing. A record from before the field
has no limit; a password its holder chose has none.
"""

from __future__ import annotations

from gateway.identity.accounts import Account
from gateway.identity.errors import TemporaryPasswordExpired


def temporary_password_expiry(now_ms: int, hours: float) -> int:
    """Until when a temporary password set at `now_ms` signs in."""
    return now_ms + round(hours * 3_600_000)


def check_temporary_password(account: Account, now_ms: int) -> None:
    """Raise `TemporaryPasswordExpired` if the account's password is a temporary one past its
    time."""
    if account.must_change_password and account.password_expires_ms is not None \
            and now_ms >= account.password_expires_ms:
        raise TemporaryPasswordExpired()
