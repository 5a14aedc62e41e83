// The participant's hearing (`/lobby`, `/hearing`): one WebSocket and one mesh for the whole
// visit, the lobby's waiting screen until the mediator admits you, then the room — banner,
// video grid, controls, who can hear you, verification code, chat, documents — and a final
// screen when you leave, are removed, are not admitted, the hearing ends, or you open it in
// another tab or window (camera and microphone are stopped at once, before anything is drawn). Leaving asks first, then the
// server closes every socket of yours with "left" and keeps your session: the final screen
// offers the way back to the waiting room.
//
// A participant's session names its hearing. Staff who open it (a mediator or an administrator
// following `/hearing?hearing=<id>`) are sent to the hearing's console instead, which holds the
// mediator's room, video and chat beside the board: a second media client of the same person
// would only take the camera from it.

import { whoAmIOrWhy } from "../core/api.js";
import { t } from "../core/i18n.js";
import { h, mount as put } from "../core/render.js";
import { HearingSocket, socketUrl } from "../core/socket.js";
import { measureToNextFrame } from "../core/timing.js";
import { ChatPanel } from "../components/chat-panel.js";
import { DeviceNotice, adoptTracks } from "../components/device-notice.js";
import { confirmDialog } from "../components/dialog.js";
import { DocumentsPanel } from "../components/documents-panel.js";
import { setHeaderStatus } from "../components/header.js";
import { HearingControls } from "../components/hearing-controls.js";
import { Hearers } from "../components/hearers.js";
import { LobbyView } from "../components/lobby-view.js";
import { Notices } from "../components/notices.js";
import { RoomBanner, mediatorAway, mediatorWords } from "../components/room-banner.js";
import { soundButton } from "../components/sound-button.js";
import { announce, toast } from "../components/toast.js";
import { VideoGrid } from "../components/video-grid.js";
import { openLocalMedia, screenMedia, stopStream, switchTrack } from "../media/devices.js";
import { iceConfiguration } from "../media/ice.js";
import { Mesh } from "../media/mesh.js";

const FINAL = { removed: "removed", ended: "ended", denied: "denied" };
// The ends whose session the server ends too (the hearing ended, removed, not admitted, the
// person took over on another device with a new link): a reload then finds no session, and
// this tab remembers how the visit ended (sessionStorage) to show the same final screen, not
// the invitation's "open your link". "left" keeps the session; "expired" asks for a new link.
const ENDED_KEY = "parley.participant.final";
const REMEMBERED = new Set(["removed", "ended", "denied", "replaced"]);
// Any other tab, or this one after sessionStorage is gone, learns the same from the server: the
// dead cookie's `/me` answers 401 with why the session was ended (gateway/identity/authn.py).
const ENDED_BY = { hearing_ended: "ended", removed: "removed", denied: "denied", replaced: "replaced" };

function rememberedEnd() {
  try {
    const kind = JSON.parse(sessionStorage.getItem(ENDED_KEY) || "null");
    return REMEMBERED.has(kind) ? kind : null;
  } catch (_) {
    return null;
  }
}

// The final screen: what happened, that camera and microphone are off, and the way back where
// there is one: to the waiting room after leaving, or to this tab after the hearing was opened
// in another tab or window ("elsewhere": the server closed this page's socket, "taken_over").
// "elsewhere_free": the page that had taken over was closed (see `PageChannel`).
const AGAIN = { left: ["rejoin", "participant.final.rejoin"],
  elsewhere: ["use-here", "participant.final.use_here"],
  elsewhere_free: ["use-here", "participant.final.continue_here"] };
function finalCard(kind, again = null) {
  const [action, label] = AGAIN[kind] || [];
  return h("section", { class: "card final", dataset: { final: kind } },
    h("h1", null, t(`participant.final.${kind}_title`)),
    h("p", null, t(`participant.final.${kind}`)),
    h("p", { class: "hint" }, t("participant.final.media_stopped")),
    action && again ? h("p", null, h("button", { type: "button", class: "button primary",
      dataset: { action }, onclick: again }, t(label))) : null);
}

// The pages of one hearing in this browser tell each other when one becomes the live page
// ("live": its socket is in) and when the live page goes ("gone": closed, reloaded, navigated
// away). A page that stepped aside then says so and offers "Continue here" at once, focused;
// it never takes over by itself: "gone" also comes from a reload, whose page takes over again
// (two pages would trade the seat and the camera back and forth), and a person who closed the
// live tab may have meant to stop: a hidden tab switching their camera and microphone back on
// in a confidential hearing, without their doing, is the one thing it must not do.
class PageChannel {
  constructor(hearing, onMessage) {
    this.channel = typeof BroadcastChannel === "function"
      ? new BroadcastChannel(`parley.hearing.${hearing}`) : null;
    if (this.channel) this.channel.onmessage = (event) => onMessage(event.data && event.data.type);
  }

  post(type) {
    if (this.channel) this.channel.postMessage({ type });
  }

  close() {
    if (this.channel) this.channel.close();
    this.channel = null;
  }
}
// How long to wait for the server to close the socket after "leave" before leaving anyway.
const LEAVE_WAIT_MS = 3000;

export async function mount(root, context) {
  const { me, ended: why } = await whoAmIOrWhy();
  if (me && me.kind === "account" && (me.role === "mediator" || me.role === "admin")) {
    const asked = context.query.get("hearing");
    context.navigate(asked ? `/hearings/${encodeURIComponent(asked)}` : "/hearings", { replace: true });
    return {};
  }
  const hearing = (me && me.hearing) || context.query.get("hearing");
  const ended = me ? null : (Object.hasOwn(ENDED_BY, why || "") ? ENDED_BY[why] : rememberedEnd());
  if (ended) {
    put(root, finalCard(ended));
    return { rerender: () => put(root, finalCard(ended)) };
  }
  if (me) sessionStorage.removeItem(ENDED_KEY); // a session again: a new visit
  if (!me || !hearing) {
    put(root, h("section", { class: "card final" },
      h("h1", null, t("participant.hearing.no_session_title")),
      h("p", null, t("participant.hearing.no_session"))));
    return {};
  }
  const screen = new HearingScreen(root, me, hearing);
  await screen.start(context.navigate);
  return screen;
}

class HearingScreen {
  constructor(root, me, hearing) {
    this.root = root;
    this.me = me;
    this.hearing = hearing;
    this.you = null;
    this.room = null;
    this.stream = null;
    this.finished = false;
    this.freed = false; // stepped aside, and the page that took over is gone since
  }

  async start(navigate) {
    this.navigate = navigate;
    this.pages = new PageChannel(this.hearing, (type) => this.otherPage(type));
    put(this.root, h("p", { class: "status", role: "status" }, t("participant.room.preparing")));
    const [rtcConfig, { stream, trouble }] = await Promise.all([iceConfiguration(this.hearing),
      openLocalMedia()]);
    this.stream = stream;
    this.mediaTrouble = trouble; // blocked, in use or none: the lobby says which (LobbyView)
    this.socket = new HearingSocket(socketUrl(), {
      onOpen: (s) => s.send({ type: "join", hearing: this.hearing }),
    });
    this.grid = new VideoGrid();
    this.soundButton = soundButton(this.grid);
    this.banner = new RoomBanner();
    this.notices = new Notices();
    // The move notice that said the mediator is away, dismissed: the banner says it again.
    this.notices.onDismiss = (kind) => {
      if (kind !== "move" || this.banner.sayAway) return;
      this.banner.sayAway = true;
      this.banner.relabel();
    };
    this.hearers = new Hearers();
    this.devices = new DeviceNotice({ onRetry: () => this.retryDevices() });
    this.chat = new ChatPanel({ send: (m) => this.socket.send(m) });
    this.documents = new DocumentsPanel({ hearing: this.hearing, me: this.me });
    this.lobby = new LobbyView({ onDevices: (choice) => this.switchDevices(choice) });
    this.controls = new HearingControls({
      mic: (on) => this.setMic(on),
      camera: (on) => this.setCamera(on),
      hand: (raised) => this.socket.send({ type: "hand", raised }),
      knock: (on) => this.socket.send({ type: "knock", on }),
      screen: (on) => this.setScreen(on),
    });
    this.controls.enable({ mic: Boolean(stream && stream.getAudioTracks().length),
      camera: Boolean(stream && stream.getVideoTracks().length) });
    this.mesh = await Mesh.create({
      send: (m) => this.socket.send(m), rtcConfig, localStream: stream,
      onRemote: (peer, s, kind) => this.grid.upsertRemote(peer, s, kind),
      onRemoteGone: (peer, id) => this.grid.removeRemote(peer, id),
      onStats: (peer, stats) => this.grid.setStats(peer, stats),
      onSpeaker: (peer) => this.grid.setSpeaker(peer),
      onVerification: (v) => this.hearers.verification(v),
    });
    this.status = h("p", { class: "status connection-status", role: "status" });
    this.setStatus("participant.room.connecting");
    // Participants leave; the mediator ends the hearing from the console instead.
    this.leaveButton = h("button", { type: "button", class: "control control-leave",
      dataset: { action: "leave" }, hidden: this.me.kind !== "participant",
      onclick: () => this.leave() }, t("participant.leave.button"));
    this.view = h("div", { class: "hearing-view" });
    put(this.root, h("div", { class: "hearing-top" }, this.status, this.notices.el), this.view);
    this.listen();
    this.socket.open();
    this.onHide = () => {
      if (!this.finished && !this.leaving) this.pages.post("gone");
      this.stop();
    };
    window.addEventListener("pagehide", this.onHide);
  }

  listen() {
    this.socket
      .on("snapshot", (m) => {
        this.pages.post("live");
        this.setStatus("participant.room.connected");
        this.update(m.view.you, m.view.room || null, { snapshot: true });
      })
      .on("you", (m) => this.update(m.you, this.room, { message: m }))
      .on("room", (m) => this.update(this.you, m.room, { message: m }))
      .on("peer.plan", (m) => {
        this.mesh.applyPlan(m);
        if (m.room === null || m.room === "lobby") this.update(this.you, null);
      })
      .on("signal", (m) => this.mesh.onSignal(m))
      .on("chat", (m) => this.chat.add(m))
      .on("chat.history", (m) => this.chat.history(m))
      .on("documents", (m) => this.documents.changed(m))
      .on("notice", (m) => this.notice(m))
      .on("error", (m) => this.refused(m))
      .on("close", (e) => {
        // One live page per person: a newer tab or window of yours took over (its session
        // is yours too). This one stops its camera at once and offers to take it back.
        if (e.code === 4000 && e.reason === "taken_over") this.finish("elsewhere");
        else if (e.code === 4001 && e.reason === "session expired") this.finish("expired");
        else if (e.code === 4000 || e.code === 4001) this.finish(e.reason === "ended" ? "ended"
          : e.reason === "denied" ? "denied" : e.reason === "left" ? "left"
            : e.reason === "replaced" ? "replaced" : "removed");
        else if (!this.finished) this.setStatus("participant.room.reconnecting");
      });
  }

  // Connecting and reconnecting are shown as a banner (css: .connection-status); "connected"
  // is said to screen readers only (the room banner and the video show it to everyone else).
  setStatus(key) {
    this.statusKey = key;
    this.status.textContent = t(key);
    this.status.dataset.state = key.split(".").pop();
    this.status.classList.toggle("visually-hidden", key === "participant.room.connected");
  }

  update(you, room, { snapshot = false, message = null } = {}) {
    if (this.finished || this.leaving || !you) return;
    const before = this.you;
    // A move is shown once the banner names the new room: timed from the first message of it.
    if (message && before && before.room !== you.room) this.moveReceivedAt = message.receivedAt;
    this.you = you;
    this.notices.mediator(this.hearing, you); // handed to another mediator: who, in place of whom
    // What a former mediator uploaded (a joint document) is credited to them by name.
    this.documents.setFormerMediators(you.former_mediators || []);
    if (you.title && you.title !== this.titleShown) { // the hearing's name, on every screen of it
      this.titleShown = you.title;
      setHeaderStatus(h("span", { class: "header-hearing" }, you.title));
    }
    // A room view for a room you just left is stale: never show its people as hearing you.
    this.room = room && room.kind !== "lobby" && room.id === you.room ? room : null;
    const inLobby = you.room === "lobby" || you.room === null;
    if (you.room === null && before && before.room !== null) return; // removal: notice follows
    const path = inLobby ? "/lobby" : "/hearing" + (this.me.hearing ? "" : `?hearing=${encodeURIComponent(this.hearing)}`);
    if (location.pathname + location.search !== path) history.replaceState(null, "", path);
    // The move notice names the room once its view is here: `you` (room changed) and `room`
    // (the new room's view) arrive as two messages, in either order.
    const shown = inLobby ? "lobby" : this.room ? this.room.id : null;
    if (shown !== null) {
      const changed = this.shown !== undefined && shown !== this.shown;
      // What was said of the room you were in (moved there, its time is up) no longer holds.
      if (changed) this.notices.forget("move", "timer");
      // Admission needs no notice: the room appears.
      const moved = changed && !snapshot && shown !== "lobby" && this.shown !== "lobby";
      // The move notice and the banner's "the mediator is away": the most recent true state.
      const away = mediatorAway(you, this.room);
      const words = mediatorWords({ moved, away, wasAway: this.wasAway,
        notice: this.notices.showing("move") });
      if (moved) this.notices.moved(this.room, words.notice);
      else if (!words.notice) this.notices.forget("move");
      else if (words.notice !== this.notices.showing("move")) this.notices.moved(this.room, words.notice, true);
      this.banner.sayAway = words.notice !== "moved_away";
      this.wasAway = away;
      this.shown = shown;
    }
    if (inLobby) this.showLobby();
    else this.showRoom();
    this.controls.set({ hand: you.hand, knock: you.knocking });
    // The end locks the hearing too: that is the end (its notice follows), not a lock change.
    if (before && before.locked !== you.locked && you.hearing_state !== "closed") {
      announce(t(you.locked ? "participant.notice.locked" : "participant.notice.unlocked"));
    }
  }

  showLobby() {
    if (this.mode !== "lobby") {
      this.mode = "lobby";
      this.grid.clearRemote();
      this.chat.setRoom(null);
      put(this.view, this.lobby.el,
        h("div", { class: "lobby-actions" }, this.controls.el, this.leaveButton));
      this.controls.enable({ hand: false, screen: false, knock: true });
      this.lobby.setStream(this.stream, this.mediaTrouble);
    }
    this.lobby.update(this.you);
  }

  showRoom() {
    if (this.mode !== "room") {
      this.mode = "room";
      this.grid.setLocal(this.me.id || this.you.id, this.stream);
      this.showDevices();
      this.documents.open();
      put(this.view, h("div", { class: "hearing-layout" },
        this.banner.el,
        h("div", { class: "stage" }, this.devices.el, this.grid.el, h("div", { class: "stage-bar" },
          this.controls.el, this.soundButton, this.leaveButton)),
        h("aside", { class: "side-panel" }, this.hearers.el, this.chat.el),
        h("div", { class: "stage-documents" }, this.documents.el)));
      this.controls.enable({ hand: true, knock: true,
        screen: Boolean(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia) });
    }
    this.grid.selfId = this.you.id;
    if (!this.room) {
      // Between the move ("you") and the new room's view ("room"): the old room's people are
      // gone at once, the banner keeps its name rather than flash another, nobody is shown as
      // hearing you and nothing can be said until the view (and the new peer plan) is here.
      this.grid.setMembers([]);
      this.hearers.update(null, this.you.id, { moving: true });
      this.chat.setUsable(false);
      return;
    }
    this.banner.update(this.you, this.room);
    if (this.moveReceivedAt !== undefined) {
      measureToNextFrame("parley.room", this.moveReceivedAt);
      this.moveReceivedAt = undefined;
    }
    const members = (this.room && this.room.members) || [];
    this.grid.setMembers(members);
    for (const m of members) this.documents.people.set(m.id, m);
    this.chat.members = new Map(members.map((m) => [m.id, m]));
    const mine = members.find((m) => m.id === this.you.id);
    if (mine) this.mesh.setServerLinks(mine.links || []);
    this.hearers.update(this.room, this.you.id);
    this.chat.me = this.you.id;
    this.chat.setRoom(this.room);
  }

  notice(m) {
    if (m.kind === "broadcast") this.notices.broadcast(m.text);
    else if (m.kind === "timer") this.notices.info("participant.notice.time_up", "timer");
    else if (FINAL[m.kind]) this.finish(FINAL[m.kind]);
  }

  refused(m) {
    // The mesh's own messages are mended by the mesh (mesh.js `mend`): nothing to tell a person.
    if (m.about === "signal" || m.about === "peer.state") return;
    if (m.about === "leave") this.stayed();
    if (m.about === "chat") this.chat.refused(m);
    else if (m.about) toast(() => t("participant.error.action", { action: t(`participant.action.${m.about}`) }), { kind: "error" });
  }

  // ------------------------------------------------------------ media controls

  setMic(on) {
    this.socket.send(switchTrack(this.stream, "mic", on));
  }

  setCamera(on) {
    this.socket.send(switchTrack(this.stream, "camera", on));
  }

  async setScreen(on) {
    if (!on) {
      this.mesh.stopScreen();
      this.grid.removeRemote(`${this.you.id}`, "local-screen");
      return true;
    }
    let screen;
    try {
      screen = await screenMedia();
    } catch (_) {
      toast(() => t("participant.controls.screen_refused"), { kind: "error" });
      return false;
    }
    screen.getVideoTracks()[0].addEventListener("ended", () => this.controls.set({ screen: false }));
    await this.mesh.startScreen(screen);
    return true;
  }

  // {stream, trouble} (media/devices.js openLocalMedia); the stream in use changes only when
  // a new one opened.
  async switchDevices(choice) {
    const opened = await openLocalMedia(choice);
    const next = opened.stream;
    if (!next) return opened;
    stopStream(this.stream);
    this.stream = next;
    this.mediaTrouble = opened.trouble;
    this.mesh.localStream = next;
    this.controls.enable({ mic: next.getAudioTracks().length > 0, camera: next.getVideoTracks().length > 0 });
    return opened;
  }

  // In a room: what the others do not get of your camera and microphone, and why (the
  // sentence with Try again; "who can hear you" says nobody while the microphone sends nothing).
  showDevices() {
    const audio = Boolean(this.stream && this.stream.getAudioTracks().length);
    this.devices.update(this.stream, this.mediaTrouble);
    this.hearers.microphone(audio ? null : this.mediaTrouble || "none");
  }

  // Try again in a room: what opened is sent to everyone in it at once (Mesh.useLocalStream),
  // in the stream already sent, as the controls stand (a microphone you muted stays muted).
  async retryDevices() {
    const { stream, trouble } = await openLocalMedia();
    if (this.finished || this.leaving) { stopStream(stream); return; }
    if (stream) {
      this.stream = adoptTracks(this.stream, stream);
      this.mediaTrouble = trouble;
      const { mic, camera } = this.controls.state;
      this.controls.enable({ mic: this.stream.getAudioTracks().length > 0,
        camera: this.stream.getVideoTracks().length > 0 });
      this.socket.send(switchTrack(this.stream, "mic", mic));
      this.socket.send(switchTrack(this.stream, "camera", camera));
      this.mesh.useLocalStream(this.stream);
      this.grid.setLocal(this.me.id || this.you.id, this.stream);
    } else {
      this.mediaTrouble = trouble;
    }
    this.showDevices();
    announce(t(this.devices.key || "participant.room.devices_ok"));
  }

  // ------------------------------------------------------------ the end

  async leave() {
    const { confirmed } = await confirmDialog({
      title: t("participant.leave.title"),
      body: t(this.documents.busy() ? "participant.leave.body_transfers" : "participant.leave.body"),
      confirm: t("participant.leave.confirm"), danger: true });
    if (!confirmed || this.finished || this.leaving) return;
    this.leaving = true;
    // The server answers by closing every socket of yours ("left"); a socket that is down, or
    // an answer that does not come, leaves anyway: the server then waits out the grace.
    if (!this.socket.send({ type: "leave" })) this.finish("left");
    else this.leaveTimer = setTimeout(() => this.finish("left"), LEAVE_WAIT_MS);
  }

  // The server refused "leave" (e.g. the hearing just ended: its own notice follows).
  stayed() {
    clearTimeout(this.leaveTimer);
    this.leaving = false;
  }

  finish(kind) {
    if (this.finished) return;
    clearTimeout(this.leaveTimer);
    this.finished = kind;
    if (REMEMBERED.has(kind)) sessionStorage.setItem(ENDED_KEY, JSON.stringify(kind));
    this.stop(); // camera and microphone first, then words
    this.drawFinal();
    announce(t(`participant.final.${kind}_title`), { assertive: true });
  }

  drawFinal() {
    // "Use it here" opens this screen anew: its socket then takes over from the other page.
    const again = this.finished === "elsewhere"
      ? () => this.navigate(location.pathname + location.search, { replace: true })
      : () => this.navigate("/lobby");
    put(this.root, finalCard(this.freed ? "elsewhere_free" : this.finished, again));
  }

  // Another page of this hearing in this browser: "live" (it took the seat), "gone" (the live
  // page closed). Only a page that stepped aside listens (PageChannel says why it only offers).
  otherPage(type) {
    if (this.finished !== "elsewhere" || (type === "gone") === this.freed) return;
    if (type !== "gone" && type !== "live") return;
    this.freed = type === "gone";
    this.drawFinal();
    if (!this.freed) return;
    announce(t("participant.final.elsewhere_free_title"), { assertive: true });
    const button = this.root.querySelector("[data-action=use-here]");
    if (button) button.focus();
  }

  stop() {
    if (this.mesh) this.mesh.stop();
    stopStream(this.stream);
    if (this.socket) this.socket.close();
    this.documents.close();
  }

  unmount() {
    clearTimeout(this.leaveTimer);
    window.removeEventListener("pagehide", this.onHide);
    if (this.pages && !this.finished && !this.leaving) this.pages.post("gone"); // left for another screen
    if (this.pages) this.pages.close();
    this.controls.destroy();
    this.banner.destroy();
    this.stop();
  }

  // The language changed: every word on the screen again, nothing else (the video, the chat's
  // messages, a transfer in flight and the mesh stay as they are).
  rerender() {
    if (this.finished) {
      this.drawFinal();
      return;
    }
    if (!this.status) return; // still preparing: the next draw uses the new language
    this.setStatus(this.statusKey);
    this.soundButton.textContent = t("participant.room.enable_sound");
    this.leaveButton.textContent = t("participant.leave.button");
    for (const part of [this.controls, this.banner, this.notices, this.hearers, this.chat,
      this.documents, this.lobby, this.grid, this.devices]) part.relabel();
  }
}
