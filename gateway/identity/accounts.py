"""Staff account records (KV bucket `parley_accounts`) and the pure operations on them.

Each operation takes an `Account` and returns a new one; the gateway writes it back with a
compare-and-set on the KV revision, so two gateway processes never lose each other's update (that
is what makes TOTP replay prevention and recovery-code consumption hold across processes).

`epoch` is bumped by every change that must end live access at once: disable, role change, TOTP
reset, password change (not a display name change: it grants nothing). Sessions and API tokens
record the epoch they were issued under, and `check_current` refuses a credential from an older
epoch. A gateway that sees the account change (KV watch) therefore revokes that account's
sessions and tokens everywhere without a scan. A person changing their own password keeps the
session they changed it in: the same write names it `kept_session`, valid one epoch back until
the gateway moves the session itself on (one write, so no gateway ever sees it refused).

`must_change_password`: the password is one an administrator typed (a new account) or the
server made for them (a reset); until its holder chooses their own, their sessions may do
nothing else (gateway/identity/policy.py); it signs in until `password_expires_ms`
(temporary_passwords.py).

Keys: `account.<id>` holds the record; `username.<username>` holds the id (created with a KV
`create`, which fails if the key exists: usernames are unique without a lock).

`check_keeps_an_admin` is the rule that no change locks the administrators out: nobody disables or
demotes their own administrator account, nor the last active one (held under concurrency by
gateway/identity/admin_guard.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec

from gateway.identity import recovery, totp
from gateway.identity.errors import AdminLockout, AuthenticationFailed, Conflict, InvalidInput
from gateway.identity.passwords import PasswordHasher, check_username
from gateway.identity.secretbox import SecretBox
from proto.codec import JsonDecoder
from proto.common import DISPLAY_NAME_MAX, STAFF_ROLES, DisplayName, Id, Role, TimestampMs
from proto.text import clean_text

ACCOUNTS_BUCKET = "parley_accounts"


class Account(msgspec.Struct, frozen=True, kw_only=True):
    """One staff account. Unknown fields are tolerated on decode (forward compatibility)."""

    id: Id
    username: Annotated[str, msgspec.Meta(max_length=64)]
    role: Role
    #: The name other people see ("Ms Anna Lee"); "" for none (records older than the field).
    display_name: DisplayName = ""
    password_hash: Annotated[str, msgspec.Meta(max_length=512)]
    created_ms: TimestampMs
    updated_ms: TimestampMs
    epoch: int = 0
    disabled: bool = False
    #: The TOTP secret sealed by `SecretBox` with the account id as associated data.
    totp_secret_sealed: bytes | None = None
    totp_confirmed: bool = False
    totp_last_step: int | None = None
    recovery_code_hashes: tuple[str, ...] = ()
    failed_signins: int = 0
    locked_until_ms: TimestampMs | None = None
    last_signin_ms: TimestampMs | None = None
    must_change_password: bool = False
    #: Until when the temporary password (`must_change_password`) signs in (None: no limit).
    password_expires_ms: TimestampMs | None = None
    #: The public id of the session its holder changed the password in (see the module doc).
    kept_session: Id | None = None


def account_key(account_id: str) -> str:
    return f"account.{account_id}"


def username_key(username: str) -> str:
    """The KV key that claims `username`: a valid NATS subject for every name the pattern takes.

    A name is stored under `username.<name>` when that is a valid key (as every earlier
    release did, so existing claims need no migration). NATS keys are dot-separated subject
    tokens, so a name with an empty token (`ab..cd`) or a trailing dot (`abc.`) cannot be spelt
    that way; such a name is claimed under `username=<name with each '.' as '='>`. The two
    forms cannot collide: names never contain `=`, and the prefixes differ.
    """
    check_username(username)
    plain = f"username.{username}"
    if ".." not in username and not username.endswith("."):
        return plain
    return "username=" + username.replace(".", "=")


def encode_account(account: Account) -> bytes:
    return msgspec.json.encode(account)


_decoder: JsonDecoder[Account] = JsonDecoder(Account)


def decode_account(raw: bytes) -> Account:
    return _decoder.decode(raw)


def _replace(account: Account, now_ms: int, *, bump: bool = False, **changes: object) -> Account:
    epoch = account.epoch + 1 if bump else account.epoch
    if bump:  # a session kept by the last password change is kept across that bump only
        changes.setdefault("kept_session", None)
    return msgspec.structs.replace(account, updated_ms=now_ms, epoch=epoch, **changes)


def _check_staff(role: Role) -> None:
    if role not in STAFF_ROLES:
        raise InvalidInput("account role must be admin, mediator or auditor")


def create_account(
    *, account_id: str, username: str, role: Role, password: str, hasher: PasswordHasher,
    now_ms: int, display_name: str = "", must_change_password: bool = True,
    password_expires_ms: int | None = None,
) -> Account:
    """A new account without TOTP: it must enrol at its first sign-in, and choose its own
    password first unless its holder typed this one (`must_change_password` False); a
    temporary one signs in until `password_expires_ms` (None: no limit)."""
    check_username(username)
    _check_staff(role)
    return Account(
        id=account_id, username=username, role=role, password_hash=hasher.hash(password),
        created_ms=now_ms, updated_ms=now_ms, display_name=check_display_name(display_name),
        must_change_password=must_change_password,
        password_expires_ms=password_expires_ms if must_change_password else None,
    )


def check_display_name(name: str) -> str:
    """`name` cleaned (proto/text.py) and bounded; "" means no name. Raises `InvalidInput`.

    The contracts clean the name where it enters (AccountCreateRequest, AccountPatchRequest);
    this holds the rule for every other caller (the admin CLI, tests), so a record never holds
    a name the contracts would refuse.
    """
    cleaned = clean_text(name)
    if name and not cleaned:
        raise InvalidInput("the display name has no visible characters")
    if len(cleaned) > DISPLAY_NAME_MAX:
        raise InvalidInput(f"the display name is longer than {DISPLAY_NAME_MAX} characters")
    return cleaned


def set_display_name(account: Account, name: str, now_ms: int) -> Account:
    """The account with display name `name` ("" removes it); unchanged if it is the same."""
    cleaned = check_display_name(name)
    if cleaned == account.display_name:
        return account
    return _replace(account, now_ms, display_name=cleaned)


def check_current(account: Account, credential_epoch: int, session: str | None = None) -> None:
    """Raise `AuthenticationFailed` if the account is disabled or the credential is stale
    (`session`: a cookie session's public id, which a password change may have kept)."""
    kept = session is not None and session == account.kept_session \
        and credential_epoch == account.epoch - 1
    if account.disabled or (credential_epoch != account.epoch and not kept):
        raise AuthenticationFailed("credential no longer valid")


def begin_totp_enrolment(
    account: Account, box: SecretBox, now_ms: int
) -> tuple[Account, str, str]:
    """Return (account with a new pending secret, secret, otpauth URI). Refused once confirmed."""
    if account.totp_confirmed:
        raise Conflict("TOTP is already enrolled; an admin can reset it")
    secret = totp.new_secret()
    sealed = box.seal(secret.encode(), account.id)
    updated = _replace(account, now_ms, totp_secret_sealed=sealed, totp_last_step=None)
    return updated, secret, totp.provisioning_uri(secret, account.username)


def totp_secret(account: Account, box: SecretBox) -> str:
    if account.totp_secret_sealed is None:
        raise Conflict("TOTP enrolment has not begun")
    return box.open(account.totp_secret_sealed, account.id).decode()


def confirm_totp(
    account: Account, code: str, box: SecretBox, now_ms: int
) -> tuple[Account, tuple[str, ...]]:
    """Confirm enrolment with a first code; return the account and recovery codes (shown once)."""
    if account.totp_confirmed:
        raise Conflict("TOTP is already enrolled")
    step = totp.verify_totp(
        totp_secret(account, box), code, now_s=now_ms / 1000, last_used_step=account.totp_last_step
    )
    codes, hashes = recovery.generate_codes()
    updated = _replace(account, now_ms, totp_confirmed=True, totp_last_step=step,
                       recovery_code_hashes=hashes)
    return updated, codes


def disable(account: Account, now_ms: int) -> Account:
    return _replace(account, now_ms, bump=True, disabled=True)


def enable(account: Account, now_ms: int) -> Account:
    return _replace(account, now_ms, bump=True, disabled=False, failed_signins=0,
                    locked_until_ms=None)


def reset_totp(account: Account, now_ms: int) -> Account:
    """Forget TOTP and recovery codes: the account re-enrols at its next sign-in."""
    return _replace(account, now_ms, bump=True, totp_secret_sealed=None, totp_confirmed=False,
                    totp_last_step=None, recovery_code_hashes=())


def change_role(account: Account, role: Role, now_ms: int) -> Account:
    _check_staff(role)
    if role is account.role:
        return account
    return _replace(account, now_ms, bump=True, role=role)


def set_password(account: Account, password: str, hasher: PasswordHasher, now_ms: int) -> Account:
    return _replace(account, now_ms, bump=True, password_hash=hasher.hash(password))


def change_password(account: Account, password_hash: str, now_ms: int, *,
                    keep_session: str | None) -> Account:
    """Its holder's own new password (hashed by the caller): every other credential ends."""
    return _replace(account, now_ms, bump=True, password_hash=password_hash,
                    must_change_password=False, password_expires_ms=None,
                    kept_session=keep_session)


def reset_password(account: Account, password_hash: str, now_ms: int, *,
                   expires_ms: int | None) -> Account:
    """An administrator's reset to a temporary password, good until `expires_ms`: every
    credential ends, the lockout is lifted (a person locked out is often why), and the holder
    must choose their own."""
    return _replace(account, now_ms, bump=True, password_hash=password_hash,
                    must_change_password=True, password_expires_ms=expires_ms,
                    failed_signins=0, locked_until_ms=None)


def record_failure(account: Account, now_ms: int, locked_until_ms: int | None) -> Account:
    """Count a failed sign-in; `locked_until_ms` when the guard has just locked the username."""
    return _replace(account, now_ms, failed_signins=account.failed_signins + 1,
                    locked_until_ms=locked_until_ms or account.locked_until_ms)


class AdminRefusal(StrEnum):
    """Why a change to an administrator account was refused (`proto.errors.Error.reason`)."""

    SELF_DISABLE = "self_disable"
    SELF_DEMOTE = "self_demote"
    LAST_ADMIN = "last_admin"


#: The client's message for each refusal (the page says it in the person's language).
_LOCKOUT_MESSAGES = {
    AdminRefusal.SELF_DISABLE: "an administrator cannot disable their own account",
    AdminRefusal.SELF_DEMOTE: "an administrator cannot take the admin role from their own account",
    AdminRefusal.LAST_ADMIN: "the last active administrator cannot be disabled or demoted",
}


def is_active_admin(account: Account) -> bool:
    return account.role is Role.ADMIN and not account.disabled


def takes_an_admin_away(before: Account, after: Account) -> bool:
    """The change from `before` to `after` leaves one active administrator fewer."""
    return is_active_admin(before) and not is_active_admin(after)


def check_keeps_an_admin(before: Account, after: Account, *, actor_id: str | None,
                         other_active_admins: int) -> None:
    """Raise `AdminLockout` if `after` takes an active administrator away and either it is the
    actor's own account (they would sign themselves out for good) or no other active
    administrator remains (nobody could manage accounts or enable this one again).

    `other_active_admins` counts the active administrators other than `before`. The acting
    administrator is normally one of them, so the last-admin rule holds against an actor whose
    own account was disabled or demoted a moment ago by someone else (a credential still valid on
    a gateway whose watched copy had not caught up). The count must be the one the change is
    written against: two administrators disabling each other in the same instant would otherwise
    both count the other; gateway/identity/admin_guard.py writes it so.
    """
    if not takes_an_admin_away(before, after):
        return
    if before.id == actor_id:
        refusal = AdminRefusal.SELF_DISABLE if after.disabled else AdminRefusal.SELF_DEMOTE
    elif other_active_admins == 0:
        refusal = AdminRefusal.LAST_ADMIN
    else:
        return
    raise AdminLockout(_LOCKOUT_MESSAGES[refusal], reason=refusal.value)
