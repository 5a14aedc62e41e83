// A menu button (WAI-ARIA menu pattern): the button opens a list of actions; arrow keys move,
// Enter/Space choose, Escape closes and returns focus to the button. Used for "Move to…".

import { h, uid } from "../core/render.js";

let openMenu = null;

function close(menu, focusButton = true) {
  if (!menu) return;
  menu.list.hidden = true;
  menu.list.style.cssText = "";
  menu.button.setAttribute("aria-expanded", "false");
  if (focusButton) menu.button.focus();
  if (openMenu === menu) openMenu = null;
}

document.addEventListener("click", (event) => {
  if (openMenu && !openMenu.root.contains(event.target)) close(openMenu, false);
});

// A menu inside a row that scrolls (the mediator's board, `[data-menu-over]`) would be cut off
// by it: it opens over the page instead, below its button (above it, where the screen ends
// first), follows its button when the page or the row scrolls, and closes once the button is out
// of sight.
function placeOver(menu) {
  const { button, list } = menu;
  if (!button.closest("[data-menu-over]")) return;
  const r = button.getBoundingClientRect();
  list.style.position = "fixed";
  list.style.right = `${Math.max(0, document.documentElement.clientWidth - r.right)}px`;
  const below = r.bottom + 4 + list.offsetHeight <= window.innerHeight || r.top < list.offsetHeight + 4;
  list.style.top = `${below ? r.bottom + 4 : r.top - 4 - list.offsetHeight}px`;
}

// Pure: whether a scroll of `target` moves `button` (and so the menu placed over the page by it):
// the page's own scroll, or a box holding the button (the board's row). A chat log scrolled to
// its newest line, beside the board, moves nothing (it closed a menu a mediator was choosing in).
export function scrollMoves(target, button) {
  return target === document || target === document.documentElement
    || Boolean(target && typeof target.contains === "function" && target.contains(button));
}

// Whether `button` can still be seen: inside the window and the box that scrolled (`target`).
function inSight(button, target) {
  const r = button.getBoundingClientRect();
  const box = target instanceof Element && target !== document.documentElement ? target.getBoundingClientRect()
    : { top: 0, left: 0, bottom: window.innerHeight, right: document.documentElement.clientWidth };
  return r.bottom > Math.max(0, box.top) && r.top < Math.min(window.innerHeight, box.bottom)
    && r.right > box.left && r.left < box.right;
}

document.addEventListener("scroll", (event) => {
  const menu = openMenu;
  if (!menu || menu.list.style.position !== "fixed" || !scrollMoves(event.target, menu.button)) return;
  if (inSight(menu.button, event.target)) placeOver(menu);
  else close(menu, false);
}, { capture: true, passive: true });

// items: [{label, onSelect, danger?}], or a function returning them: the list is built when the
// menu first opens, so a board of many people does not build every person's menu up front.
export function menuButton(label, items, { className = "button small", ariaLabel = null } = {}) {
  const id = uid("menu");
  const button = h("button", { type: "button", class: className, "aria-haspopup": "menu",
    "aria-expanded": "false", "aria-controls": id, "aria-label": ariaLabel }, label);
  const list = h("ul", { id, role: "menu", class: "menu", hidden: true });
  const root = h("div", { class: "menu-wrap" }, button, list);
  const menu = { button, list, root };
  let buttons = null;
  let chosen = [];
  const build = () => {
    chosen = typeof items === "function" ? items() : items;
    const entries = chosen.map((item) => h("li", { role: "none" },
      h("button", { type: "button", role: "menuitem", tabIndex: -1,
        class: item.danger ? "menuitem danger" : "menuitem" }, item.label)));
    list.replaceChildren(...entries);
    buttons = entries.map((li) => li.firstChild);
    buttons.forEach((item, i) => {
      item.addEventListener("click", () => { close(menu); chosen[i].onSelect(); });
      item.addEventListener("keydown", (event) => {
        if (event.key === "ArrowDown") { event.preventDefault(); focusItem(i + 1); }
        else if (event.key === "ArrowUp") { event.preventDefault(); focusItem(i - 1); }
        else if (event.key === "Home") { event.preventDefault(); focusItem(0); }
        else if (event.key === "End") { event.preventDefault(); focusItem(buttons.length - 1); }
        else if (event.key === "Escape" || event.key === "Tab") { close(menu, event.key === "Escape"); }
      });
    });
  };
  const focusItem = (i) => buttons[(i + buttons.length) % buttons.length].focus();
  const open = (at = 0) => {
    if (openMenu && openMenu !== menu) close(openMenu, false);
    if (!buttons) build();
    list.hidden = false;
    placeOver(menu);
    button.setAttribute("aria-expanded", "true");
    openMenu = menu;
    focusItem(at < 0 ? buttons.length - 1 : at);
  };
  button.addEventListener("click", () => (list.hidden ? open() : close(menu)));
  button.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") { event.preventDefault(); open(0); }
    if (event.key === "ArrowUp") { event.preventDefault(); open(-1); }
  });
  return root;
}
