"""`/api/v1/hearings…` (DESIGN §8): thin calls to signalling.

The gateway's coarse rule comes first (route `access`); signalling decides finally. Redeeming an
invitation (the one route open to anyone) is `redeem.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import msgspec
from aiohttp import web

from gateway.api.documents import content_disposition, shred_documents
from gateway.api.hearing_access import (
    HAND_OVER,
    HEARING_ADMIN,
    HEARING_READ,
    HEARING_SCHEDULE,
    HEARINGS,
)
from gateway.api.hearing_calendar import (
    LANG_QUERY,
    NotScheduled,
    calendar_file_name,
    calendar_language,
    hearing_ics,
    zone_or_none,
)
from gateway.api.service_call import SIGNALLING
from gateway.http.body import json_response, read_json
from gateway.http.routes import RouteTable
from gateway.identity.accounts import Account
from gateway.identity.authn import identity_of, principal_of
from gateway.identity.session_revoke import end_participant_sessions
from gateway.identity.sessions import SessionEnd
from gateway.state import state_of
from parley.errors import ServiceFailure
from proto.common import Role
from proto.errors import ErrorCode
from proto.principal import PrincipalKind
from proto.signalling import (
    AddSide,
    ChangeHearing,
    CloseHearing,
    CreateHearing,
    CreateHearingCommand,
    Empty,
    HandOverCommand,
    HandOverHearing,
    HearingClosed,
    HearingDetail,
    HearingList,
    HearingSchedule,
    HearingSummary,
    InvitationIssued,
    InviteParticipant,
    ListHearings,
    OpenHearing,
    ParticipantRemoved,
    ReissueInvitation,
    ReissueInvitationCommand,
    RemoveParticipant,
    RemoveSide,
    RenameSide,
    RenameSideCommand,
    Scoped,
    SideAdded,
    SideRemoved,
    SideRenamed,
)

TAGS = ("hearings",)
T = TypeVar("T")
#: A party or counsel names its side; an observer has none.
SIDE_BY_ROLE = {"if": {"properties": {"role": {"const": "observer"}}},
                "then": {"not": {"required": ["side"]}},
                "else": {"required": ["side"], "properties": {"side": {"type": "string"}}}}



def _hearing(request: web.Request) -> str:
    return request.match_info["hearing"]


def _side_command(request: web.Request, make: Callable[[str], T]) -> Scoped[T]:
    """The route's hearing beside a command about the route's side (an id checked here)."""
    try:
        cmd = make(request.match_info["side"])
    except msgspec.ValidationError:
        raise ServiceFailure(ErrorCode.INVALID, "invalid side id") from None
    return Scoped(hearing=_hearing(request), body=cmd)


async def end_sessions(request: web.Request, hearing: str, participants: list[str],
                       reason: SessionEnd) -> None:
    if participants:
        await end_participant_sessions(identity_of(request), hearing, participants, reason)


async def _require_mediator_account(request: web.Request, account_id: str) -> Account:
    """A hearing's mediator is an existing, enabled mediator account (accounts live here, in
    the gateway, so signalling cannot check the reference itself)."""
    found = await identity_of(request).accounts.get(account_id)
    if found is None or found[0].role is not Role.MEDIATOR or found[0].disabled:
        raise ServiceFailure(ErrorCode.NOT_FOUND, "no enabled mediator account with that id")
    return found[0]


async def _mediator_name(request: web.Request, body: CreateHearing) -> str:
    """The display name of the hearing's mediator, from the account ("" when it has none, or
    when the caller is not a mediator and names none: signalling then refuses the request)."""
    if body.mediator is not None:
        return (await _require_mediator_account(request, body.mediator)).display_name
    caller = principal_of(request)
    if caller is None or caller.kind is not PrincipalKind.ACCOUNT \
            or caller.role is not Role.MEDIATOR:
        return ""
    found = await identity_of(request).accounts.get(caller.id)
    return found[0].display_name if found is not None else ""


def register(routes: RouteTable) -> None:
    @routes.route("GET", "/api/v1/hearings", access=HEARINGS, summary="list hearings "
                  "(a mediator its own, an admin all)", response=HearingList, tags=TAGS)
    async def list_hearings(request: web.Request) -> web.Response:
        return json_response(await SIGNALLING.ask(request, "list", ListHearings(), HearingList))

    @routes.route("POST", "/api/v1/hearings", access=HEARINGS, summary="create a hearing (a "
                  "scheduled start more than 15 minutes past: 400, reason scheduled_in_past)",
                  request=CreateHearing, response=HearingSummary, tags=TAGS,
                  openapi={"status": 201})
    async def create_hearing(request: web.Request) -> web.Response:
        body = await read_json(request, CreateHearing)
        if body.time_zone is not None and zone_or_none(body.time_zone) is None:
            raise ServiceFailure(ErrorCode.INVALID, "unknown time zone")
        command = CreateHearingCommand(
            **msgspec.structs.asdict(body), mediator_name=await _mediator_name(request, body))
        summary = await SIGNALLING.ask(request, "create", command, HearingSummary)
        hs = state_of(request).hearings
        if hs is not None:
            await hs.rosters.refresh(summary.id)
        return json_response(summary, 201)

    @routes.route("GET", "/api/v1/hearings/{hearing}", access=HEARING_READ,
                  summary="hearing detail: sides, roster, rooms", response=HearingDetail,
                  tags=TAGS)
    async def hearing_detail(request: web.Request) -> web.Response:
        body = Scoped(hearing=_hearing(request), body=Empty())
        return json_response(await SIGNALLING.ask(request, "detail", body, HearingDetail))

    @routes.route("PATCH", "/api/v1/hearings/{hearing}", access=HEARING_ADMIN,
                  summary="change the hearing's title, start or time zone (any of them; "
                  "scheduled_at null: no start yet) until it ends (409, reason hearing_ended); "
                  "a start more than 15 minutes past: 400, reason scheduled_in_past",
                  request=ChangeHearing, response=HearingSummary, tags=TAGS)
    async def change_hearing(request: web.Request) -> web.Response:
        body = await read_json(request, ChangeHearing)
        if isinstance(body.time_zone, str) and zone_or_none(body.time_zone) is None:
            raise ServiceFailure(ErrorCode.INVALID, "unknown time zone")
        command = Scoped(hearing=_hearing(request), body=body)
        return json_response(await SIGNALLING.ask(request, "change", command, HearingSummary))

    @routes.route("GET", "/api/v1/hearings/{hearing}/calendar.ics", access=HEARING_SCHEDULE,
                  summary="the hearing's scheduled time as an iCalendar file, in its own zone "
                  "(its mediator, an admin, or one of its participants), saved under its title",
                  tags=TAGS, openapi={"produces": "text/calendar", "parameters": [LANG_QUERY]})
    async def hearing_calendar(request: web.Request) -> web.Response:
        language = calendar_language(request.query.getall("lang", []))
        body = Scoped(hearing=_hearing(request), body=Empty())
        found = await SIGNALLING.ask(request, "schedule", body, HearingSchedule)
        try:
            ics = hearing_ics(found, identity_of(request).now_ms(), language)
        except NotScheduled:
            raise ServiceFailure(ErrorCode.CONFLICT, "the hearing has no scheduled time") from None
        response = web.Response(body=ics, content_type="text/calendar", charset="utf-8")
        response.headers["Content-Disposition"] = content_disposition(calendar_file_name(found.title))
        return response

    @routes.route("POST", "/api/v1/hearings/{hearing}/mediator", access=HAND_OVER,
                  summary="hand a hearing that has not ended to another enabled mediator "
                  "account (admin); the one it had holds nothing in it any more",
                  request=HandOverHearing, response=HearingSummary, tags=TAGS)
    async def hand_over(request: web.Request) -> web.Response:
        body = await read_json(request, HandOverHearing)
        account = await _require_mediator_account(request, body.account)
        command = HandOverCommand(account=account.id, mediator_name=account.display_name)
        handed = await SIGNALLING.ask(request, "hand_over", Scoped(
            hearing=_hearing(request), body=command), HearingSummary)
        hs = state_of(request).hearings
        if hs is not None:  # the new mediator's next request here is let through at once
            await hs.rosters.refresh(handed.id)
        return json_response(handed)

    @routes.route("POST", "/api/v1/hearings/{hearing}/open", access=HEARING_ADMIN,
                  summary="open the hearing", request=OpenHearing, response=HearingSummary,
                  tags=TAGS)
    async def open_hearing(request: web.Request) -> web.Response:
        body = Scoped(hearing=_hearing(request), body=await read_json(request, OpenHearing))
        return json_response(await SIGNALLING.ask(request, "open", body, HearingSummary))

    @routes.route("POST", "/api/v1/hearings/{hearing}/close", access=HEARING_ADMIN,
                  summary="close the hearing (final); destroy_documents crypto-shreds them",
                  request=CloseHearing, response=HearingClosed, tags=TAGS)
    async def close_hearing(request: web.Request) -> web.Response:
        body = Scoped(hearing=_hearing(request), body=await read_json(request, CloseHearing))
        # Signalling decides first; only a close it accepted with destroy_documents shreds. A
        # failed shred is finished by repeating the same request (signalling answers it again,
        # evidence's shred is idempotent and audited once).
        closed = await SIGNALLING.ask(request, "close", body, HearingClosed)
        await end_sessions(request, closed.id, closed.end_sessions, SessionEnd.HEARING_ENDED)
        if closed.documents_destroyed:
            await shred_documents(request, closed.id)
        return json_response(closed)

    @routes.route("POST", "/api/v1/hearings/{hearing}/sides", access=HEARING_ADMIN,
                  summary="add a side", request=AddSide, response=SideAdded, tags=TAGS,
                  openapi={"status": 201})
    async def add_side(request: web.Request) -> web.Response:
        body = Scoped(hearing=_hearing(request), body=await read_json(request, AddSide))
        return json_response(await SIGNALLING.ask(request, "sides", body, SideAdded), 201)

    @routes.route("PATCH", "/api/v1/hearings/{hearing}/sides/{side}", access=HEARING_ADMIN,
                  summary="rename a side or change its colour (no two sides alike); its caucus "
                  "named after it follows", request=RenameSide, response=SideRenamed, tags=TAGS)
    async def rename_side(request: web.Request) -> web.Response:
        body = await read_json(request, RenameSide)
        cmd = _side_command(request, lambda side: RenameSideCommand(
            **msgspec.structs.asdict(body), side=side))
        return json_response(await SIGNALLING.ask(request, "side_rename", cmd, SideRenamed))

    @routes.route("DELETE", "/api/v1/hearings/{hearing}/sides/{side}", access=HEARING_ADMIN,
                  response=SideRemoved, tags=TAGS,
                  summary="remove a side nobody has been invited to (409 with the reason else)")
    async def remove_side(request: web.Request) -> web.Response:
        cmd = _side_command(request, lambda side: RemoveSide(side=side))
        return json_response(await SIGNALLING.ask(request, "side_remove", cmd, SideRemoved))

    @routes.route("POST", "/api/v1/hearings/{hearing}/participants", access=HEARING_ADMIN,
                  summary="invite a participant: link token and access code, shown once",
                  request=InviteParticipant, response=InvitationIssued, tags=TAGS,
                  openapi={"status": 201, "request_constraint": SIDE_BY_ROLE})
    async def invite(request: web.Request) -> web.Response:
        body = Scoped(hearing=_hearing(request),
                      body=await read_json(request, InviteParticipant))
        issued = await SIGNALLING.ask(request, "invite", body, InvitationIssued)
        response = json_response(issued, 201)
        response.headers["Cache-Control"] = "no-store"
        return response

    @routes.route("POST", "/api/v1/hearings/{hearing}/participants/{participant}/invitations",
                  access=HEARING_ADMIN, request=ReissueInvitation, response=InvitationIssued,
                  tags=TAGS, openapi={"status": 201},
                  summary="a new link and access code for someone invited or joined (shown once); "
                  "their earlier unused links stop working, and redeeming it ends their earlier "
                  "sessions (409 participant_denied / participant_removed)")
    async def reissue(request: web.Request) -> web.Response:
        body = await read_json(request, ReissueInvitation)
        try:
            cmd = ReissueInvitationCommand(**msgspec.structs.asdict(body),
                                           participant=request.match_info["participant"])
        except msgspec.ValidationError:
            raise ServiceFailure(ErrorCode.INVALID, "invalid participant id") from None
        issued = await SIGNALLING.ask(request, "reissue", Scoped(hearing=_hearing(request),
                                                                 body=cmd), InvitationIssued)
        response = json_response(issued, 201)
        response.headers["Cache-Control"] = "no-store"
        return response

    @routes.route("DELETE", "/api/v1/hearings/{hearing}/participants/{participant}",
                  access=HEARING_ADMIN, response=ParticipantRemoved, tags=TAGS,
                  summary="remove a participant: ends its sessions, revokes its invitation")
    async def remove(request: web.Request) -> web.Response:
        hearing = _hearing(request)
        try:
            cmd = RemoveParticipant(participant=request.match_info["participant"])
        except msgspec.ValidationError:
            raise ServiceFailure(ErrorCode.INVALID, "invalid participant id") from None
        removed = await SIGNALLING.ask(request, "remove", Scoped(hearing=hearing, body=cmd),
                            ParticipantRemoved)
        await end_sessions(request, hearing, removed.end_sessions, SessionEnd.REMOVED)
        return json_response(removed)
