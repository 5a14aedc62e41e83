// The mediator's console: rooms board, knocks, controls, own room (video, who can hear, code),
// chat and documents. Every action is a WebSocket command; the screen changes only when the
// server's board says so, so two tabs and a reload always show the same thing.
//
// This module is the wiring: it reads the hearing, keeps the server's view in `state`, and says
// when the console ends (ended, or handed over). Shown: console-view.js; sent:
// console-commands.js; cards instead of a console: console-cards.js.

import { api, whoAmIOrWhy } from "../core/api.js";
import { describe } from "../core/errors.js";
import { formatCountdown, t } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";
import { sessionEndedPath } from "../core/router.js";
import { HearingSocket, socketUrl } from "../core/socket.js";
import { measureToNextFrame } from "../core/timing.js";
import { retranslate, said } from "../core/words.js";
import { TimeUps, roomName } from "../components/board.js";
import { setHeaderStatus } from "../components/header.js";
import { announce, toast } from "../components/toast.js";
import { adminCard, endedCard, handedAwayFrom, handedOverCard, loadFailedCard, notOpenCard, tookOverLine } from "./console-cards.js";
import { consoleCommands } from "./console-commands.js";
import { ConsoleView, endedNow } from "./console-view.js";

export async function mount(root, { params, navigate, me }) {
  const hearingId = params.id;
  let detail;
  try {
    detail = await api("GET", `/api/v1/hearings/${hearingId}`);
  } catch (failure) {
    // Handed away from this mediator: said as such, not as "not yours".
    const gone = await handedAwayFrom(hearingId);
    mountNodes(root, gone ? handedOverCard(gone.title, gone) : loadFailedCard(failure));
    return {};
  }
  // An administrator holds no mediator controls (signalling refuses them): the way to put
  // someone in charge is to hand the hearing over, from the list.
  if (me && me.role === "admin") {
    mountNodes(root, adminCard(detail, hearingId));
    return {};
  }
  if (detail.state !== "open") {
    mountNodes(root, notOpenCard(detail, hearingId));
    return {};
  }

  const state = { you: null, room: null, board: { rooms: [], sides: [] }, knocks: [], ended: false,
    handedOver: false, gone: null, lastAction: null };
  const socket = new HearingSocket(socketUrl(), { onOpen: (s) => s.send({ type: "join", hearing: hearingId }),
    // refused before the upgrade (core/socket.js): a dead session closes as the gateway's 4001 would
    probe: async () => ((await whoAmIOrWhy()).me ? null : { code: 4001, reason: "" }) });
  const c = {
    hearingId, detail, me, state, socket,
    pending: new Set(),
    // Caucuses whose timer ran out, said on their column until the mediator acts (this tab's
    // storage: a reload keeps them).
    timeUps: new TimeUps(sessionStorage, `parley.console.time_up.${hearingId}`),
    sides: () => new Map((state.board.sides || detail.sides || []).map((s) => [s.id, s])),
    roomById: (id) => state.board.rooms.find((r) => r.id === id) || null,
    memberById: (id) => state.board.rooms.flatMap((r) => r.members).find((m) => m.id === id) || null,
    drawBoard: (force) => view.drawBoard(force),
  };
  const view = new ConsoleView(c);
  c.boardArea = view.boardArea;
  c.commands = consoleCommands(c);
  const { pending, timeUps } = c;
  const { documents, chat, media } = view;
  let knockCount = 0;
  let documentsOpened = false; // listed once the socket is in (then kept fresh by `documents`)

  // `handedOver` (the socket's close says so): said as such, not "ended", with to whom and
  // when once the list says.
  function showEnded(handedOver = false) {
    if (state.ended) return;
    state.ended = true;
    state.handedOver = handedOver;
    view.stop();
    socket.close();
    drawEnded();
    // What became of the documents (destroyed, or the day the retention period ends): the
    // ended hearing's detail says it; the card says it once read.
    if (!handedOver) {
      api("GET", `/api/v1/hearings/${hearingId}`).then((after) => {
        state.after = after;
        drawEnded();
      }, () => {});
    }
    if (handedOver) {
      handedAwayFrom(hearingId).then((gone) => {
        if (!gone) return;
        state.gone = gone;
        drawEnded();
      });
    }
  }

  // The header says the hearing's state now: ended (the lock that came with the end is no
  // news); handed over, only its title.
  function drawEnded() {
    const over = state.handedOver;
    setHeaderStatus(h("span", { class: "header-hearing" }, detail.title),
      over ? null : h("span", { class: "badge state-closed", id: "ended-badge" }, t("mediator.state.closed")));
    mountNodes(root, over ? handedOverCard(detail.title, state.gone) : endedCard(hearingId, state.after));
  }

  socket
    .on("snapshot", (m) => {
      view.followTitle(m.view.you);
      if (endedNow(m.view.you)) { state.you = m.view.you; showEnded(); return; }
      Object.assign(state, { you: m.view.you, room: m.view.room || null, board: m.view.board || state.board, knocks: m.view.knocks || [] });
      if (m.view.board) timeUps.follow(state.board.rooms);
      pending.clear();
      knockCount = state.knocks.length;
      view.drawAll();
      view.bannerArea.textContent = "";
      media.claim(); // this socket holds the media, if this tab does (console-media.js)
      media.online(m.reconnect_grace_ms);
      if (!documentsOpened) { documentsOpened = true; documents.open(); }
    })
    .on("you", (m) => {
      view.followTitle(m.you);
      if (endedNow(m.you)) { state.you = m.you; showEnded(); return; }
      // The lock changed: say what it means now, in words (the button only says what it does).
      if (state.you && m.you.locked !== state.you.locked) {
        toast(() => t(m.you.locked ? "mediator.lock.lock_hint" : "mediator.lock.unlock_hint"));
      }
      state.you = m.you; view.drawToolbar(); view.drawRoom(); view.drawBoard();
    })
    .on("room", (m) => { state.room = m.room; view.drawRoom(); })
    .on("board", (m) => {
      state.board = m.board;
      timeUps.follow(m.board.rooms); // closed, or a new timer set: its time-up notice goes
      view.learnNames();
      pending.clear();
      if (view.drawBoard()) measureToNextFrame("parley.board", m.receivedAt);
      view.drawRoom();
    })
    .on("knocks", (m) => {
      state.knocks = m.knocks;
      if (m.knocks.length > knockCount) {
        const k = m.knocks[m.knocks.length - 1];
        announce(t("mediator.knocks.new", { name: k.name }), { assertive: true });
      }
      knockCount = m.knocks.length;
      view.drawKnocks();
    })
    .on("chat", (m) => chat.add(m))
    .on("chat.history", (m) => chat.history(m))
    .on("documents", (m) => documents.changed(m))
    .on("peer.plan", (m) => media.deliver("plan", m))
    .on("signal", (m) => media.deliver("signal", m))
    .on("notice", (m) => {
      if (m.kind === "timer") {
        const room = c.roomById(m.room) || { kind: "caucus", name: "" }; // as it is now: it may close
        toast(() => t("mediator.timer.up", { room: roomName(room) }));
        // The toast goes; the caucus's column keeps saying it until the mediator acts.
        if (m.room && c.roomById(m.room)) {
          timeUps.up(m.room, c.roomById(m.room));
          view.drawBoard();
        }
      }
      // The server delivers a broadcast to everyone in a room, the mediator too: the proof
      // that it went out, said as such.
      else if (m.kind === "broadcast") toast(() => t("mediator.broadcast.sent", { text: m.text }));
      // Someone with a good invitation was turned away by the lock: the mediator decides.
      else if (m.kind === "locked_out") {
        toast(() => t("mediator.lock.turned_away", { name: m.text }), { kind: "error" });
        announce(t("mediator.lock.turned_away", { name: m.text }), { assertive: true });
      }
      // A side moved, those of it still waiting left there (a move is not an admission): said,
      // with how to admit them, never a silent nothing.
      else if (m.kind === "side_waiting") {
        const side = c.sides().get(m.side);
        toast(() => t("mediator.board.side_still_waiting", { count: m.waiting, side: side ? side.name : "" }), { kind: "error" });
      }
      else if (m.kind === "ended") showEnded();
      // A console on another device took the camera and microphone; the one that held them
      // closed; a console claimed them (console-media.js).
      else if (m.kind === "media_elsewhere") media.moved();
      else if (m.kind === "media_free") media.freed();
      else if (m.kind === "media_claimed") media.claimed();
    })
    .on("error", (m) => {
      if (m.about === "chat") { chat.refused(m); return; }
      const last = state.lastAction;
      const action = last && performance.now() - last.at < 5000 ? `mediator.ws.${last.action}` : null;
      toast(() => describe(m, action), { kind: "error" });
      pending.clear();
      view.drawBoard();
    })
    .on("close", async (e) => {
      if (state.ended) return;
      if (e.code === 4001 || e.code === 1008) {
        const { me: who, ended } = await whoAmIOrWhy().catch(() => ({ me: null, ended: null }));
        if (!who) { navigate(sessionEndedPath(`/hearings/${hearingId}`, ended), { replace: true }); return; }
      }
      if (e.code === 4000) { showEnded(e.reason === "handed_over"); return; }
      view.bannerArea.textContent = t("mediator.console.reconnecting");
      media.offline(() => { view.bannerArea.textContent = t("mediator.console.reconnecting_closed"); });
    });

  let tookOver = tookOverLine(detail);
  mountNodes(root, h("section", { class: "console" },
    h("div", { class: "page-head" },
      h("div", null, said("p", { class: "eyebrow" }, "mediator.console.title"), view.titleHeading, tookOver),
      view.toolbar),
    view.bannerArea,
    h("div", { class: "console-grid" },
      h("div", { class: "console-board" }, view.knockBadge, view.boardArea),
      h("aside", { class: "console-side" }, view.knocksArea, view.roomArea, h("div", { class: "card console-panel" }, chat.el)),
      h("div", { class: "card console-panel console-docs" }, documents.el))));
  view.drawAll();
  socket.open();
  media.start(me ? me.id : "");
  const catchUp = setInterval(() => { if (view.deferred && !view.busy()) view.drawBoard(); }, 150);
  const ticker = setInterval(() => {
    for (const el of document.querySelectorAll(".room-column .timer[data-deadline]")) {
      const deadline = Number(el.dataset.deadline);
      if (deadline) el.textContent = t("mediator.timer.left", { time: formatCountdown((deadline - Date.now()) / 1000) });
    }
  }, 1000);
  return {
    unmount: () => {
      clearInterval(ticker); clearInterval(catchUp); socket.close(); view.stop();
    },
    rerender: () => {
      if (state.ended) { drawEnded(); return; }
      retranslate(root);
      view.relabel();
      const next = tookOverLine(detail);
      if (tookOver && next) { tookOver.replaceWith(next); tookOver = next; }
    },
  };
}
