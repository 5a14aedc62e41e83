"""The gateway's identity shell: stores, watched copies, hasher, secret box, limits, clock.

Built once per process at start-up (`open_identity`), kept on `GatewayState.identity`. The
per-request principal resolution lives in gateway/identity/authn.py; this module only wires things.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from nats.aio.client import Client

from gateway.config import GatewayConfig
from gateway.identity.account_store import ACCOUNT_PREFIX, TOKEN_PREFIX, AccountStore, decode_token
from gateway.identity.accounts import Account, decode_account
from gateway.identity.bootstrap import new_bootstrap
from gateway.identity.errors import Conflict
from gateway.identity.kv_mirror import KvMirror
from gateway.identity.passwords import PasswordHasher
from gateway.identity.pseudonym import AddressPseudonyms
from gateway.identity.ratelimit import (
    BackoffConfig,
    BucketConfig,
    SignInGuard,
    TokenBuckets,
)
from gateway.identity.secretbox import KEY_FILE_NAME, SecretBox, load_or_create_key
from gateway.identity.session_store import SESSION_PREFIX, SessionStore, decode_session
from gateway.identity.sessions import ApiTokenRecord, SessionPolicy, SessionRecord
from gateway.identity.shared_passes import SharedPasses
from proto.principal import Principal

#: Which hearings a staff mediator mediates (signalling owns that data; plugged in later).
MediatedLookup = Callable[[Principal], Awaitable[frozenset[str]]]


async def no_mediated_hearings(principal: Principal) -> frozenset[str]:
    return frozenset()


def secret_key_path(config: GatewayConfig) -> Path:
    return Path(config.data_dir) / "gateway" / KEY_FILE_NAME


@dataclass
class IdentityState:
    config: GatewayConfig
    accounts: AccountStore
    sessions: SessionStore
    account_mirror: KvMirror[Account | ApiTokenRecord]
    session_mirror: KvMirror[SessionRecord]
    hasher: PasswordHasher
    box: SecretBox
    guard: SignInGuard
    address_buckets: TokenBuckets
    session_buckets: TokenBuckets
    #: Tile reads (a tile reader's walk is many small GETs): their own, larger buckets.
    tile_buckets: TokenBuckets
    #: The audit log's searches, names and proofs (a report is tens of reads): their own too.
    audit_buckets: TokenBuckets
    #: The web client's files (a page load is ~90 GETs): a bucket per address of their own.
    asset_buckets: TokenBuckets
    pseudonyms: AddressPseudonyms
    policy: SessionPolicy
    hashing: asyncio.Semaphore
    nc: Client
    mediated_hearings: MediatedLookup = no_mediated_hearings
    wall_clock: Callable[[], float] = time.time
    #: Participants' session ends, sharing passes over the bucket (session_revoke.py makes it).
    participant_ends: SharedPasses[Any, list[SessionRecord]] | None = None
    _sweeper: asyncio.Task[None] | None = field(default=None, repr=False)

    def now_ms(self) -> int:
        return int(self.wall_clock() * 1000)

    async def hash_work(self, work: Callable[[], object]) -> object:
        """Run argon2 off the event loop, at most `signin_concurrency` at once."""
        async with self.hashing:
            return await asyncio.to_thread(work)

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        await self.account_mirror.stop()
        await self.session_mirror.stop()

    async def _sweep(self) -> None:
        """Drop expired sessions from the watched copy (the KV TTL removes them from the bucket)."""
        while True:
            await asyncio.sleep(60)
            self.session_mirror.prune(functools.partial(_expired, self.now_ms()))


def _expired(now_ms: int, record: SessionRecord) -> bool:
    return now_ms >= record.expires_ms


def _decode_account_entry(key: str, raw: bytes) -> Account | ApiTokenRecord | None:
    """Accounts and tokens are mirrored; the username index and bootstrap record are not."""
    if key.startswith(ACCOUNT_PREFIX):
        return decode_account(raw)
    if key.startswith(TOKEN_PREFIX):
        return decode_token(raw)
    return None


def _decode_session_entry(key: str, raw: bytes) -> SessionRecord:
    return decode_session(raw)


def same_but_last_seen(known: SessionRecord, new: SessionRecord) -> bool:
    """A touch (only `last_seen_ms` moved) changes nothing an open socket's check decides."""
    return msgspec.structs.replace(new, last_seen_ms=known.last_seen_ms) == known


async def open_identity(config: GatewayConfig, nc: Client) -> IdentityState:
    js = nc.jetstream()
    accounts = await AccountStore.open(js)
    sessions = await SessionStore.open(js)
    account_mirror: KvMirror[Account | ApiTokenRecord] = KvMirror(
        accounts.kv, "", _decode_account_entry)
    session_mirror = KvMirror(sessions.kv, SESSION_PREFIX, _decode_session_entry,
                              same_but_last_seen)
    state = IdentityState(
        config=config, accounts=accounts, sessions=sessions, account_mirror=account_mirror,
        session_mirror=session_mirror, hasher=PasswordHasher(),
        box=SecretBox(load_or_create_key(secret_key_path(config))),
        guard=SignInGuard(
            time.monotonic,
            account=BackoffConfig(free_failures=config.signin_free_failures,
                                  lockout_after=config.signin_lockout_after,
                                  lockout_s=config.signin_lockout_s),
            address=BackoffConfig(free_failures=config.signin_address_free_failures,
                                  max_delay_s=600.0, lockout_after=None),
        ),
        address_buckets=TokenBuckets(
            BucketConfig(config.rate_address_per_s, config.rate_address_burst), time.monotonic),
        session_buckets=TokenBuckets(
            BucketConfig(config.rate_session_per_s, config.rate_session_burst), time.monotonic),
        tile_buckets=TokenBuckets(
            BucketConfig(config.rate_tiles_per_s, config.rate_tiles_burst), time.monotonic),
        audit_buckets=TokenBuckets(
            BucketConfig(config.rate_audit_per_s, config.rate_audit_burst), time.monotonic),
        asset_buckets=TokenBuckets(
            BucketConfig(config.rate_assets_per_s, config.rate_assets_burst), time.monotonic),
        pseudonyms=AddressPseudonyms(Path(config.data_dir) / "gateway" / "address-keys",
                                     config.address_pseudonym_period),
        policy=SessionPolicy(idle_timeout_s=config.session_idle_s,
                             absolute_timeout_s=config.session_absolute_s,
                             touch_interval_s=config.session_touch_s),
        hashing=asyncio.Semaphore(config.signin_concurrency),
        nc=nc,
    )
    await account_mirror.start()
    await session_mirror.start()
    state._sweeper = asyncio.create_task(state._sweep(), name="session-sweeper")
    return state


def account_mirror_key(account_id: str) -> str:
    return ACCOUNT_PREFIX + account_id


def token_mirror_key(token_id: str) -> str:
    return TOKEN_PREFIX + token_id


#: A bootstrap secret issued less than this long ago is another gateway's first start, not a
#: lost secret: it is left to work (two gateways starting together used to print two secrets,
#: of which only the one stored last worked, and not always the one printed last).
BOOTSTRAP_FRESH_S = 120


async def announce_bootstrap(state: IdentityState, public_url: str) -> str | None:
    """On a first start (no account), store a fresh one-time secret's hash and print the secret.

    Printed to stderr (the operator's terminal under `parley up`), never through the logger.
    Exactly one gateway issues it: a secret issued in the last BOOTSTRAP_FRESH_S (another
    gateway starting alongside) is kept, and this one says so instead; an older one (the
    operator restarting because the secret was lost) is replaced, so only the most recently
    printed secret works. The store decides any race (create, or update at a revision).
    """
    if await state.accounts.any_account():
        return None
    now_ms = state.now_ms()
    ttl_s = state.config.bootstrap_ttl_s
    current = await state.accounts.get_bootstrap()
    if current is not None and now_ms - current[0].issued_ms < BOOTSTRAP_FRESH_S * 1000:
        _print_issued_elsewhere()
        return None
    secret, record = new_bootstrap(now_ms, ttl_s)
    try:
        await state.accounts.issue_bootstrap(record, None if current is None else current[1])
    except Conflict:
        _print_issued_elsewhere()
        return None
    hours = ttl_s / 3600
    print(
        "\n  Parley first run: no account exists yet. Create the first admin within "
        f"{hours:g} h with this one-time secret:\n\n      {secret}\n\n"
        f"  POST {public_url}/api/v1/auth/bootstrap {{\"secret\", \"username\", \"password\"}}"
        " (a password of 12 characters or more)\n"
        f"  or run: {parley_command()} account create --role admin --username NAME\n",
        file=sys.stderr, flush=True,
    )
    return secret


def parley_command() -> str:
    """How to run the `parley` command installed beside this Python, as the reader types it:
    `.venv/bin/parley` from the checkout `make up` ran in, its full path elsewhere (a container's
    /usr/local/bin/parley), or just `parley` when no such file is there."""
    installed = Path(sys.executable).parent / "parley"
    if not installed.is_file():
        return "parley"
    with contextlib.suppress(ValueError):
        return str(installed.relative_to(Path.cwd()))
    return str(installed)


def _print_issued_elsewhere() -> None:
    print("\n  Parley first run: another gateway has just printed the one-time bootstrap secret;"
          f" use that one\n  (or run: {parley_command()} account create --role admin --username NAME).\n",
          file=sys.stderr, flush=True)
