"""Client addresses as keyed pseudonyms in the audit log (never in clear).

The audit log is immutable and kept for years, and a client address is personal data (Hong
Kong's PDPO, GDPR). So an address enters the log only as `HMAC-SHA256(period key, address)`,
truncated to 80 bits and labelled with its period: `addr:2026-11:4be1…`.

- Equal pseudonyms within a period mean the same address: an auditor still sees that two
  events came from one place (a probe, a flood, a shared office).
- The period key is a random 32-byte file held by the gateway, outside the log
  (`<data>/gateway/address-keys/<period>.key`). While it exists, the institution can resolve a
  pseudonym by testing candidate addresses (e.g. from its firewall logs): `parley account
  resolve-address`. Deleting the key (the retention policy: `destroy_keys_before`) makes every
  pseudonym of that period unlinkable to an address for ever, without touching the log.
- Keys rotate per period (a month by default), so pseudonyms do not link one period to the next.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

from parley.instants import instant_of_seconds
from parley.secretfile import create_private_file, read_private_file

PERIODS: Final = ("month", "day")
_LABEL_RE: Final = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_PSEUDONYM_RE: Final = re.compile(r"^addr:(\d{4}-\d{2}(?:-\d{2})?):([0-9a-f]{20})$")


class AddressPseudonyms:
    def __init__(self, key_dir: Path, period: str = "month",
                 clock: Callable[[], float] = time.time) -> None:
        if period not in PERIODS:
            raise ValueError(f"address pseudonym period must be one of {PERIODS}")
        self._dir = key_dir
        self._period = period
        self._clock = clock
        self._keys: dict[str, bytes] = {}

    def label(self, when_s: float | None = None) -> str:
        moment = instant_of_seconds(self._clock() if when_s is None else when_s)
        return moment.strftime("%Y-%m" if self._period == "month" else "%Y-%m-%d")

    def _key(self, label: str, *, create: bool) -> bytes | None:
        key = self._keys.get(label)
        if key is None:
            path = self._dir / f"{label}.key"
            if not path.exists():
                if not create:
                    return None
                create_private_file(path, os.urandom(32))
            key = self._keys[label] = read_private_file(path)
        return key

    @staticmethod
    def _mac(key: bytes, address: str) -> str:
        return hmac.new(key, address.strip().lower().encode(), hashlib.sha256).hexdigest()[:20]

    def of(self, address: str) -> str:
        """The pseudonym of `address` in the current period."""
        label = self.label()
        key = self._key(label, create=True)
        assert key is not None
        return f"addr:{label}:{self._mac(key, address)}"

    def resolves_to(self, pseudonym: str, candidate: str) -> bool | None:
        """Whether `candidate` is the address behind `pseudonym`; None if that period's key
        was destroyed (or never existed): the pseudonym can no longer be resolved."""
        match = _PSEUDONYM_RE.fullmatch(pseudonym)
        if match is None:
            raise ValueError("not an address pseudonym (addr:<period>:<20 hex>)")
        key = self._key(match[1], create=False)
        if key is None:
            return None
        return hmac.compare_digest(self._mac(key, candidate), match[2])

    def destroy_keys_before(self, label: str) -> list[str]:
        """Delete every period key older than `label` (retention); returns the labels deleted."""
        if not _LABEL_RE.fullmatch(label):
            raise ValueError("a period label is YYYY-MM or YYYY-MM-DD")
        gone: list[str] = []
        for path in sorted(self._dir.glob("*.key")) if self._dir.exists() else []:
            if _LABEL_RE.fullmatch(path.stem) and path.stem < label:
                path.unlink()
                self._keys.pop(path.stem, None)
                gone.append(path.stem)
        return gone
