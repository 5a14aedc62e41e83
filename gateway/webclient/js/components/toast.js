// Live regions and toasts: room changes, broadcasts, knocks and errors are announced to screen
// readers (polite, or assertive for what needs action) and shown briefly on screen.
//
// A toast's words may be a function (`toast(() => t("admin.done.create", {name}))`): they are
// said again in the new language when the language changes while it is shown. Toasts sit where
// they cover no control of the page (core/placement.js: along the bottom, else up the screen),
// placed again when the page scrolls, the window changes size or the screen is redrawn; inside
// the window at any width, even in the moment before that (parley.css).

import { onLanguageChange, t } from "../core/i18n.js";
import { clearSpot } from "../core/placement.js";
import { h } from "../core/render.js";

const TOAST_MS = 6000;
// What a toast must not cover: anything a person can press, type in or pick.
const CONTROLS = "a[href], button, input, select, textarea, summary, iframe, [contenteditable=\"true\"], "
  + "[tabindex]:not([tabindex=\"-1\"])";

const relabels = new Map(); // toast element → () => void (its words in the current language)
const PLACE_AGAIN_MS = 100; // at most this often while the page changes under a toast
let watching = false;
let pending = 0;
let redraws = null; // MutationObserver of the page while a toast is shown

export function announce(text, { assertive = false } = {}) {
  const region = document.getElementById(assertive ? "live-assertive" : "live-polite");
  if (!region) return;
  region.textContent = "";
  // A fresh text node after clearing makes screen readers speak a repeated message again.
  setTimeout(() => { region.textContent = text; }, 30);
}

// `words`: the sentence, or a function giving it in the current language.
export function toast(words, { kind = "info", assertive = kind === "error" } = {}) {
  const say = typeof words === "function" ? words : () => words;
  announce(say(), { assertive });
  const box = document.getElementById("toasts");
  if (!box) return;
  const text = h("span", null, say());
  const close = h("button", { type: "button", class: "toast-close", "aria-label": t("common.close"),
    onclick: () => remove(item) }, "×");
  const item = h("div", { class: `toast toast-${kind}`, "data-kind": kind }, text, close);
  relabels.set(item, () => {
    text.textContent = say();
    close.setAttribute("aria-label", t("common.close"));
  });
  box.append(item);
  watch();
  redraws.observe(document.body, { childList: true, subtree: true });
  place();
  setTimeout(() => remove(item), TOAST_MS);
}

function remove(item) {
  item.remove();
  relabels.delete(item);
  if (!relabels.size) redraws.disconnect();
  place();
}

function watch() {
  if (watching) return;
  watching = true;
  onLanguageChange(() => {
    for (const relabel of relabels.values()) relabel();
    place();
  });
  const later = () => {
    if (!pending && relabels.size) pending = setTimeout(() => { pending = 0; place(); }, PLACE_AGAIN_MS);
  };
  window.addEventListener("scroll", later, { passive: true, capture: true });
  window.addEventListener("resize", later, { passive: true });
  const box = document.getElementById("toasts");
  redraws = new MutationObserver((changes) => {
    if (changes.some((c) => !box || !box.contains(c.target))) later();
  });
}

// Put the toasts where they cover no control (the dialogs' controls included: a toast is behind
// an open dialog anyway, which is drawn on top of the page).
function place() {
  const box = document.getElementById("toasts");
  if (!box || !box.children.length) return;
  const obstacles = [];
  for (const el of document.querySelectorAll(CONTROLS)) {
    if (box.contains(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 1 && r.height > 1) obstacles.push(r);
  }
  const { clientWidth: width, clientHeight: height } = document.documentElement;
  const size = box.getBoundingClientRect();
  const spot = clearSpot({ viewport: { width, height }, size: { width: size.width, height: size.height }, obstacles });
  // Held by its distance from the bottom right corner, and its size: parley.css keeps it inside
  // the window from these at once when the window changes size (this places it again after).
  const set = (name, px) => box.style.setProperty(`--toast-${name}`, `${Math.round(px)}px`);
  set("right", width - spot.left - size.width);
  set("bottom", height - spot.top - size.height);
  set("w", size.width);
  set("h", size.height);
  box.dataset.clear = String(spot.clear);
}
