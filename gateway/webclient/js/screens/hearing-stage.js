// What the participant sees between the first snapshot and the end (screens/hearing.js): the
// waiting room or the room — banner, video grid, controls, who can hear you, chat, documents —
// redrawn from each `you` and `room` message, with the move notices that go with a change of
// room. Methods of `HearingScreen`, kept here so the screen holds only its lifecycle.

import { t } from "../core/i18n.js";
import { h, mount as put, uid } from "../core/render.js";
import { measureToNextFrame } from "../core/timing.js";
import { setHeaderStatus } from "../components/header.js";
import { offlineSince, presencePeople, shownPresence } from "../components/presence.js";
import { timerNews } from "../components/caucus-time.js";
import { sideRole } from "../components/person-side.js";
import { mediatorAway, mediatorWords } from "../components/room-banner.js";
import { announce } from "../components/toast.js";

// Arriving in the waiting room or a room while focus is nowhere (on <body>: the page has just
// opened, or what had focus left with the view before): its heading takes focus, so a screen
// reader says where you are, as the router does for every other screen. Focus the person put
// somewhere (the chat, a button, a dialog) is never taken.
function headingOnArrival(heading) {
  const now = document.activeElement;
  if (!heading || !heading.isConnected || (now && now !== document.body)) return;
  heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
}

export const stage = {
  update(you, room, { snapshot = false, message = null } = {}) {
    if (this.finished || this.leaving || !you) return;
    const before = this.you;
    // A move is shown once the banner names the new room: timed from the first message of it.
    if (message && before && before.room !== you.room) this.moveReceivedAt = message.receivedAt;
    this.you = you;
    // The state it was in before any end (the "you" saying it closed comes before the notice
    // that ends the visit): an end heard while it was still scheduled is a cancellation.
    if (you.hearing_state !== "closed") this.liveState = you.hearing_state;
    this.notices.mediator(this.hearing, you); // handed to another mediator: who, in place of whom
    // What a former mediator uploaded (a joint document) is credited to them by name.
    this.documents.setFormerMediators(you.former_mediators || []);
    this.documents.sideCount = you.sides || 0; // "every other side" when there are 3 or more
    if (you.title && you.title !== this.titleShown) { // the hearing's name, on every screen of it
      this.titleShown = you.title;
      setHeaderStatus(h("span", { class: "header-hearing" }, you.title));
    }
    // A room view for a room you just left is stale: never show its people as hearing you.
    const was = this.room;
    this.room = room && room.kind !== "lobby" && room.id === you.room ? room : null;
    // The caucus's timer changed in the same room: time added after time up, or removed.
    if (was && this.room && was.id === this.room.id) {
      const news = timerNews({ before: was.deadline || null, after: this.room.deadline || null,
        showing: this.notices.showing("timer"), now: Date.now() });
      if (news) this.notices.timer(news.say, news.count);
    }
    // Who went offline when: said only once their grace ran out (presence.js, drawPresence).
    this.offline = offlineSince(this.offline || new Map(), presencePeople(you, this.room), Date.now());
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
  },

  showLobby() {
    if (this.mode !== "lobby") {
      this.mode = "lobby";
      this.grid.clearRemote();
      this.chat.setRoom(null);
      this.view.before(this.top); // the notices above the waiting room, out of the room's top
      // A message written in the room you were in and not sent: said here, with its text.
      put(this.view, this.chat.unsent, this.lobby.el,
        h("div", { class: "lobby-actions" }, this.controls.el, this.leaveButton), this.knockHint);
      this.controls.enable({ hand: false, screen: false, knock: true });
      this.lobby.setStream(this.stream, this.mediaTrouble);
    }
    this.drawPresence();
    headingOnArrival(this.lobby.title);
  },

  showRoom() {
    if (this.mode !== "room") {
      this.mode = "room";
      this.grid.setLocal(this.me.id || this.you.id, this.stream);
      this.showDevices();
      this.documents.open();
      // The banner with the connection and the notices under it: one block, which stays at
      // the top of the screen while a broadcast or "reconnecting" shows (css: .room-top), so
      // the mediator's words never hide which room you are in and who is in it.
      put(this.view, h("div", { class: "hearing-layout" },
        h("div", { class: "room-top" }, this.banner.el, this.top),
        h("div", { class: "stage" }, this.devices.el, this.grid.el, h("div", { class: "stage-bar" },
          this.controls.el, this.soundButton, this.leaveButton), this.knockHint, this.knockHereNote()),
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
      this.knockNote(this.you);
      return;
    }
    this.drawPresence(); // the banner, the tiles and who can hear you
    if (this.moveReceivedAt !== undefined) {
      measureToNextFrame("parley.room", this.moveReceivedAt);
      this.moveReceivedAt = undefined;
    }
    const members = (this.room && this.room.members) || [];
    for (const m of members) this.documents.people.set(m.id, m);
    this.chat.members = new Map(members.map((m) => [m.id, m]));
    const mine = members.find((m) => m.id === this.you.id);
    if (mine) this.mesh.setServerLinks(mine.links || []);
    this.chat.me = this.you.id;
    this.chat.setRoom(this.room);
    headingOnArrival(this.banner.heading());
  },

  // What says who is offline, as presence.js says it now: the waiting line, the banner, the
  // tiles, who can hear you and the knock's hint; again when a grace runs out.
  drawPresence() {
    clearTimeout(this.presenceTimer);
    if (this.finished || !this.you) return;
    const now = Date.now();
    const shown = shownPresence(this.you, this.room, this.offline || new Map(), now);
    if (shown.recheckAt !== null) {
      this.presenceTimer = setTimeout(() => this.drawPresence(), Math.max(0, shown.recheckAt - now) + 20);
    }
    this.knockNote(shown.you);
    if (this.mode === "lobby") this.lobby.update(shown.you);
    else if (this.mode === "room" && shown.room) {
      this.banner.update(shown.you, shown.room);
      this.grid.setMembers(shown.room.members || [], this.you);
      this.hearers.describe = (m) => sideRole(m, this.you); // whose side each person is on
      this.hearers.update(shown.room, this.you.id);
    }
  },

  // A knock is kept by the server until the mediator answers it, even while they are offline:
  // "Ask for the mediator" stays, and says they will see it when they are back.
  knockNote(you) {
    const offline = Boolean(you && you.role !== "mediator" && you.mediator_online === false);
    this.knockHint.hidden = !offline;
    this.knockHint.textContent = offline ? t("participant.controls.knock_offline") : "";
    // A knock made with the mediator in your room stays too (a word with them, asked for in
    // plenary; signalling's membership.py clears it only when they come in): the page says they
    // are here, beside "Waiting for the mediator — cancel".
    const room = this.room;
    const here = Boolean(!offline && you && you.knocking && room && room.id === you.room
      && (room.members || []).some((m) => m.role === "mediator" && m.connected !== false));
    const note = this.knockHereNote();
    note.hidden = !here;
    note.textContent = here ? t("participant.controls.knock_here") : "";
  },

  // The note that the mediator is here, made once, and described to the knock button.
  knockHereNote() {
    if (!this.knockHere) {
      this.knockHere = h("p", { class: "hint knock-hint-here", id: uid("knock"), role: "status", hidden: true });
      const button = this.controls.buttons.knock;
      button.setAttribute("aria-describedby", [button.getAttribute("aria-describedby"), this.knockHere.id].filter(Boolean).join(" "));
    }
    return this.knockHere;
  }
};
