"""Staff display names: the contracts clean and bound them, the account keeps them, and a record
written before the field existed still decodes (with no name)."""

from __future__ import annotations

import msgspec
import pytest
from identity_support import fast_hasher

from gateway.identity import accounts as a
from gateway.identity.errors import InvalidInput
from proto.common import DISPLAY_NAME_MAX, Role
from proto.identity import AccountCreateRequest, AccountPatchRequest, ProfilePatchRequest


def _account(display_name: str = "") -> a.Account:
    return a.create_account(account_id="acct-1", username="alee", role=Role.MEDIATOR,
                            password="correct horse battery", hasher=fast_hasher(), now_ms=1_000,
                            display_name=display_name)


def _create(**fields: object) -> AccountCreateRequest:
    body = {"username": "alee", "role": "mediator", "password": "correct horse battery", **fields}
    return msgspec.json.decode(msgspec.json.encode(body), type=AccountCreateRequest)


def test_the_request_cleans_the_name_and_bounds_it() -> None:
    # A right-to-left override, a NUL and a zero-width space are removed; spaces are trimmed.
    assert _create(display_name=" Ms\u202e Anna\x00 Lee\u200b ").display_name == "Ms Anna Lee"
    assert _create(display_name="李安娜").display_name == "李安娜"
    assert _create().display_name == ""
    assert _create(display_name="x" * DISPLAY_NAME_MAX).display_name == "x" * DISPLAY_NAME_MAX
    for bad in ("x" * (DISPLAY_NAME_MAX + 1), " \u200b\t", 7):
        with pytest.raises(msgspec.ValidationError):
            _create(display_name=bad)


def test_a_patch_may_only_set_or_remove_the_name() -> None:
    def patch(body: object) -> AccountPatchRequest:
        return msgspec.json.decode(msgspec.json.encode(body), type=AccountPatchRequest)

    assert patch({"display_name": "Ms Anna Lee\n"}).display_name == "Ms Anna Lee"
    assert patch({"display_name": ""}).display_name == ""  # removes it
    with pytest.raises(msgspec.ValidationError, match="nothing to change"):
        patch({})
    own = msgspec.json.decode(b'{"display_name": "Dr\\u0007 Chan"}', type=ProfilePatchRequest)
    assert own.display_name == "Dr Chan"
    with pytest.raises(msgspec.ValidationError):  # a staff member changes nothing else of itself
        msgspec.json.decode(b'{"display_name": "x", "role": "admin"}', type=ProfilePatchRequest)


def test_the_account_keeps_a_clean_name_and_a_change_ends_no_session() -> None:
    account = _account(" Ms Anna Lee ")
    assert account.display_name == "Ms Anna Lee"
    renamed = a.set_display_name(account, "Dr Anna Lee", 2_000)
    assert (renamed.display_name, renamed.updated_ms, renamed.epoch) == ("Dr Anna Lee", 2_000, 0)
    assert a.set_display_name(renamed, "Dr Anna Lee", 3_000) is renamed  # no change, no write
    assert a.set_display_name(renamed, "", 3_000).display_name == ""
    for bad in ("\u202e\u200b", "x" * (DISPLAY_NAME_MAX + 1)):
        with pytest.raises(InvalidInput):
            a.set_display_name(account, bad, 3_000)
        with pytest.raises(InvalidInput):
            _account(bad)


def test_a_record_from_before_display_names_decodes_with_none() -> None:
    raw = msgspec.json.decode(a.encode_account(_account("Ms Anna Lee")))
    del raw["display_name"]
    old = a.decode_account(msgspec.json.encode(raw))
    assert old.display_name == "" and old.username == "alee"
