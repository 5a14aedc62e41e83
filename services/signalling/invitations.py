"""Invitations: a single-use, expiring link token plus a separately delivered access code.

Security notes (why it is built this way):
* Both secrets are high-entropy random strings (token: 256 bits; code: 50 bits typed by a
  person), so a plain SHA-256 is a sufficient one-way store; a slow password hash is not needed.
  Only the hashes are stored; the clear values are returned once, in `InvitationIssued`.
* Comparison is constant time (`hmac.compare_digest` on the hashes).
* The token is `<hearing>.<invitation>.<secret>` so the service can find the record without an
  index; the ids are not secret, the 256-bit secret is.
* A token that is unknown, malformed or carries the wrong secret gets one answer
  (`invitation_invalid`), so a prober learns nothing. Only once the 256-bit secret matches is the
  true reason told (`Refusal`): the holder of the genuine link was given this invitation, and
  telling them it expired, was used, was withdrawn, that they were removed from the hearing or
  that the hearing ended lets them act (ask the mediator for a new one, or ask why) while
  revealing nothing to anyone without the secret.
* Except "already used", which waits for the access code (`refusal` given the code): a wrong
  code on a used link is refused, counted and blocked as on an unused one, and only the right
  code is told the link was used (with "if it was not you, tell the mediator", which assumes
  both secrets). A forwarded link, or one read over a shoulder, does not learn that its person
  joined, and the person who mistypes the code on a second device is told the code was wrong.
* A wrong access code for a valid token is counted; after `max_code_failures` the invitation is
  blocked for `code_block_ms` (rate limit), and each failure is audited by the caller. Each
  refusal of a wrong code says how many tries are left before the block and how long it lasts
  (`wrong_code`): told only to the holder of the genuine token, it reveals nothing the 50-bit
  code's guessing needs (the block is the same whether announced or not), and only how many
  wrong codes this one link met since its last block, which its holder is the one owed.
* A link whose person was sent a newer one (`joining.reissue` revokes every earlier unused one)
  is refused as `invitation_replaced`, not as a bare withdrawal: told after the secret matched,
  it says to the link's holder only what the mediator's new message already told them (a newer
  link exists), never the newer link itself, so the next step is "use the latest message".
* An invitation may name its language (the letter's): the link carries it in the fragment beside
  the token (`/join#t=<token>&lang=zh-Hant`), so the joining page opens in it before anyone has
  signed in. It is no secret and no identity; the token stays the fragment's first parameter.
"""

from __future__ import annotations

import hashlib
import hmac
from enum import StrEnum

import msgspec

from proto.common import Language, Role
from proto.signalling import InvitationIssued, InviteParticipant, Redeemed, RedeemInvitation
from proto.ws import HearingState

from .effects import Env, Policy
from .errors import RateLimited, Unauthenticated
from .model import Hearing, Invitation, Participant, ParticipantStatus

_INVALID = "invitation or access code not valid"


class Refusal(StrEnum):
    """Why a redemption was refused (`proto.errors.Error.reason`), each a sentence in the client."""

    INVALID = "invitation_invalid"
    EXPIRED = "invitation_expired"
    USED = "invitation_used"
    REVOKED = "invitation_revoked"
    #: Withdrawn because the mediator sent the same person a newer link (the module notes).
    REPLACED = "invitation_replaced"
    #: The person's invitations were revoked because the mediator removed them from the
    #: hearing: told as such (whom to ask next is the mediator), not as a bare withdrawal.
    REMOVED = "participant_removed"
    ENDED = "hearing_ended"
    LOCKED = "hearing_locked"
    WRONG_CODE = "access_code_wrong"
    TOO_MANY = "too_many_attempts"


def invalid_token() -> Unauthenticated:
    return Unauthenticated(_INVALID, reason=Refusal.INVALID)


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_code(code: str) -> str:
    """Codes are read aloud and typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def split_token(token: str) -> tuple[str, str, str]:
    """(hearing id, invitation id, secret); raises `Unauthenticated` on a malformed token."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise invalid_token()
    return parts[0], parts[1], parts[2]


#: How long after a hearing's scheduled start its invitations still work by default: the day
#: may run late, or start a few hours after the time first sent.
AFTER_START_MS = 86_400_000


def expiry(h: Hearing, expires_in_s: int | None, now: int, default_ttl_ms: int) -> int:
    """When an invitation expires: the lifetime the mediator asked for, else the default one
    and, for a scheduled hearing, at least until a day after its start. Invitations are sent
    weeks ahead; a link that died a week after it was sent, before the hearing it was for, is
    the first thing a party would meet on the day."""
    if expires_in_s is not None:
        return now + expires_in_s * 1000
    until = now + default_ttl_ms
    if h.scheduled_at is not None:
        until = max(until, h.scheduled_at + AFTER_START_MS)
    return until


def issue(h: Hearing, cmd: InviteParticipant, now: int,
          env: Env) -> tuple[Hearing, InvitationIssued]:
    """Add an invited participant and its invitation; return the secrets to show once."""
    person = Participant(id=env.new_id(), name=cmd.name, role=Role(cmd.role), side=cmd.side,
                         status=ParticipantStatus.INVITED)
    h = msgspec.structs.replace(h, participants={**h.participants, person.id: person})
    return issue_for(h, person.id, cmd.expires_in_s, cmd.language, now, env)


def issue_for(h: Hearing, pid: str, expires_in_s: int | None, language: Language | None,
              now: int, env: Env) -> tuple[Hearing, InvitationIssued]:
    """A new invitation for participant `pid` (already on the roster); the secrets, once."""
    iid = env.new_id()
    secret, code = env.new_secret(), env.new_code()
    inv = Invitation(id=iid, participant=pid, token_hash=sha256_hex(secret),
                     code_hash=sha256_hex(normalise_code(code)),
                     expires_at=expiry(h, expires_in_s, now, env.policy.invitation_ttl_ms),
                     language=language, default_lifetime=expires_in_s is None)
    token = f"{h.id}.{iid}.{secret}"
    h = msgspec.structs.replace(h, invitations={**h.invitations, iid: inv})
    lang = f"&lang={inv.language.value}" if inv.language is not None else ""
    issued = InvitationIssued(participant=pid, invitation=iid, token=token, access_code=code,
                              link_path=f"/join#t={token}{lang}", expires_at=inv.expires_at,
                              language=inv.language)
    return h, issued


def check(h: Hearing, cmd: RedeemInvitation, now: int, env: Env) -> Invitation:
    """The invitation this token names if it may be used now; raises otherwise (`find`, then
    `refusal`). Does not look at the access code (see `code_matches`)."""
    inv = find(h, cmd)
    refused = refusal(h, inv, now)
    if refused is not None:
        raise refused
    return inv


def find(h: Hearing, cmd: RedeemInvitation) -> Invitation:
    """The invitation this token names if the token itself is good; raises otherwise.

    Does not look at whether it may be used now (see `refusal`) nor at the access code (see
    `code_matches`), so the caller can audit whose invitation it was and count failures.
    """
    hid, iid, secret = split_token(cmd.token)
    inv = h.invitations.get(iid)
    good = hid == h.id and inv is not None and hmac.compare_digest(
        sha256_hex(secret), inv.token_hash)
    if not good or inv is None:
        raise invalid_token()
    return inv


def refusal(h: Hearing, inv: Invitation, now: int,
            code: str | None = None) -> Unauthenticated | RateLimited | None:
    """Why the genuine invitation `inv` may not be used now, or None. The secret matched: the
    true reason is told (see the module notes), "already used" only with the right `code`
    (None: not asked for it); a wrong one is left to the code's own check, which counts it."""
    refused = _refusal(h, inv, now)
    if refused is not None and refused.reason == Refusal.USED and code is not None:
        return blocked_for(inv, now) or (refused if code_matches(inv, code) else None)
    return refused


def _refusal(h: Hearing, inv: Invitation, now: int) -> Unauthenticated | RateLimited | None:
    if h.state is HearingState.CLOSED:
        return Unauthenticated("the hearing has ended", reason=Refusal.ENDED)
    if h.participants[inv.participant].status is ParticipantStatus.REMOVED:
        return Unauthenticated("the participant was removed from the hearing",
                               reason=Refusal.REMOVED)
    if inv.revoked and inv.replaced and h.participants[inv.participant].status in (
            ParticipantStatus.INVITED, ParticipantStatus.ACTIVE):
        return Unauthenticated("a newer invitation replaced this one", reason=Refusal.REPLACED)
    if inv.revoked:
        return Unauthenticated("the invitation was withdrawn", reason=Refusal.REVOKED)
    if inv.used_at is not None:
        return Unauthenticated("the invitation was already used", reason=Refusal.USED)
    if now >= inv.expires_at:
        return Unauthenticated("the invitation has expired", reason=Refusal.EXPIRED)
    return blocked_for(inv, now)


def blocked_for(inv: Invitation, now: int) -> RateLimited | None:
    """The refusal while the invitation is blocked after too many wrong codes, else None."""
    if inv.blocked_until is None or now >= inv.blocked_until:
        return None
    return RateLimited("too many wrong access codes", reason=Refusal.TOO_MANY,
                       retry_after_s=max(1, (inv.blocked_until - now + 999) // 1000))


def wrong_code(inv: Invitation, policy: Policy) -> Unauthenticated:
    """The refusal of a wrong code that did not block `inv` (failures counted already): how
    many tries are left before the block, and how long it lasts (the module notes)."""
    left = policy.max_code_failures - inv.failures % policy.max_code_failures
    return Unauthenticated("access code not accepted", reason=Refusal.WRONG_CODE,
                           tries_left=left, lock_s=policy.code_block_ms // 1000)


def code_matches(inv: Invitation, code: str) -> bool:
    return hmac.compare_digest(sha256_hex(normalise_code(code)), inv.code_hash)


def record_failure(h: Hearing, inv: Invitation, now: int, env: Env) -> Hearing:
    failures = inv.failures + 1
    blocked = now + env.policy.code_block_ms if failures % env.policy.max_code_failures == 0 \
        else inv.blocked_until
    inv = msgspec.structs.replace(inv, failures=failures, blocked_until=blocked)
    return msgspec.structs.replace(h, invitations={**h.invitations, inv.id: inv})


def consume(h: Hearing, inv: Invitation, now: int) -> tuple[Hearing, Redeemed]:
    inv = msgspec.structs.replace(inv, used_at=now)
    h = msgspec.structs.replace(h, invitations={**h.invitations, inv.id: inv})
    p = h.participants[inv.participant]
    return h, Redeemed(hearing=h.id, participant=p.id, role=p.role, side=p.side)


def revoke_for(h: Hearing, pid: str) -> Hearing:
    invs = {iid: (msgspec.structs.replace(i, revoked=True) if i.participant == pid else i)
            for iid, i in h.invitations.items()}
    return msgspec.structs.replace(h, invitations=invs)


def revoke_unused_for(h: Hearing, pid: str) -> tuple[Hearing, list[str]]:
    """Revoke `pid`'s invitations neither used nor revoked yet, as replaced by a newer one
    (`joining.reissue`); (hearing, their ids)."""
    doomed = sorted(iid for iid, i in h.invitations.items()
                    if i.participant == pid and i.used_at is None and not i.revoked)
    invs = {iid: (msgspec.structs.replace(i, revoked=True, replaced=True) if iid in doomed else i)
            for iid, i in h.invitations.items()}
    return msgspec.structs.replace(h, invitations=invs), doomed


def revoke_all(h: Hearing) -> Hearing:
    invs = {iid: msgspec.structs.replace(i, revoked=True) for iid, i in h.invitations.items()}
    return msgspec.structs.replace(h, invitations=invs)
