"""The WebSocket command matrix: every client message type x every kind of hearing member.

Completes the route matrix (test_identity_matrix.py) for `GET /api/v1/ws`, whose upgrade only
says "a participant or a staff mediator": what each command does is decided by signalling. The
principals are real (identity_hearings.py): H with sides A and B, made through the API.

Columns (sockets joined to H unless said otherwise):
    counselA  counsel of side A, admitted to plenary   observer  admitted to plenary
    partyB    party of side B, left in the lobby       medG      mediator of G, on ITS socket
    medH      the mediator of H (runs last in each row: the positive control)
A cell is the reply to that command: `ok` (no error), or the error's HTTP-like status
(403 forbidden, 400 invalid, 404 not found, 409 conflict); `-` is not sent (medG: a command
naming nothing of H would act on G, its own hearing). Rows run top to bottom; medH's cells are
arranged so that each is allowed (caucus before the moves into it, admit before deny, end last).
Signals are dropped silently (never answered), so the `signal` row also checks that nothing
reached its target. Whoever leaves (`leave`) has its socket closed with 4000 and comes back on
the same session (a new socket, in the lobby) for the rows after it. A party in plenary is covered by tests/integration/signalling
(test_ws_command_authorization), not repeated here.

Also: nobody joins a hearing that is not theirs (medG, a mediator of no hearing, a participant
of H asking for G), and the lobby participant received nothing but its own state while
everything above happened around it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator

import pytest

from proto.ws import (
    Admit,
    BoardUpdate,
    Broadcast,
    CaucusClose,
    CaucusCreate,
    CaucusTimer,
    ChatSend,
    ClientMessage,
    Deny,
    End,
    ErrorMessage,
    Hand,
    Join,
    Knock,
    KnockDismiss,
    Leave,
    Lock,
    Move,
    Mute,
    PeerConnState,
    PeerPlan,
    PeerStateReport,
    Recall,
    Remove,
    Shuttle,
    SignalKind,
    SignalRelay,
    SignalSend,
    Snapshot,
    YouUpdate,
)
from tests.harness import Suite
from tests.integration.identity.identity_hearings import HearingWorld, hearing_world, redeem
from tests.integration.identity.identity_support import HIGH_LIMITS
from tests.integration.signalling.sigclient import WsClient

COLUMNS = ("counselA", "observer", "partyB", "medG", "medH")

# command        cA   obs  pB   medG medH
WS_MATRIX = """
hand             ok   ok   409  -    ok
mute             ok   ok   ok   -    ok
knock            ok   ok   ok   -    400
chat             ok   ok   403  -    ok
signal           ok   ok   ok   -    ok
peer.state       ok   ok   ok   -    ok
caucus.create    403  403  403  -    ok
caucus.timer     403  403  403  404  ok
shuttle          403  403  403  404  ok
move             403  403  403  404  ok
recall           403  403  403  -    ok
broadcast        403  403  403  -    ok
knock.dismiss    403  403  403  -    ok
admit            403  403  403  404  ok
deny             403  403  403  404  ok
caucus.close     403  403  403  404  ok
lock             403  403  403  -    ok
remove           403  403  403  404  ok
leave            ok   ok   ok   400  400
end              403  403  403  -    ok
"""

_STATUS = {"forbidden": "403", "invalid": "400", "not_found": "404", "conflict": "409",
           "unauthenticated": "401", "rate_limited": "429"}


def expected() -> dict[str, dict[str, str]]:
    table = {}
    for line in WS_MATRIX.strip().splitlines():
        name, *cells = line.split()
        assert len(cells) == len(COLUMNS), name
        table[name] = dict(zip(COLUMNS, cells, strict=True))
    return table


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    running = Suite(data_dir=tmp_path_factory.mktemp("wsmatrix") / "data", extra_env=HIGH_LIMITS)
    running.start()
    yield running
    running.stop()


class Room:
    """Ids the commands name, filled as the rows run (the caucus exists after caucus.create)."""

    def __init__(self, world: HearingWorld, late: str) -> None:
        self.ids = {name: m.id for name, m in world.members.items()} | {"late": late}
        self.caucus = "nocaucus00"


def commands(r: Room) -> dict[str, Callable[[], ClientMessage]]:
    ids = r.ids
    return {
        "hand": lambda: Hand(raised=True), "mute": lambda: Mute(muted=True),
        "knock": lambda: Knock(), "chat": lambda: ChatSend(text="words"),
        "signal": lambda: SignalSend(to=ids["partyA"], epoch=1, kind=SignalKind.OFFER,
                                     sdp="v=0\r\n"),
        "peer.state": lambda: PeerStateReport(peer=ids["partyA"], state=PeerConnState.CONNECTED),
        "caucus.create": lambda: CaucusCreate(name="caucus A", side=None),
        "caucus.timer": lambda: CaucusTimer(room=r.caucus, seconds=600),
        "shuttle": lambda: Shuttle(room=r.caucus),
        "move": lambda: Move(participant=ids["counselA"], room=r.caucus),
        "recall": lambda: Recall(), "broadcast": lambda: Broadcast(text="five minutes"),
        "knock.dismiss": lambda: KnockDismiss(participant=ids["partyB"]),
        "admit": lambda: Admit(participant=ids["partyB"]),
        "deny": lambda: Deny(participant=ids["late"]),
        "caucus.close": lambda: CaucusClose(room=r.caucus),
        "lock": lambda: Lock(locked=True),
        "remove": lambda: Remove(participant=ids["partyA"]),
        "leave": lambda: Leave(), "end": lambda: End(),
    }


async def outcome(client: WsClient, message: ClientMessage) -> str:
    """The reply to `message`: its error, or `ok`. A `join` sent right after it is answered
    "already joined" in order (the gateway forwards one message at a time), so reaching that
    answer first proves the command itself drew no error."""
    since = len(client.inbox)
    await client.send(message)
    with contextlib.suppress(ConnectionError):  # `end` may close the socket first
        await client.send(Join(hearing=client.hearing))
    try:
        got = await client.wait(lambda m: isinstance(m, ErrorMessage), what="a reply",
                                since=since)
    except AssertionError:
        if client.closed.is_set():
            return "ok"  # `end`: the hearing is over and the socket closed, no error first
        raise
    assert isinstance(got, ErrorMessage)
    if got.code == "invalid" and got.message == "already joined":
        return "ok"
    return _STATUS.get(got.code, got.code)


async def _socket(suite: Suite, headers: dict[str, str], hearing: str, me: str) -> WsClient:
    return await WsClient(suite.base_url, headers, hearing, me).connect()


async def _refused_join(suite: Suite, headers: dict[str, str], hearing: str) -> None:
    client = await WsClient(suite.base_url, headers, hearing, "nobody").connect(join=False)
    try:
        await client.send(Join(hearing=hearing))
        err = await client.wait(lambda m: isinstance(m, ErrorMessage), what="join refusal")
        assert isinstance(err, ErrorMessage) and err.code == "forbidden", err
        assert not any(isinstance(m, Snapshot) for m in client.inbox), client.inbox
    finally:
        await client.close()


async def test_nobody_joins_another_hearing(suite: Suite) -> None:
    world = await hearing_world(suite)
    await _refused_join(suite, world.med_g.headers(), world.hearing)  # mediator of G
    await _refused_join(suite, world.people.mediator.headers(), world.hearing)  # of no hearing
    await _refused_join(suite, world.members["partyA"].headers, world.other)  # bound to H


async def test_ws_command_matrix(suite: Suite) -> None:
    world = await hearing_world(suite)
    issued = await world.med_h.call("POST", f"/api/v1/hearings/{world.hearing}/participants",
                                    {"name": "late", "role": "party", "side": world.sides["A"]})
    assert issued[0] == 201, issued
    late_headers = await redeem(suite.base_url, issued[1]["token"], issued[1]["access_code"])
    room = Room(world, issued[1]["participant"])
    ids = room.ids
    med = await _socket(suite, world.med_h.headers(), world.hearing, world.med_h.account_id)
    clients = {name: await _socket(suite, world.members[name].headers, world.hearing, ids[name])
               for name in ("partyA", "counselA", "observer", "partyB")}
    clients["late"] = await _socket(suite, late_headers, world.hearing, ids["late"])
    clients["medG"] = await _socket(suite, world.med_g.headers(), world.other,
                                    world.med_g.account_id)
    clients["medH"] = med
    for name in ("partyA", "counselA", "observer"):
        await med.send(Admit(participant=ids[name]))
        await clients[name].wait(lambda m: isinstance(m, YouUpdate) and m.you.room == "plenary",
                                 what=f"{name} admitted")
    table, make = expected(), commands(room)
    assert set(table) == set(make), "a command without a row, or a row without a command"
    wrong = []
    for row, cells in table.items():
        if row == "admit":
            _assert_lobby_only(clients["partyB"])  # before it leaves the lobby
        for column in COLUMNS:
            if cells[column] == "-":
                continue
            got = await outcome(clients[column], make[row]())
            if got != cells[column]:
                wrong.append(f"{row} x {column}: expected {cells[column]}, got {got}")
            if row == "leave" and got == "ok":  # closed by the server, the session kept
                await asyncio.wait_for(clients[column].closed.wait(), 10)
                assert clients[column].close_code == 4000, (column, clients[column].close_code)
                await clients[column].close()
                clients[column] = await _socket(suite, world.members[column].headers,
                                                world.hearing, ids[column])
            if row == "caucus.create" and column == "medH":
                board = await med.wait(lambda m: isinstance(m, BoardUpdate) and any(
                    r.name == "caucus A" for r in m.board.rooms), what="the caucus")
                assert isinstance(board, BoardUpdate)
                room.caucus = next(r.id for r in board.board.rooms if r.name == "caucus A")
    relayed = [m for m in clients["partyA"].inbox if isinstance(m, SignalRelay)]
    assert all(m.sender in (world.med_h.account_id, ids["counselA"], ids["observer"])
               for m in relayed), relayed  # partyB (lobby) reached nobody in plenary
    status, detail = await world.med_h.call("GET", f"/api/v1/hearings/{world.hearing}")
    assert status == 200 and detail["state"] == "closed", detail  # `end` by medH took effect
    for client in clients.values():
        await client.close()
    assert not wrong, "\n".join(wrong)


def _assert_lobby_only(lobby: WsClient) -> None:
    """Everything the lobby participant got concerns only itself."""
    for m in lobby.inbox:
        assert isinstance(m, Snapshot | YouUpdate | PeerPlan | ErrorMessage), m
        if isinstance(m, Snapshot):
            assert m.view.room is None and m.view.board is None and m.view.knocks is None, m
        if isinstance(m, YouUpdate):
            assert m.you.room == "lobby", m
        if isinstance(m, PeerPlan):
            assert m.room in (None, "lobby") and not m.connect and not m.keep, m
