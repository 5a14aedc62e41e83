// What the console shows, from the server's view (console.js `state`): toolbar, header status,
// board, knocks, and the mediator's own room (banner, video, controls, who can hear, chat).

import { t } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";
import { admits, roomName } from "../components/board.js";
import { drawBoardArea, knockBadge } from "../components/board-nav.js";
import { ChatPanel } from "../components/chat-panel.js";
import { ConsoleMedia, MOVED_WORDS } from "../components/console-media.js";
import { DocumentsPanel } from "../components/documents-panel.js";
import { setHeaderStatus } from "../components/header.js";
import { HearingControls } from "../components/hearing-controls.js";
import { Hearers } from "../components/hearers.js";
import { renderKnocks } from "../components/knocks.js";
import { personName } from "../components/person.js";
import { soundButton } from "../components/sound-button.js";
import { announce, toast } from "../components/toast.js";
import { ConsolePresence } from "./console-presence.js";

// The end locks the hearing too (nobody can join an ended hearing): that lock is part of the
// end, said as the end, never as a lock change.
export const endedNow = (you) => Boolean(you && you.hearing_state === "closed");

// Pure: the sentence for what this tab sends (`stream`, null: nothing) and why not all of it
// (media/devices.js mediaTrouble), or null when camera and microphone are both sent. Without
// the microphone the room cannot hear the mediator; without the camera only, it cannot see.
export function troubleKey(stream, trouble) {
  const audio = Boolean(stream && stream.getAudioTracks().length);
  if (audio && stream.getVideoTracks().length) return null;
  const why = ["blocked", "in_use"].includes(trouble) ? trouble : "none";
  return audio ? `mediator.video.camera_${why}` : `mediator.video.${why}`;
}

export class ConsoleView {
  // `c`: {hearingId, detail, me, state, pending, timeUps, socket, sides(), roomById(id)};
  // `commands(c)` (console-commands.js) is set on it once the view exists (`c.commands`).
  constructor(c) {
    this.c = c;
    const { hearingId, detail, me } = c;
    this.boardArea = h("div", { class: "board-area" });
    this.knocksArea = h("div", { class: "knocks-area" });
    this.knockBadge = h("div", { class: "knock-badge-area" }); // above the board (board-nav.js)
    this.roomArea = h("section", { class: "my-room card", "aria-labelledby": "my-room-title" });
    this.bannerArea = h("div", { class: "console-banner", role: "status" });
    this.toolbar = h("div", { class: "toolbar", role: "toolbar", "aria-label": t("mediator.console.tools") });
    this.titleHeading = h("h1", null, detail.title);
    this.hearers = new Hearers();
    this.chat = new ChatPanel({ send: (m, hold) => c.socket.send(m, hold) });
    this.documents = new DocumentsPanel({ hearing: hearingId, me: { ...(me || {}), role: "mediator" },
      sides: detail.sides || [] });
    // Former mediators' notes are credited by name ("Dr Chan (former mediator)").
    this.documents.setFormerMediators(detail.former_mediators || []);
    this.mediaNote = h("p", { class: "muted media-other-tab", hidden: true }, t("mediator.video.other_tab"));
    // What this tab sends and why not all of it (devices.js mediaTrouble), with Try again:
    // null in a tab that does not hold the media (its microphone is not used there).
    this.sent = null;
    this.troubleNote = h("div", { class: "media-trouble", role: "alert", hidden: true });
    this.media = new ConsoleMedia(hearingId, (m) => c.socket.send(m), (held) => {
      this.mediaNote.hidden = held;
      if (!held) this.controls.enable({ mic: false, camera: false, screen: false });
    }, (v) => this.hearers.verification(v));
    // The mediator's microphone, camera and screen share, usable once this tab holds the media.
    this.controls = new HearingControls({
      mic: (on) => this.media.setMic(on),
      camera: (on) => this.media.setCamera(on),
      screen: async (on) => {
        const done = await this.media.setScreen(on, () => this.controls.set({ screen: false }));
        if (!done && on) toast(() => t("participant.controls.screen_refused"), { kind: "error" });
        return done;
      },
    }, { only: ["mic", "camera", "screen"] });
    this.controls.enable({ mic: false, camera: false, screen: false });
    this.media.onMedia = (stream) => this.controls.enable({
      mic: Boolean(stream && stream.getAudioTracks().length),
      camera: Boolean(stream && stream.getVideoTracks().length),
      screen: Boolean(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia) });
    this.media.onTrouble = (stream, trouble) => { this.sent = { stream, trouble }; this.drawTrouble(); };
    this.media.onOpen = (stream) => this.sendAsChosen(stream);
    // A console on another device holds the camera and microphone now ("elsewhere"), or none
    // does ("free"): said, with Use them here; nothing of this tab's media (trouble, who hears
    // it, its code) is shown meanwhile.
    this.movedNote = h("div", { class: "media-elsewhere", role: "status", hidden: true });
    this.media.onMoved = (moved) => {
      this.moved = moved;
      this.movedNote.hidden = !moved;
      this.hearers.el.hidden = Boolean(moved);
      if (moved) {
        this.sent = null;
        this.troubleNote.hidden = true;
        this.controls.enable({ mic: false, camera: false, screen: false });
        announce(t(MOVED_WORDS[moved]), { assertive: true });
      }
      this.drawMoved();
    };
    this.soundButton = soundButton(this.media.tiles);
    // The video grid stays in place (moving a playing <video> in the DOM would pause it); only
    // the banner naming the room is redrawn.
    this.roomBanner = h("div", { class: "room-banner" });
    this.roomArea.append(this.roomBanner, this.media.tiles.grid, this.controls.el, this.soundButton,
      this.troubleNote, this.mediaNote, this.movedNote, this.hearers.el);
    this.deferred = false;
    this.shown = "";
    // A party who drops for a moment is shown reconnecting, not offline (console-presence.js).
    this.presence = new ConsolePresence(() => { this.drawBoard(); this.drawRoom(); });
  }

  // The sentence and Try again; "who can hear you" says nobody while the microphone sends
  // nothing, naming the people in the room (as on the participant's page).
  drawTrouble() {
    if (!this.sent) return;
    const { stream, trouble } = this.sent;
    const key = troubleKey(stream, trouble);
    const audio = Boolean(stream && stream.getAudioTracks().length);
    this.hearers.microphone(audio ? null : trouble || "none");
    this.troubleNote.hidden = !key;
    if (!key) { mountNodes(this.troubleNote); return; }
    this.troubleNote.dataset.trouble = trouble || "none";
    this.troubleNote.dataset.key = key;
    const retry = h("button", { type: "button", class: "button small", dataset: { action: "retry-devices" },
      onclick: () => this.retryDevices(retry) }, t("mediator.video.try_again"));
    mountNodes(this.troubleNote, h("p", null, t(key)), retry);
  }

  drawMoved() {
    if (this.movedNote.hidden) { mountNodes(this.movedNote); return; }
    this.movedNote.dataset.state = this.moved;
    const here = h("button", { type: "button", class: "button small", dataset: { action: "media-here" },
      onclick: () => { here.disabled = true; this.media.reclaim(); } }, t("mediator.video.use_here"));
    mountNodes(this.movedNote, h("p", null, t(MOVED_WORDS[this.moved])), here);
  }

  // Tracks just opened (first, or after Use them here) go as the room was last told (`you`, from
  // any console), else as the buttons stand: tracks, buttons and the room's view agree.
  sendAsChosen(stream) {
    const you = this.c.state.you;
    const chosen = you ? { mic: !you.muted, camera: !you.camera_off } : this.controls.state;
    if (!stream) return;
    this.controls.set(chosen);
    this.media.setMic(chosen.mic); this.media.setCamera(chosen.camera);
  }

  // Try again: asks the browser again and sends what opened to the room at once, as the
  // controls stand (a microphone the mediator muted stays muted); the sentence stays until it worked.
  async retryDevices(button) {
    button.disabled = true;
    try {
      await this.media.retry();
    } finally {
      button.disabled = false;
    }
    const { mic, camera } = this.controls.state;
    if (this.media.stream) { this.media.setMic(mic); this.media.setCamera(camera); }
    const key = this.sent && troubleKey(this.sent.stream, this.sent.trouble);
    announce(t(key || "participant.room.devices_ok"));
  }

  // Renamed on the set-up page (another tab, a minute ago): the title follows, no reload.
  followTitle(you) {
    const { detail } = this.c;
    if (!you || !you.title || you.title === detail.title) return;
    detail.title = you.title;
    this.titleHeading.textContent = you.title;
  }

  drawToolbar() {
    const { state, commands, detail } = this.c;
    const locked = state.you && state.you.locked;
    // Its name too: drawn again after a language switch, never left in the first language.
    this.toolbar.setAttribute("aria-label", t("mediator.console.tools"));
    mountNodes(this.toolbar,
      h("button", { type: "button", class: "button primary", "data-action": "new-caucus", onclick: commands.newCaucus }, t("mediator.console.new_caucus")),
      h("button", { type: "button", class: "button", onclick: commands.broadcast }, t("mediator.console.broadcast")),
      h("button", { type: "button", class: "button", onclick: () => commands.send({ type: "recall" }, "recall") }, t("mediator.console.recall")),
      h("button", { type: "button", class: "button", "aria-pressed": String(Boolean(locked)), id: "lock-toggle",
        onclick: () => commands.send({ type: "lock", locked: !locked }, "lock") }, t(locked ? "mediator.console.unlock" : "mediator.console.lock")),
      h("button", { type: "button", class: "button danger-outline", onclick: commands.end }, t("mediator.console.end")));
    setHeaderStatus(
      h("span", { class: "header-hearing" }, detail.title),
      locked && !endedNow(state.you) ? h("span", { class: "badge locked", id: "lock-badge" }, t("mediator.lock.locked")) : null);
  }

  // Redrawn whole, never under the mediator's hand (a drag or an open menu waits); focus stays.
  busy() {
    return document.body.classList.contains("dragging")
      || Boolean(this.boardArea.querySelector('[aria-expanded="true"]'));
  }

  // Peer-link reports change nothing here; an unchanged board is not redrawn (hover stays).
  signature(board) {
    const { state, pending, timeUps } = this.c;
    return JSON.stringify([state.you && state.you.room, [...pending], [...timeUps.rooms.keys()], board.sides,
      board.rooms.map((r) => [r.id, r.kind, r.name, r.side_name, r.colour, r.deadline,
        r.members.map((m) => [m.id, m.name, m.role, m.side, m.muted, m.hand, m.connected, m.reconnecting])])]);
  }

  // The board as presence says it now: who dropped is followed as the message comes, menu open or not.
  drawBoard(force = false) {
    const board = this.presence.board(this.c.state.board);
    if (this.busy()) { this.deferred = true; return false; }
    this.deferred = false;
    const now = this.signature(board);
    if (!force && now === this.shown) return false;
    this.shown = now;
    const { state, pending, timeUps, commands } = this.c;
    const area = this.boardArea;
    const ctx = { you: state.you || {}, sides: this.c.sides(), actions: commands.actions, pending, now: () => Date.now(), timeUp: timeUps };
    drawBoardArea(area, board, ctx, force); // what did not change stays (components/board-nav.js)
    return true;
  }

  drawKnocks() {
    const { state, commands, roomById } = this.c;
    const canBring = (k) => {
      const person = this.c.memberById(k.participant);
      const here = state.you && roomById(state.you.room);
      return !person || !here || admits(here, person);
    };
    mountNodes(this.knocksArea, renderKnocks(state.knocks, { you: state.you || {}, actions: commands.actions, now: () => Date.now(),
      roomById, roomName, canBring }));
    mountNodes(this.knockBadge, knockBadge(state.knocks, this.knocksArea));
  }

  // People, chat and "who can hear you" follow the server's view of the mediator's room;
  // between a move and the new view, nobody is shown as hearing and nothing can be said.
  drawRoomView() {
    const { you } = this.c.state;
    const room = this.presence.room(this.c.state.room); // who dropped for a moment: connecting
    if (!you) return;
    const view = room && room.id === you.room ? room : null;
    this.chat.me = you.id;
    if (!view) {
      this.hearers.update(null, you.id, { moving: true });
      this.chat.setUsable(false);
      return;
    }
    const members = view.members || [];
    this.chat.members = new Map(members.map((m) => [m.id, m]));
    this.chat.setRoom(view);
    this.hearers.update(view, you.id);
    const mine = members.find((m) => m.id === you.id);
    if (mine) this.media.setServerLinks(mine.links || []);
  }

  drawRoom() {
    const { state, roomById } = this.c;
    const room = state.you ? roomById(state.you.room) : null;
    this.media.tiles.setRoom(this.presence.room(state.room));
    this.drawRoomView();
    const banner = this.roomBanner;
    banner.dataset.roomKind = room ? room.kind : "plenary";
    banner.dataset.room = room ? room.id : ""; // empty until the server's view is here
    if (room && room.kind === "caucus") banner.dataset.colour = room.colour || "a";
    else delete banner.dataset.colour;
    mountNodes(banner, h("h2", { id: "my-room-title" },
      t("mediator.console.you_are_in", { room: room ? roomName(room) : "…" })));
  }

  // Uploaders are named from the board (everyone, whatever room), redrawn only when a name
  // changes; each side's tab follows the board's sides (renamed live), not the first detail.
  learnNames() {
    const { state } = this.c;
    const documents = this.documents;
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

  drawAll() {
    this.learnNames();
    this.drawToolbar();
    this.drawBoard(true);
    this.drawKnocks();
    this.drawRoom();
  }

  relabel() {
    for (const part of [this.hearers, this.chat, this.documents, this.controls, this.media.tiles]) part.relabel();
    this.soundButton.textContent = t("participant.room.enable_sound");
    this.drawTrouble();
    this.drawMoved();
    this.drawAll();
  }

  // Everything that holds a device, a transfer or a timer, let go.
  stop() {
    this.presence.stop();
    this.documents.close();
    this.controls.destroy();
    this.media.stop();
  }
}
