"""The NATS endpoints `parley.v1.signalling.<verb>`: decode, check the principal, run.

Every verb the gateway's REST routes and WebSocket use. The gateway is the only publisher on
these subjects (infra/nats), so the forwarded principal is trusted; the decisions are the core's.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from parley.errors import DomainError, ServiceFailure
from parley.micro import RequestContext, ServiceHost
from proto.common import Role
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind
from proto.signalling import (
    AddSide,
    ChangeHearing,
    CloseHearing,
    CommandResult,
    Connected,
    CreateHearingCommand,
    Empty,
    GatewayAlive,
    HandOverCommand,
    HearingClosed,
    HearingDetail,
    HearingList,
    HearingSchedule,
    HearingSummary,
    HeartbeatReply,
    IceConfig,
    IcePolicy,
    IcePolicyRequest,
    IceServersRequest,
    InvitationIssued,
    InviteParticipant,
    ListHearings,
    MediatorRenamed,
    OpenHearing,
    ParticipantRemoved,
    Redeemed,
    RedeemInvitation,
    ReissueInvitationCommand,
    RemoveParticipant,
    RemoveSide,
    RenameMediator,
    RenameSideCommand,
    RoomCreated,
    Scoped,
    SessionConnected,
    SessionDisconnected,
    SideAdded,
    SideRemoved,
    SideRenamed,
    TechCheckAnswer,
    TechCheckOffer,
    WsCommand,
)
from proto.ws import ChatRecall, HearingState, Join, SignalSend, Snapshot

from .access import actor, may_read_detail, may_read_schedule, not_closed
from .handover import former_mediator, handed_away
from .ice import IceSettings, ice_config, ice_policy
from .invitations import invalid_token, split_token
from .shell import Executor
from .sweeper import instance_of
from .techcheck_pool import TechChecks
from .view import detail, schedule, summary

_INSTANCE = re.compile(r"^[0-9a-f]{8,32}$")
ANONYMOUS = Principal(kind=PrincipalKind.SYSTEM, id="anonymous")


def _expect(value: Any, kind: type[Any]) -> Any:
    if not isinstance(value, kind):
        raise ServiceFailure(ErrorCode.INTERNAL, "unexpected reply")
    return value


def register(host: ServiceHost, ex: Executor, ice: IceSettings, checks: TechChecks) -> None:
    async def create(ctx: RequestContext, req: CreateHearingCommand) -> HearingSummary:
        return await ex.create(ctx.require_principal(), req)

    async def rename_mediator(ctx: RequestContext, req: RenameMediator) -> MediatorRenamed:
        # Every hearing of this mediator that has not ended (mediator_name.py decides each).
        who = ctx.require_principal()
        if who.kind is not PrincipalKind.ACCOUNT or who.role not in (Role.ADMIN, Role.MEDIATOR):
            raise ServiceFailure(ErrorCode.FORBIDDEN, "only staff rename a mediator")
        renamed = 0
        for h, _ in list(ex.store.hearings.values()):
            if h.mediator != req.mediator or h.state is HearingState.CLOSED:
                continue
            try:
                await ex.run(h.id, who, req)
            except DomainError as exc:
                if exc.code is not ErrorCode.CONFLICT:  # it closed meanwhile: keeps its name
                    raise
                continue
            renamed += h.participants[h.mediator].name != req.name
        return MediatorRenamed(hearings=renamed)

    async def hand_over(ctx: RequestContext, req: Scoped[HandOverCommand]) -> HearingSummary:
        await ex.run(req.hearing, ctx.require_principal(), req.body)
        h, _ = await ex.load(req.hearing)
        return summary(h)

    async def list_(ctx: RequestContext, req: ListHearings) -> HearingList:
        who = ctx.require_principal()
        if who.kind is not PrincipalKind.ACCOUNT or who.role not in (Role.ADMIN, Role.MEDIATOR):
            raise ServiceFailure(ErrorCode.FORBIDDEN, "only a mediator or an admin lists hearings")
        rows = [summary(h) for h, _ in ex.store.hearings.values()
                if who.role is Role.ADMIN or h.mediator == who.id]
        rows.sort(key=lambda s: (-s.created_at, s.id))
        gone = [] if who.role is Role.ADMIN else [
            x for x in (handed_away(h, who.id, ex.now_ms()) for h, _ in ex.store.hearings.values())
            if x is not None]
        gone.sort(key=lambda x: (-x.at, x.id))
        return HearingList(hearings=rows[:1000], handed_away=gone[:100])

    async def detail_(ctx: RequestContext, req: Scoped[Empty]) -> HearingDetail:
        h, _ = await ex.load(req.hearing)
        may_read_detail(h, ctx.require_principal())
        return detail(h, ex.now_ms(), ex.env.policy)

    async def schedule_(ctx: RequestContext, req: Scoped[Empty]) -> HearingSchedule:
        h, _ = await ex.load(req.hearing)
        may_read_schedule(h, ctx.require_principal())
        return schedule(h)

    async def change(ctx: RequestContext, req: Scoped[ChangeHearing]) -> HearingSummary:
        done = await ex.run(req.hearing, ctx.require_principal(), req.body)
        return _expect(done.reply, HearingSummary)  # type: ignore[no-any-return]

    async def open_(ctx: RequestContext, req: Scoped[OpenHearing]) -> HearingSummary:
        await ex.run(req.hearing, ctx.require_principal(), req.body)
        h, _ = await ex.load(req.hearing)
        return summary(h)

    async def close(ctx: RequestContext, req: Scoped[CloseHearing]) -> HearingClosed:
        done = await ex.run(req.hearing, ctx.require_principal(), req.body)
        h, _ = await ex.load(req.hearing)
        return HearingClosed(id=h.id, state=h.state, end_sessions=done.end_sessions,
                             documents_destroyed=h.documents_destroyed)

    async def sides(ctx: RequestContext, req: Scoped[AddSide]) -> SideAdded:
        done = await ex.run(req.hearing, ctx.require_principal(), req.body)
        return _expect(done.reply, SideAdded)  # type: ignore[no-any-return]

    async def side_rename(ctx: RequestContext, req: Scoped[RenameSideCommand]) -> SideRenamed:
        done = await ex.run(req.hearing, ctx.require_principal(), req.body)
        return _expect(done.reply, SideRenamed)  # type: ignore[no-any-return]

    async def side_remove(ctx: RequestContext, req: Scoped[RemoveSide]) -> SideRemoved:
        done = await ex.run(req.hearing, ctx.require_principal(), req.body)
        return _expect(done.reply, SideRemoved)  # type: ignore[no-any-return]

    async def invite(ctx: RequestContext, req: Scoped[InviteParticipant]) -> InvitationIssued:
        done = await ex.run(req.hearing, ctx.require_principal(), req.body)
        return _expect(done.reply, InvitationIssued)  # type: ignore[no-any-return]

    async def remove(ctx: RequestContext, req: Scoped[RemoveParticipant]) -> ParticipantRemoved:
        done = await ex.run(req.hearing, ctx.require_principal(), req.body)
        return ParticipantRemoved(participant=req.body.participant,
                                  end_sessions=done.end_sessions)

    async def reissue(ctx: RequestContext,
                      req: Scoped[ReissueInvitationCommand]) -> InvitationIssued:
        done = await ex.run(req.hearing, ctx.require_principal(), req.body)
        return _expect(done.reply, InvitationIssued)  # type: ignore[no-any-return]

    async def redeem(ctx: RequestContext, req: RedeemInvitation) -> Redeemed:
        hearing, _, _ = split_token(req.token)
        try:
            done = await ex.run(hearing, ctx.principal or ANONYMOUS, req)
        except DomainError as exc:
            if exc.code is ErrorCode.NOT_FOUND:  # no such hearing: the same answer as any bad token
                raise invalid_token() from None
            raise
        redeemed: Redeemed = _expect(done.reply, Redeemed)
        return msgspec.structs.replace(redeemed, end_sessions=done.end_sessions)

    async def connect(ctx: RequestContext, req: Scoped[SessionConnected]) -> Connected:
        # A socket proves its gateway alive (its heartbeat may not have reached us yet).
        instance = instance_of(req.body.conn)
        if ex.now_ms() - ex.store.alive.get(instance, 0) > 1000 and _INSTANCE.fullmatch(instance):
            await ex.store.mark_alive(instance, ex.now_ms())
        principal = ctx.require_principal()
        done = await ex.run(req.hearing, principal, req.body)
        return Connected(snapshot=_expect(done.reply, Snapshot), revision=done.revision,
                         history=await ex.history(req.hearing, principal))

    async def disconnect(ctx: RequestContext, req: Scoped[SessionDisconnected]) -> CommandResult:
        principal = ctx.require_principal()
        try:
            if principal.kind is PrincipalKind.ACCOUNT and former_mediator(
                    (await ex.load(req.hearing))[0], principal):
                return CommandResult()  # its sockets closed for the handover: no refusal
            await ex.run(req.hearing, principal, req.body)
        except DomainError as exc:
            if exc.code is not ErrorCode.NOT_FOUND:
                raise
        return CommandResult()

    async def command(ctx: RequestContext, req: WsCommand) -> CommandResult:
        message = req.message
        if isinstance(message, Join):
            raise ServiceFailure(ErrorCode.INVALID, "already joined")
        # `req.conn`: a page a newer one took over acts for nobody (connections.py).
        if isinstance(message, SignalSend):
            await ex.relay(req.hearing, ctx.require_principal(), message, req.conn)
            return CommandResult()
        if isinstance(message, ChatRecall):
            return CommandResult(history=await ex.history(req.hearing, ctx.require_principal(),
                                                          fresh=True, conn=req.conn))
        done = await ex.run(req.hearing, ctx.require_principal(), message, req.conn)
        room = done.reply.room if isinstance(done.reply, RoomCreated) else None
        return CommandResult(room=room, end_sessions=done.end_sessions)

    async def ice_(ctx: RequestContext, req: Scoped[IceServersRequest]) -> IceConfig:
        h, _ = await ex.load(req.hearing)
        me = actor(h, ctx.require_principal())
        not_closed(h)
        return ice_config(ice, me.id, ex.now_ms() // 1000)

    async def ice_policy_(ctx: RequestContext, req: IcePolicyRequest) -> IcePolicy:
        who = ctx.require_principal()
        if who.kind is not PrincipalKind.ACCOUNT or who.role is not Role.ADMIN:
            raise ServiceFailure(ErrorCode.FORBIDDEN, "only an admin reads the ICE configuration")
        return ice_policy(ice)

    async def techcheck(ctx: RequestContext, req: TechCheckOffer) -> TechCheckAnswer:
        return await checks.offer(req.sdp, ctx.require_principal())

    async def alive(ctx: RequestContext, req: GatewayAlive) -> HeartbeatReply:
        return HeartbeatReply(given_up=await ex.store.mark_alive(req.instance, ex.now_ms()))

    host.endpoint("create", CreateHearingCommand, create)
    host.endpoint("rename_mediator", RenameMediator, rename_mediator)
    host.endpoint("hand_over", Scoped[HandOverCommand], hand_over)
    host.endpoint("list", ListHearings, list_)
    host.endpoint("detail", Scoped[Empty], detail_)
    host.endpoint("schedule", Scoped[Empty], schedule_)
    host.endpoint("change", Scoped[ChangeHearing], change)
    host.endpoint("open", Scoped[OpenHearing], open_)
    host.endpoint("close", Scoped[CloseHearing], close)
    host.endpoint("sides", Scoped[AddSide], sides)
    host.endpoint("side_rename", Scoped[RenameSideCommand], side_rename)
    host.endpoint("side_remove", Scoped[RemoveSide], side_remove)
    host.endpoint("invite", Scoped[InviteParticipant], invite)
    host.endpoint("remove", Scoped[RemoveParticipant], remove)
    host.endpoint("reissue", Scoped[ReissueInvitationCommand], reissue)
    host.endpoint("redeem", RedeemInvitation, redeem)
    host.endpoint("connect", Scoped[SessionConnected], connect)
    host.endpoint("disconnect", Scoped[SessionDisconnected], disconnect)
    host.endpoint("command", WsCommand, command)
    host.endpoint("signal", WsCommand, command, stats=ex.relays.snapshot)
    host.endpoint("ice", Scoped[IceServersRequest], ice_)
    host.endpoint("ice_policy", IcePolicyRequest, ice_policy_)
    host.endpoint("techcheck", TechCheckOffer, techcheck)
    host.endpoint("alive", GatewayAlive, alive)

