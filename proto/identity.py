"""REST contracts of identity and access (DESIGN §8).

Sign-in, me, TOTP, API tokens, accounts, bootstrap.

Every request struct forbids unknown fields and bounds every string before anything is hashed or
looked up. The patterns here are the single source: gateway/identity imports them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec

from proto.common import DisplayName, Id, Role, TimestampMs
from proto.principal import PrincipalKind
from proto.signalling import IcePolicy
from proto.text import clean_fields

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,63}$"
USERNAME_MAX = 64
PASSWORD_MIN = 12
PASSWORD_MAX = 256
TOTP_CODE_PATTERN = r"^[0-9]{6}$"
RECOVERY_CODE_PATTERN = r"^[A-Za-z2-7]{4}(-?[A-Za-z2-7]{4}){3}$"
API_TOKEN_PATTERN = r"^prl_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$"  # noqa: S105 (a pattern)
BOOTSTRAP_SECRET_PATTERN = r"^pbs_[A-Za-z0-9_-]{43}$"  # noqa: S105 (a pattern)

Username = Annotated[
    str, msgspec.Meta(pattern=USERNAME_PATTERN, min_length=3, max_length=USERNAME_MAX)
]
#: A password offered at sign-in: bounded, but not held to the new-password policy.
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=PASSWORD_MAX)]
NewPassword = Annotated[str, msgspec.Meta(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)]
TotpCode = Annotated[str, msgspec.Meta(pattern=TOTP_CODE_PATTERN, min_length=6, max_length=6)]
RecoveryCode = Annotated[str, msgspec.Meta(pattern=RECOVERY_CODE_PATTERN, max_length=19)]
TokenName = Annotated[
    str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")
]
CsrfToken = Annotated[str, msgspec.Meta(max_length=64)]


class StaffRole(StrEnum):
    ADMIN = Role.ADMIN.value
    MEDIATOR = Role.MEDIATOR.value
    AUDITOR = Role.AUDITOR.value


class _Request(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


class _Response(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    pass


# --- sign-in and me -------------------------------------------------------------------------

class SignInRequest(_Request, frozen=True):
    """Staff sign-in. Accounts with TOTP send `totp` (or a `recovery_code`) in the same request."""

    username: Username
    password: Password
    totp: TotpCode | None = None
    recovery_code: RecoveryCode | None = None

    def __post_init__(self) -> None:
        if self.totp is not None and self.recovery_code is not None:
            raise ValueError("send either totp or recovery_code, not both")


class SignInResponse(_Response, frozen=True):
    id: Id
    role: Role
    csrf_token: CsrfToken
    expires_ms: TimestampMs
    #: False until TOTP is enrolled: the session may then only enrol, read `me` and sign out.
    mfa_complete: bool = True
    #: True while the account must choose a new password (an administrator set the one used):
    #: the session may then only change it, read `me` and sign out; this step comes first.
    password_change_required: bool = False


class MeResponse(_Response, frozen=True):
    kind: PrincipalKind
    id: Id
    role: Role | None = None
    username: Username | None = None
    #: A staff account's display name ("" when it has none).
    display_name: DisplayName = ""
    hearing: Id | None = None
    side: Id | None = None
    mfa_complete: bool = True
    password_change_required: bool = False
    #: Present for cookie sessions (send it in the `Parley-CSRF` header); absent for tokens.
    csrf_token: CsrfToken | None = None


# --- TOTP -----------------------------------------------------------------------------------

class TotpEnrollRequest(_Request, frozen=True):
    pass


class TotpEnrollResponse(_Response, frozen=True):
    otpauth_uri: Annotated[str, msgspec.Meta(max_length=512)]
    #: The same secret in base32, for manual entry.
    secret: Annotated[str, msgspec.Meta(pattern=r"^[A-Z2-7]{32}$")]
    #: The URI as a QR code (SVG document, drawn by the gateway) for an authenticator app.
    qr_svg: Annotated[str, msgspec.Meta(max_length=32768)] = ""


class TotpConfirmRequest(_Request, frozen=True):
    code: TotpCode


class TotpConfirmResponse(_Response, frozen=True):
    """Recovery codes, shown once."""

    recovery_codes: Annotated[tuple[RecoveryCode, ...], msgspec.Meta(max_length=10)]


# --- API tokens -----------------------------------------------------------------------------

class TokenCreateRequest(_Request, frozen=True):
    name: TokenName
    #: None: no expiry (revocable at any time). At most a year.
    expires_in_s: Annotated[int, msgspec.Meta(ge=60, le=366 * 86400)] | None = None

    def __post_init__(self) -> None:
        clean_fields(self, "name")


class TokenInfo(_Response, frozen=True):
    id: Id
    name: TokenName
    role: Role
    created_ms: TimestampMs
    expires_ms: TimestampMs | None = None
    revoked: bool = False


class TokenCreateResponse(_Response, frozen=True):
    """`token` is shown once and never stored in clear."""

    token: Annotated[str, msgspec.Meta(pattern=API_TOKEN_PATTERN)]
    info: TokenInfo


class TokenListResponse(_Response, frozen=True):
    tokens: Annotated[tuple[TokenInfo, ...], msgspec.Meta(max_length=1000)]


# --- accounts (admin) -----------------------------------------------------------------------

class AccountCreateRequest(_Request, frozen=True):
    username: Username
    role: StaffRole
    password: NewPassword
    #: The name other people see ("Ms Anna Lee"); empty: none yet (screens show the role).
    display_name: DisplayName = ""

    def __post_init__(self) -> None:
        clean_fields(self, "display_name")


class AccountInfo(_Response, frozen=True):
    id: Id
    username: Username
    role: Role
    created_ms: TimestampMs
    display_name: DisplayName = ""
    disabled: bool = False
    totp_enrolled: bool = False
    recovery_codes_left: Annotated[int, msgspec.Meta(ge=0, le=10)] = 0
    #: When the account last signed in successfully (None: never).
    last_signin_ms: TimestampMs | None = None
    #: The password is one an administrator set: its holder chooses their own at next sign-in.
    must_change_password: bool = False
    #: Until when that temporary password signs in (None: not temporary, or no limit recorded).
    temporary_password_expires_ms: TimestampMs | None = None


class AccountListResponse(_Response, frozen=True):
    accounts: Annotated[tuple[AccountInfo, ...], msgspec.Meta(max_length=10000)]


class AccountPatchRequest(_Request, frozen=True):
    """At least one change. `reset_totp` may only be true. `display_name` "" removes the name."""

    disabled: bool | None = None
    role: StaffRole | None = None
    reset_totp: bool | None = None
    display_name: DisplayName | None = None

    def __post_init__(self) -> None:
        if self.disabled is None and self.role is None and self.reset_totp is None \
                and self.display_name is None:
            raise ValueError("nothing to change")
        if self.reset_totp is False:
            raise ValueError("reset_totp may only be true")
        clean_fields(self, "display_name")


class ProfilePatchRequest(_Request, frozen=True):
    """`PATCH /api/v1/me` (staff): what a staff member may change about itself."""

    display_name: DisplayName

    def __post_init__(self) -> None:
        clean_fields(self, "display_name")


class PasswordChangeRequest(_Request, frozen=True):
    """`POST /api/v1/me/password`: the current password (checked like a sign-in) and the new."""

    current: Password
    new: NewPassword


class PasswordResetRequest(_Request, frozen=True):
    """`POST /api/v1/accounts/{account}/password` (admin): nothing to choose; the server makes
    the temporary password."""


class PasswordResetResponse(_Response, frozen=True):
    """The temporary password, shown once and stored only hashed; the account must change it."""

    temporary_password: Annotated[str, msgspec.Meta(min_length=PASSWORD_MIN,
                                                    max_length=PASSWORD_MAX)]
    account: AccountInfo


# --- bootstrap ------------------------------------------------------------------------------

class BootstrapRequest(_Request, frozen=True):
    """One-time creation of the first admin with the secret `parley up` printed."""

    secret: Annotated[str, msgspec.Meta(pattern=BOOTSTRAP_SECRET_PATTERN, max_length=64)]
    username: Username
    password: NewPassword


class BootstrapResponse(_Response, frozen=True):
    account: AccountInfo


#: Every REST contract of identity and access: each gets a JSON Schema (proto/catalog.py).
WIRE_MESSAGES: list[type[msgspec.Struct]] = [
    SignInRequest, SignInResponse, MeResponse, TotpEnrollRequest, TotpEnrollResponse,
    TotpConfirmRequest, TotpConfirmResponse, TokenCreateRequest, TokenInfo, TokenCreateResponse,
    TokenListResponse, AccountCreateRequest, AccountInfo, AccountListResponse,
    AccountPatchRequest, ProfilePatchRequest, BootstrapRequest, BootstrapResponse,
    PasswordChangeRequest, PasswordResetRequest, PasswordResetResponse,
]


class InstitutionSettings(_Response, frozen=True):
    """`GET /api/v1/settings` (admin): the gateway's current security settings, read-only
    (they are set by the operator through PARLEY_* variables)."""

    session_idle_s: float
    session_absolute_s: float
    rate_session_per_s: float
    rate_address_per_s: float
    rate_tiles_per_s: float
    denial_audit_period_s: float
    address_pseudonym_period: Annotated[str, msgspec.Meta(pattern=r"^(month|day)$")]
    tls: bool
    #: The signalling service's ICE configuration; null when that service did not answer.
    ice: IcePolicy | None = None
