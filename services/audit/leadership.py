"""Who sequences the audit log: a lease in a replicated KV bucket (DESIGN §10).

Why a KV lease and not JetStream's own consumer semantics: the sequencer does more than consume.
It owns the durable consumer `audit-log` (acknowledging into it), and it signs checkpoints; both
must have exactly one owner, and a signer must know it still is one *before* it signs. A lease
gives that in one compare-and-set on an R3 bucket (linearizable), is visible to an operator
(`nats kv get parley_audit_leader sequencer`), and also carries the last signed checkpoint to the
standby. A pinned pull consumer would elect a consumer, not a signer.

Rules:
- The key `sequencer` holds `{"holder", "checkpoint"}`. The bucket's max age is the lease: a
  value not renewed within `lease_s` vanishes, and then `create` (only if absent) succeeds for
  exactly one contender.
- A restarted process finding the lease under its own instance name resumes it at once.
- The holder renews every `lease_s / 4` with `update` at its last revision. A failed renewal
  (someone else holds it, or NATS is unreachable past the lease) means leadership is lost: the
  holder stops sequencing (the process exits and comes back as a standby).
- `valid()` is true only while the last successful renewal is younger than `lease_s / 2`: a
  holder that cannot renew stops signing well before anyone else can take over.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

import msgspec
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

LEASE_KEY: Final = "sequencer"


class LeaseValue(msgspec.Struct, frozen=True):
    holder: str
    #: The last checkpoint note the holder signed ("" before the first).
    checkpoint: str = ""


class LeaseLost(Exception):
    """Another process holds the lease, or it could not be renewed in time."""


class Lease:
    def __init__(self, kv: KeyValue, holder: str, lease_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._kv = kv
        self.holder = holder
        self.lease_s = lease_s
        self._clock = clock
        self._revision = 0
        self._renewed_at = float("-inf")
        self.checkpoint = ""

    @property
    def renew_every_s(self) -> float:
        return self.lease_s / 4

    def valid(self) -> bool:
        return self._revision > 0 and self._clock() - self._renewed_at < self.lease_s / 2

    async def current(self) -> LeaseValue | None:
        try:
            entry = await self._kv.get(LEASE_KEY)
        except KeyNotFoundError:
            return None
        if entry.value is None:
            return None
        try:
            return msgspec.json.decode(entry.value, type=LeaseValue)
        except msgspec.DecodeError:
            return None

    def _value(self) -> bytes:
        return msgspec.json.encode(LeaseValue(self.holder, self.checkpoint))

    async def try_acquire(self) -> bool:
        """Take the lease if nobody holds it; True if this process now holds it."""
        started = self._clock()
        try:
            self._revision = await self._kv.create(LEASE_KEY, self._value())
        except KeyWrongLastSequenceError:
            # Held under this process's own name: that was this instance before a restart (one
            # process per instance name), so it resumes at once instead of waiting out the lease.
            try:
                entry = await self._kv.get(LEASE_KEY)
                held = msgspec.json.decode(entry.value or b"{}", type=LeaseValue)
            except (KeyNotFoundError, msgspec.DecodeError, msgspec.ValidationError):
                return False
            if held.holder != self.holder:
                return False
            try:
                self._revision = await self._kv.update(LEASE_KEY, self._value(), last=entry.revision)
            except KeyWrongLastSequenceError:
                return False
        self._renewed_at = started
        return True

    async def renew(self) -> None:
        started = self._clock()
        try:
            self._revision = await self._kv.update(LEASE_KEY, self._value(), last=self._revision)
        except KeyWrongLastSequenceError as exc:
            raise LeaseLost("another audit process holds the sequencer lease") from exc
        except Exception as exc:  # NATS unreachable or slow: fine within the margin only
            if self._clock() - self._renewed_at >= self.lease_s / 2:
                raise LeaseLost(f"lease not renewed: {exc.__class__.__name__}") from exc
            return
        self._renewed_at = started
