// The room banner: which room you are in (named, in the room's colour), who can be in it, the
// caucus countdown and the hearing's lock state. Colours come from design tokens by room kind
// and, for a side's caucus, the side's colour letter the server gives (`RoomView.colour`, the
// same on every screen): css/parley.css `[data-room-kind]`, `[data-colour]`. In plenary or a
// caucus without the mediator, a calm line says the mediator is meeting privately elsewhere and
// will come back; with the mediator in the room but offline (a dropped connection, a disabled
// account), a line says what to do meanwhile: wait, and how to come back after leaving.

import { formatCountdown, t } from "../core/i18n.js";
import { h, mount } from "../core/render.js";
import { roomLabel } from "../core/room-names.js";
import { announce } from "./toast.js";

// Whether to tell someone in plenary or a caucus that the mediator is away: the mediator is not
// among the room's people, which the page already shows them (the room view lists who is in the
// room). Said from that alone: never where the mediator is, with whom, or which side (a party
// sees no other room and may not learn who is in one). The mediator's own screen never says it.
export function mediatorAway(you, room) {
  return Boolean(you && room && (room.kind === "plenary" || room.kind === "caucus")
    && you.role !== "mediator" && !(room.members || []).some((m) => m.role === "mediator"));
}

// Whether the mediator is in the room but offline ("who can hear you" says they cannot hear
// you; this says what to do about it). The mediator's own screen never says it.
export function mediatorOffline(you, room) {
  return Boolean(you && room && you.role !== "mediator"
    && (room.members || []).some((m) => m.role === "mediator" && m.connected === false));
}

// What the page says of the mediator, in one place at a time, the most recent true state
// winning. `moved`: this change moved you (by the mediator) into the room; `away`, `wasAway`:
// whether the mediator is away now and was before it; `notice`: the move notice showing (null,
// "moved", or "moved_away", which says both). A move into a room without the mediator says
// both in its notice (the banner holds its line back, not to say it twice); the mediator
// leaving later makes a move notice stale ("moved you" beside "is away" read as if the
// mediator had come along, then left), so it goes and the banner says what is true. The
// mediator arriving (answering a knock, following a side into its caucus) makes it old news:
// the mediator is there, in the room the banner names, so it goes too.
// → {notice, awayLine}.
export function mediatorWords({ moved = false, away, wasAway, notice = null }) {
  const next = moved ? (away ? "moved_away" : "moved") : away !== wasAway ? null : notice;
  return { notice: next, awayLine: away && next !== "moved_away" };
}

export class RoomBanner {
  constructor() {
    this.el = h("section", { class: "room-banner", "aria-labelledby": "room-banner-name" });
    this.timer = null;
    this.state = { you: null, room: null };
    this.away = false;
    this.offline = false;
    // False while a move notice says the mediator is away (mediatorWords): not said twice.
    this.sayAway = true;
  }

  update(you, room) {
    this.state = { you, room };
    const kind = room ? room.kind : "lobby";
    this.el.dataset.roomKind = kind;
    this.el.dataset.room = room ? room.id : "lobby";
    if (room && room.colour) this.el.dataset.colour = room.colour;
    else delete this.el.dataset.colour;
    // A side's caucus holds that side, the mediator, and anyone the mediator brings in (an
    // interpreter, an expert: observers have no side), so that is what it says; "who can hear
    // you" names who is there now.
    const sideCaucus = room && room.side ? (you && you.side === room.side
      ? "participant.room.caucus_side_who" : "participant.room.caucus_other_side_who") : null;
    const who = kind === "caucus"
      ? t(sideCaucus || "participant.room.caucus_who")
      : kind === "plenary" ? t("participant.room.plenary_who") : t("participant.room.lobby_who");
    this.countdown = h("p", { class: "room-countdown", role: "timer", "aria-live": "off" });
    // The kind of room above its name, unless a language names both alike (全體會議 twice).
    const kindWords = t(`participant.room.kind_${kind}`);
    const name = roomLabel(room);
    const truly = mediatorAway(you, room);
    const away = truly && this.sayAway;
    const offline = mediatorOffline(you, room);
    // Spoken once when the mediator leaves the room, not at every redraw of the banner (nor
    // when a move notice says it: it is spoken with that).
    if (away && !this.away) announce(t("participant.room.mediator_away"));
    if (offline && !this.offline) announce(t("participant.room.mediator_offline"));
    this.away = truly;
    this.offline = offline;
    // Drawn afresh at each update: a heading that had focus (the page's arrival) keeps it.
    const focused = this.heading() === document.activeElement && document.activeElement !== null;
    mount(this.el,
      h("div", { class: "room-banner-text" },
        kindWords !== name ? h("p", { class: "room-kind" }, kindWords) : null,
        h("h2", { id: "room-banner-name", class: "room-name" }, name),
        h("p", { class: "room-who" }, who),
        away ? h("p", { class: "room-away", "data-away": "mediator" }, t("participant.room.mediator_away")) : null,
        offline ? h("p", { class: "room-away", "data-away": "offline" }, t("participant.room.mediator_offline")) : null),
      h("div", { class: "room-banner-side" },
        this.countdown,
        you && you.locked && you.hearing_state !== "closed" ? h("p", { class: "badge badge-lock", "data-locked": "true" },
          t("participant.room.locked")) : null));
    if (focused) {
      this.heading().tabIndex = -1;
      this.heading().focus({ preventScroll: true });
    }
    this.tick();
    clearInterval(this.timer);
    if (room && room.deadline) this.timer = setInterval(() => this.tick(), 1000);
  }

  // The room's name, the banner's heading (null before the first update).
  heading() {
    return this.el.querySelector(".room-name");
  }

  relabel() {
    if (this.state.you || this.state.room) this.update(this.state.you, this.state.room);
  }

  tick() {
    const room = this.state.room;
    if (!room || !room.deadline) {
      this.countdown.textContent = "";
      this.countdown.hidden = true;
      return;
    }
    const left = (room.deadline - Date.now()) / 1000;
    this.countdown.hidden = false;
    this.countdown.dataset.secondsLeft = String(Math.max(0, Math.round(left)));
    this.countdown.textContent = left > 0
      ? t("participant.room.time_left", { time: formatCountdown(left) })
      : t("participant.room.time_up");
  }

  destroy() {
    clearInterval(this.timer);
  }
}
