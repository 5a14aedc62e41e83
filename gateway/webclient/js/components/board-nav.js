// Getting around the mediator's board with many rooms. The rooms stand in one row of columns of
// one width that scrolls sideways (a tall waiting room never pushes a caucus below it); above
// them, one button per room (name and head count) shows its column and takes a dropped person
// or side, so no drag needs the board scrolled; while some columns are out of view, the row
// says so and those buttons are marked. A redraw keeps the row where it was scrolled and the
// focus where it was. On a tablet the knock queue sits below the board: a line above the board
// says who is knocking and goes there.

import { currentLanguage, t } from "../core/i18n.js";
import { h, keyed } from "../core/render.js";
import { acceptDrops, boardRow, drawColumns, roomColour, roomName } from "./board.js";
import { sideChipsItem } from "./side-chips.js";

const ORDER = { lobby: 0, plenary: 1, caucus: 2 };

// Pure: which columns (by id) are not wholly in view, from their left and right edges and the
// row's visible span (`from`..`to`, in the same coordinates); one pixel of slack for rounding.
export function outOfView(columns, from, to) {
  return columns.filter((c) => c.left < from - 1 || c.right > to + 1).map((c) => c.id);
}

// The room's column in view (sideways only: the page stays where it is) and focused.
function show(area, room) {
  const column = area.querySelector(`.room-column[data-room="${CSS.escape(room.id)}"]`);
  if (!column) return;
  column.scrollIntoView({ block: "nearest", inline: "nearest", behavior: "smooth" });
  column.focus({ preventScroll: true });
}

// The strip as a `keyed` item (core/render.js): redrawn when a room or its head count changes.
function roomStripItem(rooms, area, ctx) {
  return { key: "strip", build: () => roomStrip(rooms, area, ctx),
    signature: JSON.stringify([currentLanguage(),
      rooms.map((r) => [r.id, r.kind, r.name, r.side, r.side_name, r.colour, r.members.length])]) };
}

function roomStrip(rooms, area, ctx) {
  const sorted = [...rooms].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  return h("nav", { class: "room-strip", "aria-label": t("mediator.board.rooms_nav") },
    h("ul", null, sorted.map((room) => h("li", null, acceptDrops(h("button", {
      type: "button", class: "room-link", "data-room-link": room.id, "data-room-kind": room.kind,
      "data-colour": roomColour(room), title: t("mediator.board.room_link_hint"),
      onclick: () => show(area, room) },
    h("span", { class: "room-link-name" }, roomName(room)),
    h("span", { class: "room-link-count" }, h("span", { "aria-hidden": "true" }, String(room.members.length)),
      h("span", { class: "visually-hidden" }, t("mediator.board.count", { count: room.members.length }))),
    h("span", { class: "room-link-away" }, t("mediator.board.out_of_view_mark"))), room, ctx)))),
    h("p", { class: "room-strip-hint", "aria-live": "polite" }));
}

// What is out of view now: the row marked (a fade on the side with more), each room's button
// marked, and the hint said while any is.
function follow(area) {
  const row = area.querySelector(".board");
  if (!row) return;
  const box = row.getBoundingClientRect();
  const columns = [...row.querySelectorAll(".room-column")].map((c) => {
    const r = c.getBoundingClientRect();
    return { id: c.dataset.room, left: r.left, right: r.right };
  });
  const away = new Set(outOfView(columns, box.left, box.right));
  row.dataset.moreLeft = String(row.scrollLeft > 1);
  row.dataset.moreRight = String(row.scrollLeft + row.clientWidth < row.scrollWidth - 1);
  for (const link of area.querySelectorAll("[data-room-link]")) {
    if (away.has(link.dataset.roomLink)) link.dataset.away = "true";
    else delete link.dataset.away;
  }
  const hint = area.querySelector(".room-strip-hint");
  const words = away.size ? t("mediator.board.out_of_view", { count: away.size }) : "";
  if (hint && hint.textContent !== words) hint.textContent = words;
}

const watched = new WeakSet();

const scrolled = new WeakSet();

// The board area: the side chips, the room strip and the row of columns, each redrawn only where
// it changed (core/render.js `keyed`: a move redraws two columns, and the browser lays out only
// those); `force` (a new snapshot, a new language) draws it all anew.
export function drawBoardArea(area, board, ctx, force = false) {
  redrawBoard(area, () => {
    if (force) area.replaceChildren();
    keyed(area, [sideChipsItem(ctx.sides, board, ctx), roomStripItem(board.rooms, area, ctx),
      { key: "row", signature: currentLanguage(), build: boardRow }]);
    drawColumns(area.querySelector(".board"), board, ctx);
  });
}

// Redraw the board area by `update()`, which keeps in place what did not change (core/render.js
// `keyed`): focus that was on a control now gone goes to the control of the same name, or to
// its caucus's menu where it was on a time-up notice now gone; a row drawn anew is scrolled
// where the old one was.
function redrawBoard(area, update) {
  const active = area.contains(document.activeElement) ? document.activeElement : null;
  const label = active && active.getAttribute("aria-label");
  // A room's button or its column (focused from that button) has no name of its own: its room.
  const place = active && (active.dataset.roomLink ? `[data-room-link="${CSS.escape(active.dataset.roomLink)}"]`
    : active.matches(".room-column") ? `.room-column[data-room="${CSS.escape(active.dataset.room)}"]` : null);
  // A time-up notice goes with its buttons ("Add 5 minutes" pressed): focus to its caucus's menu.
  const upIn = active && active.closest(".time-up")?.dataset.timeUp;
  const left = area.querySelector(".board")?.scrollLeft || 0;
  update();
  const row = area.querySelector(".board");
  if (row && !scrolled.has(row)) {
    scrolled.add(row);
    if (left) row.scrollLeft = left;
    row.addEventListener("scroll", () => follow(area), { passive: true });
  }
  if (active && !active.isConnected) {
    const again = label ? [...area.querySelectorAll("[aria-label]")].find((el) => el.getAttribute("aria-label") === label)
      : place && area.querySelector(place);
    const home = !again && upIn && area.querySelector(`[data-room="${CSS.escape(upIn)}"] .room-head [aria-haspopup]`);
    (again || home)?.focus({ preventScroll: true });
  }
  if (!watched.has(area) && typeof ResizeObserver === "function") {
    watched.add(area);
    new ResizeObserver(() => follow(area)).observe(area);
  }
  follow(area);
}

// "2 people are knocking": above the board where the knock queue is out of sight (a tablet);
// it goes to the queue. Null while nobody knocks.
export function knockBadge(knocks, target) {
  if (!knocks.length) return null;
  return h("button", { type: "button", class: "knock-badge", "data-count": knocks.length,
    onclick: () => {
      const queue = target.querySelector(".knocks") || target;
      queue.scrollIntoView({ block: "start", behavior: "smooth" });
      queue.focus({ preventScroll: true });
    } }, t("mediator.knocks.badge", { count: knocks.length }));
}
