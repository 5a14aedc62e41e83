"""Which deliveries end their recipient's sessions before they are relayed
(gateway/ws/session_end.py): the notices `ended`, `removed` and `denied`, each with the reason
its cookie is told afterwards; nothing else, however it is spelt (pure, no sockets)."""

from __future__ import annotations

from gateway.identity.sessions import SessionEnd
from gateway.ws.session_end import ENDS_SESSIONS, session_end_told
from proto.ws import ChatMessage, Notice, NoticeKind, encode


def test_the_notices_that_end_a_place_end_the_sessions_with_the_commands_reason() -> None:
    assert session_end_told(encode(Notice(kind=NoticeKind.ENDED, text="The hearing has ended.",
                                          documents_destroyed=True))) is SessionEnd.HEARING_ENDED
    assert session_end_told(encode(Notice(kind=NoticeKind.REMOVED))) is SessionEnd.REMOVED
    assert session_end_told(encode(Notice(kind=NoticeKind.DENIED))) is SessionEnd.DENIED
    assert set(ENDS_SESSIONS) == {NoticeKind.ENDED, NoticeKind.REMOVED, NoticeKind.DENIED}


def test_any_other_message_ends_nothing() -> None:
    for kind in NoticeKind:
        if kind not in ENDS_SESSIONS:
            assert session_end_told(encode(Notice(kind=kind, text="ended"))) is None, kind
    # A broadcast whose words say "ended", a chat line naming the kind: not the notice.
    assert session_end_told(encode(Notice(kind=NoticeKind.BROADCAST,
                                          text='"kind":"ended"'))) is None
    assert session_end_told(encode(ChatMessage(room="plenary", sender="p1", name="A",
                                               text='{"type":"notice","kind":"ended"}',
                                               at=1))) is None
    # Bytes in another form are decoded in full; undecodable ones end nothing.
    assert session_end_told(b'{"kind": "ended", "type": "notice"}') is SessionEnd.HEARING_ENDED
    assert session_end_told(b'{"type":"notice","kind":"ended"') is None
    assert session_end_told(b"") is None
