"""An account change that keeps an active administrator, also under concurrency.

The rule is `accounts.check_keeps_an_admin`; what makes it hold is the count it is given. Two
administrators who disable (or demote) each other in the same instant each read the accounts,
each count the other as active, and each write only the other's record: a compare-and-set per
key lets both writes through and leaves no active administrator. So a change that takes an
active administrator away is written with a compare-and-set over the whole `parley_accounts`
bucket: every account is read as of the bucket's revision (from the stream's leader, not a
replica that may lag), the rule is checked against that count, and the record is written only if
nothing in the bucket was written since. Of two such changes at once, one is written; the other
reads again, sees the first, and is refused with `last_admin`. Another write to the bucket
meanwhile (a sign-in, a token) costs a retry, nothing more.

A change that takes no administrator away (a rename, enabling, a TOTP reset, disabling a
mediator) keeps the one-key compare-and-set and reads nothing else: adding an administrator
concurrently can only make a guarded count too low, never too high, and a target promoted after
it was read fails the one-key write, which then reads it again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Final

from gateway.identity import accounts as acc
from gateway.identity.errors import AdminLockout, Conflict, NotFound
from gateway.identity.state import IdentityState, account_mirror_key

#: Attempts before a change gives up with `conflict` (each lost only to a write made meanwhile).
TRIES: Final = 20


async def change_keeping_an_admin(
    ident: IdentityState, account_id: str, change: Callable[[acc.Account], acc.Account], *,
    actor_id: str | None,
) -> tuple[acc.Account, acc.Account]:
    """Apply `change` to the account; (before, after). Raises `AdminLockout` if it would take
    the actor's own administrator rights (`actor_id`: None when no person acts) or the last
    active administrator away, `NotFound`, or `Conflict` when other writes kept winning."""
    for attempt in range(TRIES):
        found = await ident.accounts.get(account_id)
        if found is None:
            raise NotFound("no such account")
        before, revision = found
        after = change(before)
        if after is before:
            return before, after
        try:
            if acc.takes_an_admin_away(before, after):
                before, after, written = await _guarded(ident, account_id, change, actor_id)
            else:
                written = await ident.accounts.update(after, revision)
        except AdminLockout:
            raise
        except Conflict:
            await asyncio.sleep(0.002 * attempt)  # another write won: read again
            continue
        if written is not None:
            ident.account_mirror.remember(account_mirror_key(account_id), after, written)
        return before, after
    raise Conflict("changed concurrently; try again")


async def _guarded(ident: IdentityState, account_id: str,
                   change: Callable[[acc.Account], acc.Account],
                   actor_id: str | None) -> tuple[acc.Account, acc.Account, int | None]:
    """Check the rule against every account as of one bucket revision and write at it (the
    new revision; None when, read again, the change changes nothing)."""
    accounts, bucket_revision = await ident.accounts.snapshot()
    before = accounts.get(account_id)
    if before is None:
        raise NotFound("no such account")
    after = change(before)
    if after is before:
        return before, after, None
    others = sum(1 for a in accounts.values() if a.id != account_id and acc.is_active_admin(a))
    acc.check_keeps_an_admin(before, after, actor_id=actor_id, other_active_admins=others)
    return before, after, await ident.accounts.update_if_unchanged(after, bucket_revision)
