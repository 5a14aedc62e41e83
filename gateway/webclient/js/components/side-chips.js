// The side chips above the mediator's board (screens/console-view.js): each side's name, dragged
// as one onto a room; "N waiting" with "Admit…" while some of it waits; and "Move side…".

import { currentLanguage, t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { SIDE_TYPE, admits, roomName } from "./board.js";
import { menuButton } from "./menu.js";

// Pure: the side's people waiting in the waiting room now, their page open (whom the server
// would admit; a side move leaves them there).
export function waitingOf(board, side) {
  const lobby = board.rooms.find((r) => r.kind === "lobby");
  return lobby ? lobby.members.filter((m) => m.side === side && m.connected && !m.reconnecting) : [];
}

// The side chips as a `keyed` item (core/render.js): redrawn when a side, a room it can go to, or
// who of it waits changes.
export function sideChipsItem(sides, board, ctx) {
  return { key: "sides", build: () => sideChips(sides, board, ctx),
    signature: JSON.stringify([currentLanguage(), [...sides.values()].map((s) => [s.id, s.name, s.colour,
      waitingOf(board, s.id).map((m) => m.id)]),
    board.rooms.map((r) => [r.id, r.kind, r.name, r.side, r.side_name])]) };
}

// Each side: its name (dragged as one), "N waiting" with "Admit…" while some of it waits, and
// "Move side…".
function sideChips(sides, board, ctx) {
  const targets = board.rooms.filter((r) => r.kind !== "lobby");
  return h("div", { class: "side-chips", role: "group", "aria-label": t("mediator.board.sides") },
    [...sides.values()].map((side) => {
      const waiting = waitingOf(board, side.id);
      const count = waiting.length;
      const chip = h("div", { class: "side-chip", "data-colour": side.colour, "data-side": side.id, draggable: true },
        h("span", { class: "swatch", "data-colour": side.colour, "aria-hidden": "true" }),
        h("span", { class: "grip" }, side.name),
        count ? h("span", { class: "side-waiting" }, t("mediator.board.side_waiting", { count })) : null,
        count ? menuButton(t("mediator.board.admit"), targets.filter((room) => admits(room, waiting[0])).map((room) => ({
          label: t("mediator.board.admit_to", { room: roomName(room) }),
          onSelect: () => ctx.actions.admitSide(side, room, waiting) })),
        { ariaLabel: t("mediator.board.admit_side_named", { side: side.name, count }) }) : null,
        menuButton(t("mediator.board.move_side"), targets.map((room) => ({
          label: t("mediator.board.move_to", { room: roomName(room) }),
          onSelect: () => ctx.actions.moveSide(side.id, room) })),
        { ariaLabel: t("mediator.board.move_side_named", { side: side.name }) }));
      chip.addEventListener("dragstart", (event) => {
        event.dataTransfer.setData(SIDE_TYPE, side.id);
        event.dataTransfer.setData("text/plain", side.name);
        document.body.classList.add("dragging");
      });
      chip.addEventListener("dragend", () => document.body.classList.remove("dragging"));
      return chip;
    }));
}
