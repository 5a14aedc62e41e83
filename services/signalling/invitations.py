"""Invitations: a single-use, expiring link token plus a separately delivered access code.

Security notes (why it is built this way):
* Both secrets are high-entropy random strings (token: 256 bits; code: 50 bits typed by a
  person), so a plain SHA-256 is a sufficient one-way store; a slow password hash is not needed.
  Only the hashes are stored; the clear values are returned once, in `InvitationIssued`.
* Comparison is constant time (`hmac.compare_digest` on the hashes).
* The token is `<hearing>.<invitation>.<secret>` so the service can find the record without an
  index; the ids are not secret, the 256-bit secret is.
* Every reason a token is unusable (unknown, wrong secret, expired, used, revoked) gets the same
  answer, so a prober learns nothing. A wrong access code for a valid token is counted; after
  `max_code_failures` the invitation is blocked for `code_block_ms` (rate limit), and each
  failure is audited by the caller.
"""

from __future__ import annotations

import hashlib
import hmac

import msgspec

from proto.common import Role
from proto.signalling import InvitationIssued, InviteParticipant, Redeemed, RedeemInvitation

from .effects import Env
from .errors import RateLimited, Unauthenticated
from .model import Hearing, Invitation, Participant, ParticipantStatus

_INVALID = "invitation or access code not valid"


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_code(code: str) -> str:
    """Codes are read aloud and typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def split_token(token: str) -> tuple[str, str, str]:
    """(hearing id, invitation id, secret); raises `Unauthenticated` on a malformed token."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise Unauthenticated(_INVALID)
    return parts[0], parts[1], parts[2]


def issue(h: Hearing, cmd: InviteParticipant, now: int,
          env: Env) -> tuple[Hearing, InvitationIssued]:
    """Add an invited participant and its invitation; return the secrets to show once."""
    pid, iid = env.new_id(), env.new_id()
    secret, code = env.new_secret(), env.new_code()
    ttl = cmd.expires_in_s * 1000 if cmd.expires_in_s is not None \
        else env.policy.invitation_ttl_ms
    inv = Invitation(id=iid, participant=pid, token_hash=sha256_hex(secret),
                     code_hash=sha256_hex(normalise_code(code)), expires_at=now + ttl)
    person = Participant(id=pid, name=cmd.name, role=Role(cmd.role), side=cmd.side,
                         status=ParticipantStatus.INVITED)
    token = f"{h.id}.{iid}.{secret}"
    h = msgspec.structs.replace(h, participants={**h.participants, pid: person},
                                invitations={**h.invitations, iid: inv})
    issued = InvitationIssued(participant=pid, invitation=iid, token=token, access_code=code,
                              link_path=f"/join#t={token}", expires_at=inv.expires_at)
    return h, issued


def check(h: Hearing, cmd: RedeemInvitation, now: int, env: Env) -> Invitation:
    """The invitation this token names if the token itself is good; raises otherwise.

    Does not look at the access code (see `code_matches`) so the caller can count failures.
    """
    hid, iid, secret = split_token(cmd.token)
    inv = h.invitations.get(iid)
    good = hid == h.id and inv is not None and hmac.compare_digest(
        sha256_hex(secret), inv.token_hash)
    if not good or inv is None:
        raise Unauthenticated(_INVALID)
    if inv.revoked or inv.used_at is not None or now >= inv.expires_at:
        raise Unauthenticated(_INVALID)
    if inv.blocked_until is not None and now < inv.blocked_until:
        raise RateLimited("too many wrong access codes",
                          retry_after_s=max(1, (inv.blocked_until - now + 999) // 1000))
    return inv


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


def revoke_all(h: Hearing) -> Hearing:
    invs = {iid: msgspec.structs.replace(i, revoked=True) for iid, i in h.invitations.items()}
    return msgspec.structs.replace(h, invitations=invs)
