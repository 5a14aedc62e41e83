"""A person changing their own password: the order of checks, in one function the gateway cannot
get wrong (the sign-in's, signin.py, for the current password).

1. The sign-in guard's backoff/lockout (per username and per address) BEFORE any hashing, and
   the lockout written on the account: the current password is a password guess like any
   sign-in's, so guessing it here is no faster than there.
2. The current password (argon2); wrong: the sign-in's one `AuthenticationFailed`, counted
   against the same guard (its `lockout` says it has just locked the username).
3. A temporary password past its time (temporary_passwords.py): `TemporaryPasswordExpired`, as at sign-in.
4. The new password: the one rule for every new password (passwords.py), and not the current.

Returns the new password's hash. The caller writes `accounts.change_password` with a
compare-and-set and refuses the write if the stored hash is no longer the one verified here.
"""

from __future__ import annotations

from gateway.identity.accounts import Account
from gateway.identity.errors import AuthenticationFailed, LockedOut
from gateway.identity.passwords import PasswordHasher, check_password_change
from gateway.identity.ratelimit import SignInGuard, retry_after
from gateway.identity.temporary_passwords import check_temporary_password


def verify_change(account: Account, *, current: str, new: str, address: str,
                  guard: SignInGuard, hasher: PasswordHasher, now_ms: int) -> str:
    """Steps 1-4 above; the new password's hash."""
    guard.check(account.username, address)
    if account.locked_until_ms is not None and now_ms < account.locked_until_ms:
        raise LockedOut(retry_after_s=retry_after((account.locked_until_ms - now_ms) / 1000))
    if not hasher.verify(account.password_hash, current):
        raise AuthenticationFailed(lockout=guard.record_failure(account.username, address))
    guard.record_success(account.username)
    check_temporary_password(account, now_ms)
    check_password_change(current, new)
    return hasher.hash(new)
