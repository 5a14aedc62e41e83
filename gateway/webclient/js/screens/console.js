// The mediator's console: the rooms board (live from the socket's snapshot and deltas), the knock
// queue, the hearing's controls (caucus, broadcast, recall, lock, remove, end), the mediator's
// own room with its video, who can hear them and the room verification code, the chat of that
// room, and the documents the mediator may read (joint, each side's confidential ones, their own
// notes). Every action is a WebSocket command; the screen changes only when the server's board
// says so, so two tabs and a reload always show the same thing.

import { api, whoAmIOrWhy } from "../core/api.js";
import { describe } from "../core/errors.js";
import { formatCountdown, t } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";
import { sessionEndedPath } from "../core/router.js";
import { HearingSocket, socketUrl } from "../core/socket.js";
import { measureToNextFrame } from "../core/timing.js";
import { retranslate, said } from "../core/words.js";
import { TimeUps, admits, renderBoard, roomName, sideChips } from "../components/board.js";
import { ChatPanel } from "../components/chat-panel.js";
import { ConsoleMedia } from "../components/console-media.js";
import { confirmDialog, formDialog } from "../components/dialog.js";
import { DocumentsPanel } from "../components/documents-panel.js";
import { endHearing } from "../components/end-hearing.js";
import { countedField, field } from "../components/form.js";
import { setHeaderStatus } from "../components/header.js";
import { HearingControls } from "../components/hearing-controls.js";
import { Hearers } from "../components/hearers.js";
import { renderKnocks } from "../components/knocks.js";
import { personName } from "../components/person.js";
import { defaultCaucusName } from "../components/room-name.js";
import { announce, toast } from "../components/toast.js";

export async function mount(root, { params, navigate, me }) {
  const hearingId = params.id;
  let detail;
  try {
    detail = await api("GET", `/api/v1/hearings/${hearingId}`);
  } catch (failure) {
    mountNodes(root, h("section", { class: "card narrow" }, h("h1", null, t("mediator.console.title")),
      h("p", { class: "form-error", role: "alert" }, describe(failure, "mediator.setup")),
      h("a", { class: "button", href: "/hearings" }, t("mediator.setup.back"))));
    return {};
  }
  // An administrator holds no mediator controls (signalling refuses them): the way to put
  // someone in charge is to hand the hearing over, from the list.
  if (me && me.role === "admin") {
    mountNodes(root, h("section", { class: "card narrow admin-console" }, h("h1", null, detail.title),
      h("h2", null, t("mediator.console.admin_title")), h("p", null, t("mediator.console.admin_text")),
      detail.state === "closed" ? null : h("a", { class: "button primary", href: `/hearings?hand_over=${encodeURIComponent(hearingId)}` },
        t("mediator.hearings.hand_over"))));
    return {};
  }
  if (detail.state !== "open") {
    mountNodes(root, h("section", { class: "card narrow" }, h("h1", null, detail.title),
      h("p", null, t(detail.state === "closed" ? "mediator.console.closed" : "mediator.console.not_open")),
      h("a", { class: "button primary", href: `/hearings/${hearingId}/setup` }, t("mediator.hearings.setup"))));
    return {};
  }

  const state = { you: null, room: null, board: { rooms: [], sides: [] }, knocks: [], ended: false, handedOver: false };
  const pending = new Set();
  // Caucuses whose timer ran out, said on their column until the mediator acts (this tab's
  // storage: a reload keeps them).
  const timeUps = new TimeUps(sessionStorage, `parley.console.time_up.${hearingId}`);
  let lastAction = null;
  let knockCount = 0;
  const boardArea = h("div", { class: "board-area" });
  const knocksArea = h("div", { class: "knocks-area" });
  const roomArea = h("section", { class: "my-room card", "aria-labelledby": "my-room-title" });
  const bannerArea = h("div", { class: "console-banner", role: "status" });
  const toolbar = h("div", { class: "toolbar", role: "toolbar", "aria-label": t("mediator.console.tools") });
  const socket = new HearingSocket(socketUrl(), { onOpen: (s) => s.send({ type: "join", hearing: hearingId }) });
  const hearers = new Hearers();
  const chat = new ChatPanel({ send: (m) => socket.send(m) });
  const documents = new DocumentsPanel({ hearing: hearingId, me: { ...(me || {}), role: "mediator" },
    sides: detail.sides || [] });
  let documentsOpened = false; // listed once the socket is in (then kept fresh by `documents`)
  const media = new ConsoleMedia(hearingId, (m) => socket.send(m), (held) => {
    mediaNote.hidden = held;
    if (!held) controls.enable({ mic: false, camera: false, screen: false });
  }, (v) => hearers.verification(v));
  // The mediator's microphone, camera and screen share, usable once this tab holds the media.
  const controls = new HearingControls({
    mic: (on) => media.setMic(on),
    camera: (on) => media.setCamera(on),
    screen: async (on) => {
      const done = await media.setScreen(on, () => controls.set({ screen: false }));
      if (!done && on) toast(() => t("participant.controls.screen_refused"), { kind: "error" });
      return done;
    },
  }, { only: ["mic", "camera", "screen"] });
  controls.enable({ mic: false, camera: false, screen: false });
  media.onMedia = (stream) => controls.enable({
    mic: Boolean(stream && stream.getAudioTracks().length),
    camera: Boolean(stream && stream.getVideoTracks().length),
    screen: Boolean(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia) });
  const mediaNote = h("p", { class: "muted", hidden: true }, t("mediator.video.other_tab"));

  const sides = () => new Map((state.board.sides || detail.sides || []).map((s) => [s.id, s]));
  const roomById = (id) => state.board.rooms.find((r) => r.id === id) || null;
  const memberById = (id) => state.board.rooms.flatMap((r) => r.members).find((m) => m.id === id) || null;
  const canBring = (k) => {
    const person = memberById(k.participant);
    const here = state.you && roomById(state.you.room);
    return !person || !here || admits(here, person);
  };
  // A caucus held for the other side: said here, in words, before anything is sent.
  const refuseOtherSide = (name, room) => toast(() => t("mediator.board.other_side",
    { name, room: roomName(room) }), { kind: "error" });
  const now = () => Date.now();

  function send(message, action, pendingId = null) {
    if (state.ended) return toast(() => t("mediator.console.ended_already"), { kind: "error" });
    if (!socket.send(message)) return toast(() => t("mediator.console.offline"), { kind: "error" });
    lastAction = { action, at: performance.now() };
    if (pendingId) { pending.add(pendingId); drawBoard(); }
    return true;
  }

  const actions = {
    admit: (p, room) => send({ type: "admit", participant: p.id, room: room.id }, "admit", p.id),
    deny: async (p) => {
      const ok = await confirmDialog({ title: t("mediator.deny.title", { name: p.name }), body: t("mediator.deny.body"),
        confirm: t("mediator.deny.confirm"), danger: true });
      if (ok.confirmed) send({ type: "deny", participant: p.id }, "deny", p.id);
    },
    move: (p, room) => send({ type: "move", participant: p.id, room: room.id }, "move", p.id),
    dropPerson: (pid, room) => {
      const from = state.board.rooms.find((r) => r.members.some((m) => m.id === pid));
      if (!from || from.id === room.id) return;
      const person = from.members.find((m) => m.id === pid);
      if (!admits(room, person)) return refuseOtherSide(personName(person), room);
      if (from.kind === "lobby" && !person.connected) {
        return toast(() => t("mediator.board.not_waiting", { name: personName(person) }), { kind: "error" });
      }
      if (from.kind === "lobby" && room.kind !== "lobby") send({ type: "admit", participant: pid, room: room.id }, "admit", pid);
      else send({ type: "move", participant: pid, room: room.id }, "move", pid);
    },
    moveSide: (side, room) => {
      if (room.kind === "caucus" && room.side && room.side !== side) {
        return refuseOtherSide((sides().get(side) || {}).name || "", room);
      }
      return send({ type: "move.side", side, room: room.id }, "move_side");
    },
    remove: async (p) => {
      const ok = await confirmDialog({ title: t("mediator.revoke.title", { name: p.name }), body: t("mediator.revoke.body"),
        confirm: t("mediator.revoke.confirm"), danger: true });
      if (ok.confirmed) send({ type: "remove", participant: p.id }, "remove", p.id);
    },
    shuttle: (room) => send({ type: "shuttle", room: room.id }, "shuttle"),
    bring: (k) => {
      const person = memberById(k.participant);
      const here = roomById(state.you.room);
      if (person && here && !admits(here, person)) return refuseOtherSide(personName(person), here);
      return send({ type: "move", participant: k.participant, room: state.you.room }, "move", k.participant);
    },
    dismiss: (k) => send({ type: "knock.dismiss", participant: k.participant }, "knock"),
    timer: (room, seconds) => send({ type: "caucus.timer", room: room.id, seconds }, "timer"),
    // Seen and left as it is: the column's notice goes; keyboard focus to the caucus's menu.
    dismissTimeUp: (room) => {
      timeUps.dismiss(room.id);
      drawBoard(true);
      const menu = t("mediator.board.caucus_menu_named", { room: roomName(room) });
      [...boardArea.querySelectorAll("[aria-label]")].find((el) => el.getAttribute("aria-label") === menu)?.focus();
    },
    closeCaucus: async (room) => {
      const ok = await confirmDialog({ title: t("mediator.caucus.close_title", { room: roomName(room) }),
        body: t("mediator.caucus.close_body"), confirm: t("mediator.caucus.close_confirm") });
      if (ok.confirmed) send({ type: "caucus.close", room: room.id }, "caucus_close");
    },
  };

  async function newCaucus() {
    const name = h("input", { name: "name", maxlength: "200", autocomplete: "off" });
    const side = h("select", { name: "side" }, h("option", { value: "" }, t("mediator.caucus.no_side")),
      [...sides().values()].map((s) => h("option", { value: s.id }, s.name)));
    const moveIn = h("input", { type: "checkbox", id: "caucus-move-side", checked: true });
    const moveRow = h("div", { class: "check" }, moveIn, h("label", { for: "caucus-move-side" }, t("mediator.caucus.move_side")));
    const sync = () => {
      moveRow.hidden = !side.value;
      side.title = side.selectedOptions[0] ? side.selectedOptions[0].textContent : ""; // a long name, whole
      if (!name.value || name.dataset.auto) {
        const s = sides().get(side.value);
        name.value = s ? defaultCaucusName(s.name) : "";
        // The counter under the field counts what is typed ("input"): a name put in for the
        // side is counted too. The event would mark the name as typed: it is the side's still.
        name.dispatchEvent(new Event("input"));
        name.dataset.auto = "1";
      }
    };
    name.addEventListener("input", () => { delete name.dataset.auto; });
    side.addEventListener("change", sync);
    const firstSide = [...sides().keys()][0];
    if (firstSide) side.value = firstSide;
    sync();
    const ok = await formDialog({ title: t("mediator.caucus.new_title"), confirm: t("mediator.caucus.create"),
      content: [field(t("mediator.caucus.side"), side), countedField(t("mediator.caucus.name"), name), moveRow],
      validate: () => (name.value.trim() ? null : t("mediator.caucus.name_missing")) });
    if (!ok) return;
    // A side's caucus left with its default name is sent without one: each reader's screen
    // names it after the side in their own language (components/room-name.js).
    const named = !(side.value && name.dataset.auto);
    send({ type: "caucus.create", name: named ? name.value.trim() : "", side: side.value || null,
      move_side: Boolean(side.value) && moveIn.checked }, "caucus_create");
  }

  async function broadcastDialog() {
    const text = h("textarea", { name: "text", rows: "4", maxlength: "1000" });
    const ok = await formDialog({ title: t("mediator.broadcast.title"), confirm: t("mediator.broadcast.send"),
      content: [h("p", { class: "muted" }, t("mediator.broadcast.hint")), field(t("mediator.broadcast.text"), text)],
      validate: () => (text.value.trim() ? null : t("mediator.broadcast.missing")) });
    if (ok) send({ type: "broadcast", text: text.value.trim() }, "broadcast");
  }

  // By the same dialog and request as the set-up page (with the choice to destroy the
  // documents); the socket then hears the end like everyone else.
  async function end() {
    try {
      await endHearing(detail);
    } catch (failure) {
      toast(() => describe(failure, "mediator.close"), { kind: "error" });
    }
  }

  // The end locks the hearing too (nobody can join an ended hearing): that lock is part of the
  // end, said as the end, never as a lock change.
  const endedNow = (you) => Boolean(you && you.hearing_state === "closed");
  // The hearing's title as the server says it now: renamed on the set-up page (in another tab,
  // or by the same mediator a minute ago), it changes here too, without a reload.
  const titleHeading = h("h1", null, detail.title);
  function followTitle(you) {
    if (!you || !you.title || you.title === detail.title) return;
    detail.title = you.title;
    titleHeading.textContent = you.title;
  }

  function drawToolbar() {
    const locked = state.you && state.you.locked;
    // Its name too: drawn again after a language switch, never left in the first language.
    toolbar.setAttribute("aria-label", t("mediator.console.tools"));
    mountNodes(toolbar,
      h("button", { type: "button", class: "button primary", onclick: newCaucus }, t("mediator.console.new_caucus")),
      h("button", { type: "button", class: "button", onclick: broadcastDialog }, t("mediator.console.broadcast")),
      h("button", { type: "button", class: "button", onclick: () => send({ type: "recall" }, "recall") }, t("mediator.console.recall")),
      h("button", { type: "button", class: "button", "aria-pressed": String(Boolean(locked)), id: "lock-toggle",
        onclick: () => send({ type: "lock", locked: !locked }, "lock") }, t(locked ? "mediator.console.unlock" : "mediator.console.lock")),
      h("button", { type: "button", class: "button danger-outline", onclick: end }, t("mediator.console.end")));
    setHeaderStatus(
      h("span", { class: "header-hearing" }, detail.title),
      locked && !endedNow(state.you) ? h("span", { class: "badge locked", id: "lock-badge" }, t("mediator.lock.locked")) : null);
  }

  // The board redraws whole from the server's view, but never under the mediator's hand: while
  // something is being dragged or a menu is open it waits, and keyboard focus survives a redraw.
  let deferred = false;
  const busy = () => document.body.classList.contains("dragging")
    || Boolean(boardArea.querySelector('[aria-expanded="true"]'));

  // What the board shows; peer-link reports (frequent while media connects) change nothing here,
  // and an unchanged board is not redrawn (hover, focus and a grab in progress stay put).
  let shown = "";
  const signature = () => JSON.stringify([state.you && state.you.room, [...pending], [...timeUps.rooms.keys()], state.board.sides,
    state.board.rooms.map((r) => [r.id, r.kind, r.name, r.side_name, r.colour, r.deadline,
      r.members.map((m) => [m.id, m.name, m.role, m.side, m.muted, m.hand, m.connected])])]);

  function drawBoard(force = false) {
    if (busy()) { deferred = true; return false; }
    deferred = false;
    const now_ = signature();
    if (!force && now_ === shown) return false;
    shown = now_;
    const active = boardArea.contains(document.activeElement) ? document.activeElement : null;
    const label = active && active.getAttribute("aria-label");
    const ctx = { you: state.you || {}, sides: sides(), actions, pending, now, timeUp: timeUps };
    mountNodes(boardArea, sideChips(sides(), state.board, ctx), renderBoard(state.board, ctx));
    if (label) {
      const again = [...boardArea.querySelectorAll("[aria-label]")].find((el) => el.getAttribute("aria-label") === label);
      if (again) again.focus({ preventScroll: true });
    }
    return true;
  }

  function drawKnocks() {
    mountNodes(knocksArea, renderKnocks(state.knocks, { you: state.you || {}, actions, now, roomById, roomName, canBring }));
  }

  // The video grid stays in place (moving a playing <video> in the DOM would pause it); only the
  // banner naming the room is redrawn.
  const roomBanner = h("div", { class: "room-banner" });
  roomArea.append(roomBanner, media.tiles.grid, controls.el, mediaNote, hearers.el);

  // The room's people, chat and "who can hear you" follow the server's view of the room the
  // mediator is in; between a move and the new room's view, nothing is shown as hearing them
  // and nothing can be said.
  function drawRoomView() {
    const you = state.you;
    if (!you) return;
    const view = state.room && state.room.id === you.room ? state.room : null;
    chat.me = you.id;
    if (!view) {
      hearers.update(null, you.id, { moving: true });
      chat.setUsable(false);
      return;
    }
    const members = view.members || [];
    chat.members = new Map(members.map((m) => [m.id, m]));
    chat.setRoom(view);
    hearers.update(view, you.id);
    const mine = members.find((m) => m.id === you.id);
    if (mine) media.setServerLinks(mine.links || []);
  }

  function drawRoom() {
    const room = state.you ? roomById(state.you.room) : null;
    media.tiles.setRoom(state.room);
    drawRoomView();
    roomBanner.dataset.roomKind = room ? room.kind : "plenary";
    roomBanner.dataset.room = room ? room.id : ""; // empty until the server's view is here
    if (room && room.kind === "caucus") roomBanner.dataset.colour = room.colour || "a";
    else delete roomBanner.dataset.colour;
    mountNodes(roomBanner, h("h2", { id: "my-room-title" },
      t("mediator.console.you_are_in", { room: room ? roomName(room) : "…" })));
  }

  // The documents name their uploaders from the board (everyone in the hearing, whatever room
  // they are in), redrawn only when a name is new or changed; their tabs of each side's
  // confidences follow the sides the board reports (a side renamed or recoloured live), not the
  // hearing's detail read at the start.
  function learnNames() {
    if (state.board.sides && state.board.sides.length) documents.setSides(state.board.sides);
    let changed = false;
    for (const room of state.board.rooms) {
      for (const m of room.members) {
        if (personName(documents.people.get(m.id)) !== personName(m)) changed = true;
        documents.people.set(m.id, m);
      }
    }
    if (changed) documents.renderList();
  }

  function drawAll() {
    learnNames();
    drawToolbar();
    drawBoard(true);
    drawKnocks();
    drawRoom();
  }

  // `handedOver`: an administrator handed the hearing to another mediator (the socket's close
  // says so): this console holds nothing any more, and says why rather than "ended".
  function showEnded(handedOver = false) {
    if (state.ended) return;
    state.ended = true;
    state.handedOver = handedOver;
    documents.close();
    controls.destroy();
    media.stop();
    socket.close();
    drawEnded();
  }

  // The header says the hearing's state now: ended (the lock that came with the end is no news).
  function drawEnded() {
    const over = state.handedOver;
    setHeaderStatus(h("span", { class: "header-hearing" }, detail.title),
      over ? null : h("span", { class: "badge state-closed", id: "ended-badge" }, t("mediator.state.closed")));
    mountNodes(root, h("section", { class: `card narrow ${over ? "handed-over" : "ended"}` },
      h("h1", null, t(over ? "mediator.console.handed_over_title" : "mediator.console.ended_title")),
      h("p", null, t(over ? "mediator.console.handed_over_text" : "mediator.console.ended_text")),
      h("div", { class: "actions" }, h("a", { class: "button", href: `/hearings/${hearingId}/setup` }, t("mediator.hearings.setup")),
        h("a", { class: "button primary", href: "/hearings" }, t("mediator.setup.back")))));
  }

  socket
    .on("snapshot", (m) => {
      followTitle(m.view.you);
      if (endedNow(m.view.you)) { state.you = m.view.you; showEnded(); return; }
      Object.assign(state, { you: m.view.you, room: m.view.room || null, board: m.view.board || state.board, knocks: m.view.knocks || [] });
      if (m.view.board) timeUps.follow(state.board.rooms);
      pending.clear();
      knockCount = state.knocks.length;
      drawAll();
      bannerArea.textContent = "";
      if (!documentsOpened) { documentsOpened = true; documents.open(); }
    })
    .on("you", (m) => {
      followTitle(m.you);
      if (endedNow(m.you)) { state.you = m.you; showEnded(); return; }
      // The lock changed: say what it means now, in words (the button only says what it does).
      if (state.you && m.you.locked !== state.you.locked) {
        toast(() => t(m.you.locked ? "mediator.lock.lock_hint" : "mediator.lock.unlock_hint"));
      }
      state.you = m.you; drawToolbar(); drawRoom(); drawBoard();
    })
    .on("room", (m) => { state.room = m.room; drawRoom(); })
    .on("board", (m) => {
      state.board = m.board;
      timeUps.follow(m.board.rooms); // closed, or a new timer set: its time-up notice goes
      learnNames();
      pending.clear();
      if (drawBoard()) measureToNextFrame("parley.board", m.receivedAt);
      drawRoom();
    })
    .on("knocks", (m) => {
      state.knocks = m.knocks;
      if (m.knocks.length > knockCount) {
        const k = m.knocks[m.knocks.length - 1];
        announce(t("mediator.knocks.new", { name: k.name }), { assertive: true });
      }
      knockCount = m.knocks.length;
      drawKnocks();
    })
    .on("chat", (m) => chat.add(m))
    .on("chat.history", (m) => chat.history(m))
    .on("documents", (m) => documents.changed(m))
    .on("peer.plan", (m) => media.deliver("plan", m))
    .on("signal", (m) => media.deliver("signal", m))
    .on("notice", (m) => {
      if (m.kind === "timer") {
        const room = roomById(m.room) || { kind: "caucus", name: "" }; // as it is now: it may close
        toast(() => t("mediator.timer.up", { room: roomName(room) }));
        // The toast goes; the caucus's column keeps saying it until the mediator acts.
        if (m.room && roomById(m.room)) {
          timeUps.up(m.room, roomById(m.room));
          drawBoard();
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
      else if (m.kind === "ended") showEnded();
    })
    .on("error", (m) => {
      if (m.about === "chat") { chat.refused(m); return; }
      const action = lastAction && performance.now() - lastAction.at < 5000 ? `mediator.ws.${lastAction.action}` : null;
      toast(() => describe(m, action), { kind: "error" });
      pending.clear();
      drawBoard();
    })
    .on("close", async (e) => {
      if (state.ended) return;
      if (e.code === 4001 || e.code === 1008) {
        const { me: who, ended } = await whoAmIOrWhy().catch(() => ({ me: null, ended: null }));
        if (!who) { navigate(sessionEndedPath(`/hearings/${hearingId}`, ended), { replace: true }); return; }
      }
      if (e.code === 4000) { showEnded(e.reason === "handed_over"); return; }
      bannerArea.textContent = t("mediator.console.reconnecting");
    });

  mountNodes(root, h("section", { class: "console" },
    h("div", { class: "page-head" },
      h("div", null, said("p", { class: "eyebrow" }, "mediator.console.title"), titleHeading),
      toolbar),
    bannerArea,
    h("div", { class: "console-grid" },
      h("div", { class: "console-board" }, boardArea),
      h("aside", { class: "console-side" }, knocksArea, roomArea, h("div", { class: "card console-panel" }, chat.el)),
      h("div", { class: "card console-panel console-docs" }, documents.el))));
  drawAll();
  socket.open();
  media.start(me ? me.id : "");
  const catchUp = setInterval(() => { if (deferred && !busy()) drawBoard(); }, 150);
  const ticker = setInterval(() => {
    for (const el of document.querySelectorAll(".room-column .timer[data-deadline]")) {
      const deadline = Number(el.dataset.deadline);
      if (deadline) el.textContent = formatCountdown((deadline - Date.now()) / 1000);
    }
  }, 1000);
  return {
    unmount: () => {
      clearInterval(ticker); clearInterval(catchUp); socket.close(); media.stop(); documents.close();
      controls.destroy();
    },
    rerender: () => {
      if (state.ended) { drawEnded(); return; }
      retranslate(root);
      for (const part of [hearers, chat, documents, controls, media.tiles]) part.relabel();
      drawAll();
    },
  };
}


