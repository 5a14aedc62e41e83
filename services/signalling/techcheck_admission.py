"""Who may take a tech-check slot, and what counts as an offer (pure: no aiortc peer, no I/O).

A tech check runs a server-side aiortc peer (CPU, sockets, decoded media), so a process runs a
bounded number at once (`max_checks`). Rules, checked in this order before a slot is taken:

1. **The offer is a real offer**: it parses as SDP and has at least one media section, each
   with ICE credentials and a DTLS fingerprint (at media or session level). Junk (`v=0\\r\\n`)
   is refused `invalid` and takes nothing.
2. **One check per participant** (per principal): a participant who starts another check (a
   reloaded page) ends its previous one; it never holds two slots.
3. **A per-hearing share**: the principals of one hearing hold at most `per_hearing` slots, so
   one hearing (or one party of it) cannot starve every other hearing. Staff with no hearing
   bound to their session count as their own group.
4. **The process's total**: at most `max_checks` at once; beyond it, `rate_limited` with a
   retry hint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aiortc.sdp import SessionDescription

from proto.principal import Principal

from .errors import Invalid, RateLimited

RETRY_AFTER_S = 5


@dataclass(frozen=True)
class Holder:
    """Who holds a check: the principal, and the group its share is counted in."""

    principal: str
    group: str

    @classmethod
    def of(cls, principal: Principal) -> Holder:
        return cls(principal.id, f"hearing:{principal.hearing}" if principal.hearing
                   else f"staff:{principal.id}")


def validate_offer(sdp: str) -> None:
    """Raise `Invalid` unless `sdp` is an offer with media sections a peer can answer."""
    try:
        description = SessionDescription.parse(sdp)
    except Exception:  # aiortc's parser raises ValueError, IndexError, KeyError… on junk
        raise Invalid("the tech check needs an SDP offer (it did not parse)") from None
    if not description.media:
        raise Invalid("the tech check offer has no media sections")
    for media in description.media:
        if media.kind not in ("audio", "video", "application"):
            raise Invalid(f"the tech check offer has an unknown media kind {media.kind!r}")
        ice = media.ice
        if not ice or not ice.usernameFragment or not ice.password:
            raise Invalid("the tech check offer has no ICE credentials")
        dtls = media.dtls
        if not dtls or not dtls.fingerprints:
            raise Invalid("the tech check offer has no DTLS fingerprint")


def admit(holder: Holder, running: Mapping[str, Holder], *, max_checks: int,
          per_hearing: int) -> list[str]:
    """Decide whether `holder` may start a check, given the `running` checks (id → holder).

    Returns the ids of checks to end first (the holder's own previous one); raises
    `RateLimited` if its group's share or the process's total is used up.
    """
    replaced = [cid for cid, h in running.items() if h.principal == holder.principal]
    others = {cid: h for cid, h in running.items() if cid not in replaced}
    if sum(h.group == holder.group for h in others.values()) >= per_hearing:
        raise RateLimited("this hearing has its share of tech checks running; try again "
                          "shortly", retry_after_s=RETRY_AFTER_S)
    if len(others) >= max_checks:
        raise RateLimited("too many tech checks at once; try again shortly",
                          retry_after_s=RETRY_AFTER_S)
    return replaced
