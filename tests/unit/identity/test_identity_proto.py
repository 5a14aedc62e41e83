import msgspec
import pytest

from gateway.identity import recovery, sessions, totp
from gateway.identity.bootstrap import new_bootstrap
from proto import identity as p
from proto.common import Role
from proto.principal import PrincipalKind

DEC = msgspec.json.decode


def _decode(raw: bytes, kind: type) -> object:
    return DEC(raw, type=kind)


def test_sign_in_request_minimal_and_full() -> None:
    req = _decode(b'{"username":"alice","password":"pw"}', p.SignInRequest)
    assert req == p.SignInRequest(username="alice", password="pw")
    req = _decode(b'{"username":"alice","password":"pw","totp":"012345"}', p.SignInRequest)
    assert isinstance(req, p.SignInRequest) and req.totp == "012345"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"username":"alice","password":"pw","admin":true}',  # unknown field
        b'{"username":"alice"}',  # missing password
        b'{"username":"alice","password":123}',  # wrong type
        b'{"username":"' + b"a" * 65 + b'","password":"pw"}',  # over-long username
        b'{"username":"Alice","password":"pw"}',  # not lowercase
        b'{"username":"alice","password":"' + b"x" * 257 + b'"}',  # over-long password
        b'{"username":"alice","password":""}',
        b'{"username":"alice","password":"pw","totp":"12345"}',
        b'{"username":"alice","password":"pw","totp":"1234567"}',
        b'{"username":"alice","password":"pw","totp":123456}',
        b'{"username":"alice","password":"pw","totp":"12345a"}',
        b'{"username":"alice","password":"pw","recovery_code":"nope"}',
        b'{"username":"alice","password":"pw","totp":"123456","recovery_code":"aaaa-bbbb-cccc-dddd"}',
        b'[]',
        b'not json',
    ],
)
def test_sign_in_request_bad_input(raw: bytes) -> None:
    with pytest.raises((msgspec.ValidationError, msgspec.DecodeError)):
        _decode(raw, p.SignInRequest)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b'{"username":"bob","role":"party","password":"long enough pw"}', p.AccountCreateRequest),
        (b'{"username":"bob","role":"admin","password":"short"}', p.AccountCreateRequest),
        (b'{"username":"bob","role":"admin","password":"long enough pw","x":1}',
         p.AccountCreateRequest),
        (b"{}", p.AccountPatchRequest),
        (b'{"reset_totp":false}', p.AccountPatchRequest),
        (b'{"role":"observer"}', p.AccountPatchRequest),
        (b'{"disabled":"yes"}', p.AccountPatchRequest),
        (b'{"code":"12 456"}', p.TotpConfirmRequest),
        (b'{"anything":1}', p.TotpEnrollRequest),
        (b'{"name":""}', p.TokenCreateRequest),
        (b'{"name":"a\\nb"}', p.TokenCreateRequest),
        (b'{"name":"' + b"n" * 65 + b'"}', p.TokenCreateRequest),
        (b'{"name":"cli","expires_in_s":10}', p.TokenCreateRequest),
        (b'{"secret":"pbs_short","username":"root","password":"long enough pw"}',
         p.BootstrapRequest),
    ],
)
def test_other_requests_bad_input(raw: bytes, kind: type) -> None:
    with pytest.raises(msgspec.ValidationError):
        _decode(raw, kind)


def test_good_requests_decode() -> None:
    assert _decode(b'{"username":"bob","role":"auditor","password":"long enough pw"}',
                   p.AccountCreateRequest) == p.AccountCreateRequest(
        username="bob", role=p.StaffRole.AUDITOR, password="long enough pw")
    patch = _decode(b'{"disabled":true,"role":"mediator"}', p.AccountPatchRequest)
    assert isinstance(patch, p.AccountPatchRequest) and patch.role is p.StaffRole.MEDIATOR
    assert _decode(b'{"name":"ci","expires_in_s":3600}', p.TokenCreateRequest)
    assert _decode(b"{}", p.TotpEnrollRequest) == p.TotpEnrollRequest()


def test_generated_secrets_fit_the_contracts() -> None:
    """What the cores generate must pass the wire patterns (single source of truth)."""
    codes, _ = recovery.generate_codes()
    secret = totp.new_secret()
    token, record = sessions.new_api_token(owner="a1", role=Role.ADMIN, name="ci", now_ms=0)
    boot, _ = new_bootstrap(0)
    msgspec.convert(
        {"recovery_codes": list(codes)}, p.TotpConfirmResponse)
    msgspec.convert({"otpauth_uri": totp.provisioning_uri(secret, "alice"), "secret": secret},
                    p.TotpEnrollResponse)
    msgspec.convert({"token": token, "info": {"id": record.id, "name": "ci", "role": "admin",
                                              "created_ms": 0}}, p.TokenCreateResponse)
    msgspec.convert({"secret": boot, "username": "root", "password": "long enough pw"},
                    p.BootstrapRequest)
    msgspec.convert({"code": totp.code_at(secret, 1)}, p.TotpConfirmRequest)


def test_responses_omit_defaults() -> None:
    me = p.MeResponse(kind=PrincipalKind.ACCOUNT, id="a1", role=Role.ADMIN)
    assert msgspec.json.encode(me) == b'{"kind":"account","id":"a1","role":"admin"}'
