// The participant's hearing (`/lobby`, `/hearing`): one WebSocket and one mesh for the whole
// visit, the lobby's waiting screen until the mediator admits you, then the room — banner,
// video grid, controls, who can hear you, verification code, chat, documents — and a final
// screen when you leave, are removed, are not admitted, the hearing ends, or you open it in
// another tab or window (camera and microphone are stopped at once, before anything is
// drawn). Leaving asks first, then the server closes every socket of yours with "left" and
// keeps your session: the final screen offers the way back to the waiting room
// (hearing-final.js). The socket's messages (hearing-socket.js), the waiting room and the room
// drawn from them (hearing-stage.js) and your own devices (hearing-media.js) live beside it.
//
// A participant's session names its hearing. Staff who open it (a mediator or an administrator
// following `/hearing?hearing=<id>`) are sent to the hearing's console instead, which holds the
// mediator's room, video and chat beside the board: a second media client of the same person
// would only take the camera from it.

import { whoAmIOrWhy } from "../core/api.js";
import { t } from "../core/i18n.js";
import { h, mount as put, uid } from "../core/render.js";
import { HearingSocket, socketUrl } from "../core/socket.js";
import { ChatPanel } from "../components/chat-panel.js";
import { DeviceNotice } from "../components/device-notice.js";
import { confirmDialog } from "../components/dialog.js";
import { DocumentsPanel } from "../components/documents-panel.js";
import { HearingControls } from "../components/hearing-controls.js";
import { Hearers } from "../components/hearers.js";
import { LobbyView } from "../components/lobby-view.js";
import { Notices } from "../components/notices.js";
import { RoomBanner } from "../components/room-banner.js";
import { soundButton } from "../components/sound-button.js";
import { announce } from "../components/toast.js";
import { VideoGrid } from "../components/video-grid.js";
import { openLocalMedia, stopStream } from "../media/devices.js";
import { iceConfiguration } from "../media/ice.js";
import { Mesh } from "../media/mesh.js";
import { DOCUMENTS_KEY, ENDED_BY, ENDED_KEY, PageChannel, REMEMBERED, endOf, finalCard,
  rememberedDocuments } from "./hearing-final.js";
import { mediaControls } from "./hearing-media.js";
import { socketWiring } from "./hearing-socket.js";
import { stage } from "./hearing-stage.js";

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
  const ended = me ? null : endOf(why);
  if (ended) {
    const documents = rememberedDocuments();
    put(root, finalCard(ended, null, documents));
    return { rerender: () => put(root, finalCard(ended, null, documents)) };
  }
  if (me) [ENDED_KEY, DOCUMENTS_KEY].forEach((key) => sessionStorage.removeItem(key)); // a new visit
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
    this.liveState = null; // the hearing's last state before any end (hearing-stage.js)
    this.room = null;
    this.stream = null;
    this.finished = false;
    this.documentsFate = null; // what the ended notice said of the documents (hearing-final.js)
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
      // Refused before the upgrade (core/socket.js): why the session ended, as the close says it.
      probe: async () => {
        const { me, ended } = await whoAmIOrWhy();
        if (me) return null;
        return Object.hasOwn(ENDED_BY, ended || "") ? { code: 4000, reason: ENDED_BY[ended] }
          : { code: 4001, reason: "session expired" };
      },
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
    this.chat = new ChatPanel({ send: (m, hold) => this.socket.send(m, hold) });
    this.documents = new DocumentsPanel({ hearing: this.hearing, me: this.me });
    this.lobby = new LobbyView({ onDevices: (choice) => this.switchDevices(choice) });
    this.controls = new HearingControls({
      mic: (on) => this.setMic(on),
      camera: (on) => this.setCamera(on),
      hand: (raised) => this.socket.send({ type: "hand", raised }),
      knock: (on) => this.socket.send({ type: "knock", on }),
      screen: (on) => this.setScreen(on),
    });
    // Beside "Ask for the mediator" while the mediator is offline (hearing-stage.js knockNote).
    this.knockHint = h("p", { class: "hint knock-hint", id: uid("knock"), role: "status", hidden: true });
    this.controls.buttons.knock.setAttribute("aria-describedby", this.knockHint.id);
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
    // The connection and the notices: above the waiting room; in a room, under its banner, and
    // kept at the top with it while a broadcast or "reconnecting" shows (hearing-stage.js).
    this.top = h("div", { class: "hearing-top" }, this.status, this.notices.el);
    put(this.root, this.top, this.view);
    this.listen();
    this.socket.open();
    this.onHide = () => {
      if (!this.finished && !this.leaving) this.pages.post("gone");
      this.stop();
    };
    window.addEventListener("pagehide", this.onHide);
  }

  // Connecting and reconnecting are shown as a banner (css: .connection-status); "connected"
  // is said to screen readers only (the room banner and the video show it to everyone else).
  // The state is the key's last word up to "_" ("reconnecting_closed": still reconnecting).
  setStatus(key) {
    this.statusKey = key;
    this.status.textContent = t(key);
    this.status.dataset.state = key.split(".").pop().split("_")[0];
    this.status.classList.toggle("visually-hidden", key === "participant.room.connected");
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
    if (this.documentsFate) sessionStorage.setItem(DOCUMENTS_KEY, JSON.stringify(this.documentsFate));
    this.stop(); // camera and microphone first, then words
    this.drawFinal();
    announce(t(`participant.final.${kind}_title`), { assertive: true });
  }

  drawFinal() {
    // "Use it here" opens this screen anew: its socket then takes over from the other page.
    const again = this.finished === "elsewhere"
      ? () => this.navigate(location.pathname + location.search, { replace: true })
      : () => this.navigate("/lobby");
    put(this.root, finalCard(this.freed ? "elsewhere_free" : this.finished, again, this.documentsFate));
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
    clearTimeout(this.presenceTimer);
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
    this.drawPresence();
  }
}

// The screen's other jobs, one module each: the socket's messages, what is drawn from them,
// and your own camera, microphone and screen.
Object.assign(HearingScreen.prototype, socketWiring, stage, mediaControls);
