"""Staff sign-in: the order of checks, in one pure function the gateway cannot get wrong.

1. The guard's backoff/lockout (`SignInGuard.check`) BEFORE any hashing, so a locked username or
   address costs the server nothing and gets 429 with Retry-After.
2. The password, always hashed, against a dummy hash when the username is unknown: unknown user
   and wrong password take the same time and give the same `AuthenticationFailed`.
3. For an account with confirmed TOTP, a TOTP code (replay-checked) or a recovery code (consumed)
   is required in the same request. A missing second factor is the same generic failure: a reply
   like "code required" would confirm the password to whoever guessed it.
4. Only then, a disabled account is refused as such (`AccountDisabled`): its holder, who has
   just proved both factors, learns what to do; anyone else never gets this far. Its code is
   not spent and nothing counts against the guard (it is not a guess). So is a temporary
   password past its time (`TemporaryPasswordExpired`, temporary_passwords.py), the same way.
5. An account without TOTP signs in with `mfa_complete=False`: its session may only enrol.

The returned account (last TOTP step, remaining recovery codes, rehashed password, cleared
failure count) must be written back with a compare-and-set; if that write loses a race the
sign-in must fail, or a TOTP code or recovery code could be used twice.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from gateway.identity import recovery, totp
from gateway.identity.accounts import Account, totp_secret
from gateway.identity.errors import AccountDisabled, AuthenticationFailed, LockedOut
from gateway.identity.passwords import PasswordHasher
from gateway.identity.ratelimit import SignInGuard, retry_after
from gateway.identity.secretbox import SecretBox
from gateway.identity.temporary_passwords import check_temporary_password


@dataclass(frozen=True)
class SignInResult:
    account: Account
    mfa_complete: bool
    used_recovery_code: bool = False


def verify_credentials(
    account: Account | None, password: str, *, totp_code: str | None,
    recovery_code: str | None, hasher: PasswordHasher, box: SecretBox, now_ms: int,
) -> SignInResult:
    """Steps 2-5 above; raises `AuthenticationFailed` (one message for every cause) or, with
    every credential right, `AccountDisabled` or `TemporaryPasswordExpired`."""
    password_ok = hasher.verify(None if account is None else account.password_hash, password)
    if account is None or not password_ok:
        raise AuthenticationFailed()
    changes: dict[str, object] = {}
    used_recovery = False
    if account.totp_confirmed:
        if totp_code is not None:
            changes["totp_last_step"] = totp.verify_totp(
                totp_secret(account, box), totp_code, now_s=now_ms / 1000,
                last_used_step=account.totp_last_step,
            )
        elif recovery_code is not None:
            changes["recovery_code_hashes"] = recovery.consume_code(
                account.recovery_code_hashes, recovery_code
            )
            used_recovery = True
        else:
            raise AuthenticationFailed()
    if account.disabled:
        raise AccountDisabled()
    check_temporary_password(account, now_ms)
    if hasher.needs_rehash(account.password_hash):
        changes["password_hash"] = hasher.rehash(password)
    updated = msgspec.structs.replace(
        account, failed_signins=0, locked_until_ms=None, last_signin_ms=now_ms,
        updated_ms=now_ms, **changes,
    )
    return SignInResult(updated, mfa_complete=account.totp_confirmed,
                        used_recovery_code=used_recovery)


def attempt_sign_in(
    account: Account | None, *, username: str, address: str, password: str,
    totp_code: str | None, recovery_code: str | None, guard: SignInGuard,
    hasher: PasswordHasher, box: SecretBox, now_ms: int,
) -> SignInResult:
    """The whole sequence with backoff. On failure raises `AuthenticationFailed` whose `lockout`
    says this failure has just locked the username (audit `auth.lockout`, and persist
    `locked_until_ms` on the account so other gateway processes honour it)."""
    guard.check(username, address)
    if account is not None and account.locked_until_ms is not None \
            and now_ms < account.locked_until_ms:
        raise LockedOut(retry_after_s=retry_after((account.locked_until_ms - now_ms) / 1000))
    try:
        result = verify_credentials(
            account, password, totp_code=totp_code, recovery_code=recovery_code,
            hasher=hasher, box=box, now_ms=now_ms,
        )
    except AuthenticationFailed as exc:
        locked = guard.record_failure(username, address)
        raise type(exc)(lockout=locked) from None  # a reused code keeps its own message
    guard.record_success(username)
    return result
