// The mediator's rooms board: one column per room (lobby, plenary, each caucus), its people,
// a designated drop area, and the same moves from the keyboard through each person's
// "Move to…" menu. Pure rendering from the server's board: nothing moves on screen until the
// server says so (a card being moved is marked pending until the next board arrives). A caucus
// whose timer ran out says "Time is up" on its column, with "Add 5 minutes" and "Dismiss",
// until the mediator acts on it (`ctx.timeUp`: the console keeps which caucuses, TimeUps).
// A caucus's menu sets a timer (5 to 30 minutes, or any length up to 240 in a dialog: a new
// total, from now) and, while one runs, adds 5 minutes to it (the server adds to its deadline).

import { currentLanguage, formatCountdown, t } from "../core/i18n.js";
import { h, keyed } from "../core/render.js";
import { menuButton } from "./menu.js";
import { personName } from "./person.js";
import { caucusName } from "../core/room-names.js";

const DRAG_TYPE = "application/x-parley-person";
export const SIDE_TYPE = "application/x-parley-side";

export function roomName(room) {
  if (room.kind === "lobby") return t("mediator.room.lobby");
  if (room.kind === "plenary") return t("mediator.room.plenary");
  return caucusName(room);
}

// Whether `room` takes `person` (services/signalling/core_controls.py `place`): a caucus held
// for one side admits only that side's members, the mediator and observers. The board offers
// only the moves the server would make, so the mediator never meets a refusal to decode.
export function admits(room, person) {
  return !(room.kind === "caucus" && room.side && !["mediator", "observer"].includes(person.role)
    && person.side !== room.side);
}

export function roomColour(room) {
  return room.kind === "caucus" ? room.colour || "a" : null;
}

function personFacts(person, sides) {
  const side = person.side ? sides.get(person.side) : null;
  return [
    h("span", { class: "person-role" }, t(`mediator.role.${person.role}`)),
    side ? h("span", { class: "person-side", "data-colour": side.colour },
      h("span", { class: "swatch", "data-colour": side.colour, "aria-hidden": "true" }), side.name) : null,
  ];
}

function movesFor(person, room, rooms, actions) {
  const items = [];
  if (room.kind === "lobby") {
    // Only someone waiting (their page open) is admitted: the server refuses the others, who
    // would otherwise come back straight into a room, camera on (or reconnecting: not yet back).
    const targets = person.connected && !person.reconnecting ? rooms.filter((r) => r.kind !== "lobby" && admits(r, person)) : [];
    for (const target of targets) {
      items.push({ label: t("mediator.board.admit_to", { room: roomName(target) }),
        onSelect: () => actions.admit(person, target) });
    }
    items.push({ label: t("mediator.board.deny"), danger: true, onSelect: () => actions.deny(person) });
  } else {
    for (const target of rooms.filter((r) => r.id !== room.id && admits(r, person))) {
      items.push({ label: t("mediator.board.move_to", { room: roomName(target) }),
        onSelect: () => actions.move(person, target) });
    }
  }
  items.push({ label: t("mediator.board.remove"), danger: true, onSelect: () => actions.remove(person) });
  return items;
}

function personCard(person, room, rooms, ctx) {
  const me = person.id === ctx.you.id;
  const name = personName(person);
  // "reconnecting": dropped a moment ago, within the grace (screens/console-presence.js).
  const status = person.reconnecting ? "reconnecting" : person.connected ? "online" : "offline";
  const card = h("li", { class: "person", "data-participant": person.id, "data-status": status,
    "data-pending": ctx.pending.has(person.id) ? "true" : null, draggable: !me,
    "aria-label": t("mediator.board.person_label", { name, role: t(`mediator.role.${person.role}`),
      state: t(`mediator.board.${status}`) }) },
    h("div", { class: "person-main" },
      h("span", { class: "dot", "data-status": status, "aria-hidden": "true" }),
      h("span", { class: "person-name grip" }, name),
      me ? h("span", { class: "badge" }, t("mediator.board.you")) : null),
    // States in words, not pictographs: every system font has the words, and a screen reader
    // reads them as they are shown.
    h("div", { class: "person-facts" }, personFacts(person, ctx.sides),
      person.hand ? h("span", { class: "fact-hand" }, t("mediator.board.hand")) : null,
      person.muted ? h("span", { class: "fact-muted" }, t("mediator.board.muted")) : null,
      // Waiting again after a lost connection (the server's grace ran out): not someone new.
      person.grace_expired && person.connected && !person.reconnecting && room.kind === "lobby"
        ? h("span", { class: "fact-returned" }, t("mediator.board.returned")) : null,
      !person.connected ? h("span", { class: "offline-text" }, t("mediator.board.offline")) : null,
      person.reconnecting ? h("span", { class: "fact-reconnecting" }, t("mediator.board.reconnecting")) : null),
    me ? null : h("div", { class: "person-actions" },
      menuButton(t(room.kind === "lobby" ? "mediator.board.admit" : "mediator.board.move"),
        () => movesFor(person, room, rooms, ctx.actions),
        { ariaLabel: t(room.kind === "lobby" ? "mediator.board.admit_named" : "mediator.board.move_named", { name }) })));
  if (!me) {
    card.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData(DRAG_TYPE, person.id);
      event.dataTransfer.setData("text/plain", name);
      event.dataTransfer.effectAllowed = "move";
      document.body.classList.add("dragging");
    });
    card.addEventListener("dragend", () => document.body.classList.remove("dragging"));
  }
  return card;
}

// A person or a side dropped on `el` moves into `room`: each column's drop area, and each room's
// button above the board (components/board-nav.js), so no drag needs the board scrolled.
export function acceptDrops(el, room, ctx) {
  const accepts = (event) => [...event.dataTransfer.types].some((type) => type === DRAG_TYPE || type === SIDE_TYPE);
  el.addEventListener("dragover", (event) => {
    if (!accepts(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    el.classList.add("over");
  });
  el.addEventListener("dragleave", () => el.classList.remove("over"));
  el.addEventListener("drop", (event) => {
    event.preventDefault();
    el.classList.remove("over");
    document.body.classList.remove("dragging");
    const side = event.dataTransfer.getData(SIDE_TYPE);
    const pid = event.dataTransfer.getData(DRAG_TYPE);
    if (side) ctx.actions.moveSide(side, room);
    else if (pid) ctx.actions.dropPerson(pid, room);
  });
  return el;
}

const dropZone = (room, ctx) => acceptDrops(h("div", { class: "drop-zone", "data-drop-room": room.id },
  t("mediator.board.drop_here", { room: roomName(room) })), room, ctx);

// What the console remembers of caucus timers that ran out, and till when: a caucus's time is
// up from the server's notice until the mediator sets a timer on it again (a deadline other
// than the one that ran out), closes it, dismisses the notice, or everyone it was for leaves
// it (the server ends an emptied caucus's timer: there is nobody to add time for). Kept in the
// tab's sessionStorage (`store`), so a reload still shows it. Pure but for that store.
export class TimeUps {
  constructor(store = null, key = "") {
    this.store = store;
    this.key = key;
    // caucus id → {deadline: the one that ran out (null: already cleared), peopled: someone
    // other than the mediator was in it since}
    this.rooms = new Map();
    try {
      const kept = store ? JSON.parse(store.getItem(key) || "{}") : {};
      for (const [id, v] of Object.entries(kept)) {
        this.rooms.set(id, v && typeof v === "object" ? { deadline: v.deadline ?? null, peopled: Boolean(v.peopled) }
          : { deadline: v ?? null, peopled: false });
      }
    } catch (_) { /* nothing kept */ }
  }

  has(id) {
    return this.rooms.has(id);
  }

  // The server's notice: `room` as the board shows it now (its deadline may not be cleared yet).
  up(id, room) {
    this.rooms.set(id, { deadline: room && room.deadline ? room.deadline : null, peopled: peopled(room) });
    this.save();
  }

  dismiss(id) {
    if (this.rooms.delete(id)) this.save();
  }

  // A new board: what it settles goes (the caucus closed, a new timer set on it, or emptied).
  // Whether anything changed.
  follow(rooms) {
    let changed = false;
    for (const [id, was] of [...this.rooms]) {
      const room = rooms.find((r) => r.id === id);
      if (!room || (room.deadline && room.deadline !== was.deadline) || (was.peopled && !peopled(room))) {
        this.rooms.delete(id);
        changed = true;
      } else if (!was.peopled && peopled(room)) {
        this.rooms.set(id, { ...was, peopled: true });
        changed = true;
      }
    }
    if (changed) this.save();
    return changed;
  }

  save() {
    try {
      if (this.store) this.store.setItem(this.key, JSON.stringify(Object.fromEntries(this.rooms)));
    } catch (_) { /* storage full or off: this page still shows it */ }
  }
}

// Whether anyone but the mediator is in `room` (whom its timer is for).
function peopled(room) {
  return Boolean(room && (room.members || []).some((m) => m.role !== "mediator"));
}

// The caucus's time is up: said in words (not by colour alone), with what the mediator can do.
const ADD_SECONDS = 5 * 60;
function timeUpNotice(room, ctx) {
  const name = roomName(room);
  return h("div", { class: "time-up", "data-time-up": room.id },
    h("p", { class: "time-up-title" }, h("strong", null, t("mediator.timer.time_up"))),
    h("p", { class: "time-up-text" }, t("mediator.timer.time_up_text")),
    h("div", { class: "time-up-actions" },
      h("button", { type: "button", class: "button small primary", "data-action": "add-time",
        "aria-label": t("mediator.timer.add_named", { room: name }),
        onclick: () => ctx.actions.addTime(room, ADD_SECONDS) }, t("mediator.timer.add")),
      h("button", { type: "button", class: "button small", "data-action": "dismiss-time-up",
        "aria-label": t("mediator.timer.dismiss_named", { room: name }),
        onclick: () => ctx.actions.dismissTimeUp(room) }, t("mediator.timer.dismiss"))));
}

function roomHeader(room, ctx) {
  const here = ctx.you.room === room.id;
  const remaining = room.deadline ? (room.deadline - ctx.now()) / 1000 : null;
  const timeUp = room.kind === "caucus" && Boolean(ctx.timeUp && ctx.timeUp.has(room.id));
  return h("header", { class: "room-head" },
    h("h3", { id: `room-${room.id}-title` }, roomName(room),
      h("span", { class: "count" }, t("mediator.board.count", { count: room.members.length }))),
    h("div", { class: "room-tools" },
      here ? h("span", { class: "badge here" }, t("mediator.board.here"))
        : room.kind !== "lobby" ? h("button", { type: "button", class: "button small",
          "aria-label": t("mediator.board.go_named", { room: roomName(room) }),
          onclick: () => ctx.actions.shuttle(room) }, t("mediator.board.go")) : null,
      // Time up (the deadline that ran out may still be on this board): said, never "0:00"
      // ticking on (the console's ticker counts down only a timer with a deadline).
      room.kind === "caucus" ? h("span", { class: "timer", "data-deadline": timeUp ? "" : room.deadline || "",
        "data-time-up": timeUp ? "true" : null,
        role: "timer", "aria-label": t("mediator.timer.label", { room: roomName(room) }) },
      timeUp ? t("mediator.timer.time_up")
        : remaining !== null ? t("mediator.timer.left", { time: formatCountdown(remaining) })
          : t("mediator.timer.none")) : null,
      room.kind === "caucus" ? menuButton(t("mediator.board.caucus_menu"), [
        ...[5, 10, 15, 30].map((m) => ({ label: t("mediator.timer.set", { count: m }), onSelect: () => ctx.actions.timer(room, m * 60) })),
        { label: t("mediator.timer.other"), onSelect: () => ctx.actions.otherTimer(room) },
        ...(room.deadline && !timeUp ? [{ label: t("mediator.timer.add"), onSelect: () => ctx.actions.addTime(room, ADD_SECONDS) }] : []),
        ...(room.deadline ? [{ label: t("mediator.timer.clear"), onSelect: () => ctx.actions.timer(room, 0) }] : []),
        { label: t("mediator.board.close_caucus"), danger: true, onSelect: () => ctx.actions.closeCaucus(room) },
      ], { ariaLabel: t("mediator.board.caucus_menu_named", { room: roomName(room) }) }) : null),
    timeUp ? timeUpNotice(room, ctx) : null);
}

// The row the columns stand in; `drawColumns` fills it.
export function boardRow() {
  return h("div", { class: "board", role: "list", "aria-label": t("mediator.board.label"), "data-menu-over": "" });
}

// What a person's card shows and acts on (not the peer-link reports the server adds).
const personFields = (m) => [m.id, m.name, m.role, m.side, m.muted, m.hand, m.connected, m.reconnecting, m.grace_expired];

// The board's columns, each redrawn only when what it shows or acts on changed (core/render.js
// `keyed`): its room and people, whether the mediator is in it, its pending cards, its time-up
// notice, and the rooms and sides its menus name and move people to. A move redraws the two
// columns it touched; the browser lays out only those.
export function drawColumns(row, board, ctx) {
  const order = { lobby: 0, plenary: 1, caucus: 2 };
  const sorted = [...board.rooms].sort((a, b) => order[a.kind] - order[b.kind]);
  const shape = JSON.stringify([currentLanguage(), ctx.you.id,
    sorted.map((r) => [r.id, r.kind, r.name, r.side, r.side_name, r.colour, r.deadline]),
    [...ctx.sides.values()].map((s) => [s.id, s.name, s.colour])]);
  return keyed(row, sorted.map((room) => ({
    key: room.id,
    signature: JSON.stringify([shape, room.members.map(personFields), ctx.you.room === room.id,
      room.members.filter((m) => ctx.pending.has(m.id)).map((m) => m.id),
      Boolean(ctx.timeUp && ctx.timeUp.has(room.id))]),
    build: () => h("section", { class: "room-column", role: "listitem", "data-room": room.id,
      "data-room-kind": room.kind, "data-colour": roomColour(room), tabIndex: -1,
      "aria-labelledby": `room-${room.id}-title` },
    roomHeader(room, ctx),
    room.members.length
      ? h("ul", { class: "people" }, room.members.map((p) => personCard(p, room, sorted, ctx)))
      : h("p", { class: "empty-room" }, t(`mediator.board.empty_${room.kind}`)),
    dropZone(room, ctx)),
  })));
}
