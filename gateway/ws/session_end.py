"""Which deliveries tell a participant that its sessions are over (pure: no sockets, no NATS).

Signalling ends a participant's place in three ways that also end its sessions: the hearing
ended (`notice ended` to everyone connected), it was removed (`notice removed`) or denied
(`notice denied`); each notice is delivered just before the close of its sockets. The gateway
that holds the socket ends the participant's stored sessions BEFORE it relays such a notice
(gateway/ws/session.py), so a page told "ended" finds its cookie dead on its next request, on
any gateway, whoever gave the command and through whichever gateway. The gateway that relayed
the command still ends them too (the reply's `end_sessions`, for participants with no socket
open): ending a session twice is harmless (the first tombstone stays; a deleted key stays
deleted).
"""

from __future__ import annotations

import msgspec

from gateway.identity.sessions import SessionEnd
from proto.ws import Notice, NoticeKind, decode_server, encoded_tag

#: The notices that come with the end of their recipient's sessions, and the reason its cookie
#: is told afterwards (the same as the command's: services/signalling core.py, core_controls.py).
ENDS_SESSIONS: dict[NoticeKind, SessionEnd] = {
    NoticeKind.ENDED: SessionEnd.HEARING_ENDED,
    NoticeKind.REMOVED: SessionEnd.REMOVED,
    NoticeKind.DENIED: SessionEnd.DENIED,
}
_NOTICE = "notice"


def session_end_told(encoded: bytes) -> SessionEnd | None:
    """The reason when `encoded` (a server message as signalling encoded it) is a notice that
    ends its recipient's sessions; None for anything else (only notices are decoded)."""
    tag = encoded_tag(encoded)
    if tag is not None and tag != _NOTICE:
        return None
    try:
        message = decode_server(encoded)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None  # the relay drops it as undecodable (outbound.py): nothing is told
    return ENDS_SESSIONS.get(message.kind) if isinstance(message, Notice) else None
