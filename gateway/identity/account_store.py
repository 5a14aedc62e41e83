"""KV adapter for `parley_accounts`: accounts, the username index, API tokens, the bootstrap record.

Every update is a compare-and-set on the KV revision (`KeyValue.update(last=revision)`): two
gateway processes (or the operator CLI) never lose each other's write; the loser gets `Conflict`.
Usernames are unique through `username.<name>` keys written with KV `create`, which fails if the
key exists, so no lock is needed. A change that could take an administrator away is written with
a compare-and-set over the whole bucket instead (`snapshot`, `update_if_unchanged`; see
gateway/identity/admin_guard.py).

API tokens live here (`token.<id>`), not in `parley_sessions`: that bucket has a bucket-wide TTL
equal to the session lifetime, which would silently delete long-lived tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import msgspec
from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from gateway.identity.accounts import (
    ACCOUNTS_BUCKET,
    Account,
    account_key,
    decode_account,
    encode_account,
    username_key,
)
from gateway.identity.bootstrap import BOOTSTRAP_KEY, BootstrapRecord
from gateway.identity.errors import Conflict
from gateway.identity.sessions import ApiTokenRecord
from parley import kv
from proto.codec import JsonDecoder

T = TypeVar("T")
TOKEN_PREFIX = "token."  # noqa: S105 (a key prefix)
ACCOUNT_PREFIX = "account."


def token_key(token_id: str) -> str:
    return f"{TOKEN_PREFIX}{token_id}"


_token_decoder: JsonDecoder[ApiTokenRecord] = JsonDecoder(ApiTokenRecord)
_bootstrap_decoder: JsonDecoder[BootstrapRecord] = JsonDecoder(BootstrapRecord)


def decode_token(raw: bytes) -> ApiTokenRecord:
    return _token_decoder.decode(raw)


class AccountStore:
    def __init__(self, kv: KeyValue) -> None:
        self.kv = kv

    @classmethod
    async def open(cls, js: JetStreamContext) -> AccountStore:
        return cls(await js.key_value(ACCOUNTS_BUCKET))

    async def _get(self, key: str, decode: Callable[[bytes], T]) -> tuple[T, int] | None:
        found = await kv.read(self.kv, key)
        return None if found is None else (decode(found[0]), found[1])

    async def _update(self, key: str, value: bytes, revision: int) -> int:
        try:
            return await kv.update(self.kv, key, value, revision)
        except kv.RevisionConflict:
            raise Conflict("changed concurrently; try again") from None

    async def _keys(self, prefix: str) -> list[str]:
        return await kv.keys(self.kv, prefix)

    # --- accounts -------------------------------------------------------------------------

    async def get(self, account_id: str) -> tuple[Account, int] | None:
        return await self._get(account_key(account_id), decode_account)

    async def by_username(self, username: str) -> tuple[Account, int] | None:
        found = await self._get(username_key(username), bytes.decode)
        return None if found is None else await self.get(found[0])

    async def create(self, account: Account) -> int:
        """Claim the username, then write the account; `Conflict` if the username is taken."""
        try:
            await kv.create(self.kv, username_key(account.username), account.id.encode())
        except kv.RevisionConflict:
            raise Conflict("username already in use") from None
        try:
            return int(await self.kv.create(account_key(account.id), encode_account(account)))
        except BaseException:  # whatever stopped the write: give the username back, then fail
            await self.kv.delete(username_key(account.username))
            raise

    async def update(self, account: Account, revision: int) -> int:
        return await self._update(account_key(account.id), encode_account(account), revision)

    async def snapshot(self) -> tuple[dict[str, Account], int]:
        """Every account (by id) as of the bucket's revision, read from the stream's leader,
        and that revision: for `update_if_unchanged` (gateway/identity/admin_guard.py)."""
        found, revision = await kv.snapshot(self.kv, ACCOUNT_PREFIX)
        accounts = (decode_account(value) for value, _ in found.values())
        return {a.id: a for a in accounts}, revision

    async def update_if_unchanged(self, account: Account, bucket_revision: int) -> int:
        """Write `account` only if nothing in the bucket changed since `bucket_revision`."""
        try:
            return await kv.update_if_unchanged(self.kv, account_key(account.id),
                                                encode_account(account), bucket_revision)
        except kv.RevisionConflict:
            raise Conflict("changed concurrently; try again") from None

    async def list_accounts(self) -> list[Account]:
        accounts = []
        for key in await self._keys(ACCOUNT_PREFIX):
            found = await self._get(key, decode_account)
            if found is not None:
                accounts.append(found[0])
        return accounts

    async def any_account(self) -> bool:
        return bool(await self._keys(ACCOUNT_PREFIX))

    # --- API tokens -----------------------------------------------------------------------

    async def get_token(self, token_id: str) -> tuple[ApiTokenRecord, int] | None:
        return await self._get(token_key(token_id), decode_token)

    async def create_token(self, record: ApiTokenRecord) -> int:
        return int(await self.kv.create(token_key(record.id), msgspec.json.encode(record)))

    async def update_token(self, record: ApiTokenRecord, revision: int) -> int:
        return await self._update(token_key(record.id), msgspec.json.encode(record), revision)

    async def list_tokens(self, owner: str) -> list[ApiTokenRecord]:
        tokens = []
        for key in await self._keys(TOKEN_PREFIX):
            found = await self._get(key, decode_token)
            if found is not None and found[0].owner == owner:
                tokens.append(found[0])
        return sorted(tokens, key=lambda t: t.created_ms)

    # --- bootstrap ------------------------------------------------------------------------

    async def get_bootstrap(self) -> tuple[BootstrapRecord, int] | None:
        return await self._get(BOOTSTRAP_KEY, _bootstrap_decoder.decode)

    async def issue_bootstrap(self, record: BootstrapRecord, replacing: int | None) -> int:
        """Store a new record where there was none (`replacing` None) or where the record was
        still at revision `replacing`; `Conflict` if another gateway stored one meanwhile."""
        data = msgspec.json.encode(record)
        if replacing is not None:
            return await self._update(BOOTSTRAP_KEY, data, replacing)
        try:
            return await kv.create(self.kv, BOOTSTRAP_KEY, data)
        except kv.RevisionConflict:
            raise Conflict("another gateway issued a bootstrap secret") from None

    async def consume_bootstrap(self, revision: int) -> None:
        """Delete the record if still at `revision`: of two racing uses, exactly one wins."""
        try:
            await kv.delete(self.kv, BOOTSTRAP_KEY, revision)
        except kv.RevisionConflict:
            raise Conflict("bootstrap secret already used") from None

    async def drop_bootstrap(self) -> None:
        await kv.delete(self.kv, BOOTSTRAP_KEY)
