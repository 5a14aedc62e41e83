"""The AsyncAPI 3.0 document of the hearing WebSocket, generated from `proto/ws.py`.

Written from the gateway's side: it *receives* the client messages (`ClientMessage`) and *sends*
the server messages (`ServerMessage`) on one channel, `/api/v1/ws`. Payload schemas come from the
`msgspec` types themselves, so the document cannot disagree with what the gateway decodes;
summaries say what each message does (and whether only the mediator may send it).
`python -m gateway.openapi --write` rewrites gateway/openapi/asyncapi.json beside openapi.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import msgspec

from gateway.identity.sessions import SESSION_COOKIE
from proto import ws

DOCUMENT_PATH = Path(__file__).parent / "asyncapi.json"
_REF = "#/components/schemas/{name}"

#: What each message means, by its `type` tag (client and server tags may coincide).
CLIENT_SUMMARIES: dict[str, str] = {
    "join": "join the hearing: the first message; answered by a `snapshot`",
    "admit": "admit a participant waiting in the lobby into a room (plenary by default)",
    "admit.side": "admit everyone of a side waiting in the lobby (connected) into a room, in one "
                  "step; refused when nobody of that side is waiting, or the hearing is locked",
    "deny": "refuse a participant waiting in the lobby",
    "move": "move a participant to another room",
    "move.side": "move every admitted member of a side to one room in one step",
    "caucus.create": "open a caucus room, optionally for one side (and move that side in)",
    "caucus.close": "close a caucus room; its members return to the plenary",
    "shuttle": "the mediator moves to a room (shuttle diplomacy between caucuses)",
    "caucus.timer": "set a room's countdown in seconds (0 clears it)",
    "broadcast": "a notice to everyone in the hearing",
    "recall": "bring everyone back to the plenary",
    "lock": "lock or unlock the hearing (no new joins while locked)",
    "remove": "remove a participant: ends their sessions and invitation",
    "end": "end the hearing for everyone",
    "knock": "ask the mediator to come to this room (or withdraw the request)",
    "knock.dismiss": "dismiss a participant's knock",
    "hand": "raise or lower this participant's hand",
    "leave": "leave the hearing (not the mediator): to the lobby at once, every socket closed "
             "with 4000 \"left\", the session kept to come back",
    "chat": "a chat message to the sender's current room",
    "chat.recall": "ask for the current room's chat said in this participant's presence "
                   "(sent on arriving in a room); answered with `chat.history` when there is any",
    "mute": "tell the room this participant's microphone and/or camera state",
    "signal": "WebRTC signalling to one peer: offer, answer or ICE candidate, with the room epoch",
    "peer.state": "report a peer connection's state (lets the gateway see failed links)",
    "media.claim": "the mediator's console on this socket holds its camera and microphone now: "
                   "the mediator's WebRTC signals go to and come from it only, and the console "
                   "that held them is told (`notice` `media_elsewhere`)",
}
SERVER_SUMMARIES: dict[str, str] = {
    "snapshot": "everything this participant may see, first after `join` and on reconnect",
    "you": "this participant's own state changed",
    "room": "a room this participant can see changed",
    "board": "the mediator's board (lobby, rooms, members) changed",
    "knocks": "the list of knocks changed (mediator)",
    "peer.plan": "which peer connections to drop, open (and who offers) and keep",
    "signal": "WebRTC signalling relayed from a peer in the same room and epoch",
    "chat": "a chat message in a room this participant is in",
    "chat.history": "the room's chat said in this participant's presence: since it entered, "
                    "and during its earlier stays (after a snapshot, or for `chat.recall`)",
    "documents": "a document was added to or released into a compartment you may read",
    "notice": "something to tell the participant (broadcast, removal, hearing ended ...)",
    "error": "a command was refused: a code from a closed set, a reason and a sentence",
}


def _tag(kind: type[msgspec.Struct]) -> str:
    tag = msgspec.inspect.type_info(kind).tag  # type: ignore[attr-defined]
    assert isinstance(tag, str)
    return tag


def _message(kind: type[msgspec.Struct], summary: str, ref: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {"name": _tag(kind), "title": kind.__name__, "summary": summary,
                               "payload": ref}
    if kind in ws.MEDIATOR_COMMANDS:
        message["summary"] = summary + " (the hearing's mediator only)"
    doc = (kind.__doc__ or "").strip()
    if doc and kind.__doc__ is not msgspec.Struct.__doc__:
        message["description"] = doc
    return message


def build() -> dict[str, Any]:
    client = list(get_args(ws.ClientMessage))
    server = list(get_args(ws.ServerMessage))
    (refs, schemas) = msgspec.json.schema_components(client + server, ref_template=_REF)
    ref_of = dict(zip(client + server, refs, strict=True))
    messages = {kind.__name__: _message(kind, CLIENT_SUMMARIES[_tag(kind)], ref_of[kind])
                for kind in client}
    messages |= {kind.__name__: _message(kind, SERVER_SUMMARIES[_tag(kind)], ref_of[kind])
                 for kind in server}
    channel_messages = {name: {"$ref": f"#/components/messages/{name}"} for name in messages}

    def operation(action: str, kinds: list[Any], summary: str) -> dict[str, Any]:
        return {"action": action, "summary": summary,
                "channel": {"$ref": "#/channels/hearing"},
                "messages": [{"$ref": f"#/channels/hearing/messages/{k.__name__}"} for k in kinds]}

    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Parley hearing WebSocket", "version": "1.0.0",
                 "description": (ws.__doc__ or "").strip()},
        "defaultContentType": "application/json",
        "servers": {"gateway": {
            "host": "localhost:8080", "protocol": "ws", "pathname": "/api/v1/ws",
            "description": "the gateway (wss:// behind TLS); the same origin as the web client",
            "security": [{"$ref": "#/components/securitySchemes/session"},
                         {"$ref": "#/components/securitySchemes/bearer"}]}},
        "channels": {"hearing": {
            "address": "/api/v1/ws",
            "title": "one hearing, as one participant sees it",
            "description": "Open it with the session cookie (participants, from an invitation) "
                           "or a staff session; send `join` first. Every server message "
                           "carries `seq`, a per-connection counter.",
            "messages": channel_messages}},
        "operations": {
            "receiveClientMessage": operation("receive", client,
                                              "what a participant's client may send"),
            "sendServerMessage": operation("send", server, "what the gateway sends a client"),
        },
        "components": {
            "schemas": schemas,
            "messages": messages,
            "securitySchemes": {
                "session": {"type": "httpApiKey", "in": "cookie", "name": SESSION_COOKIE,
                            "description": "the session cookie (sign-in or invitation redeem)"},
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "a staff API token (non-browser clients)"},
            },
        },
    }


def render() -> str:
    return json.dumps(build(), indent=2, sort_keys=True) + "\n"
