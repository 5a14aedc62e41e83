// The knock queue: who asked for the mediator, from which room, how long ago; always on screen
// in the console, whatever room the mediator is in.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";

function ago(at, now) {
  const minutes = Math.max(0, Math.floor((now - at) / 60000));
  return minutes < 1 ? t("mediator.knocks.just_now") : t("mediator.knocks.minutes_ago", { count: minutes });
}

// Pure: "Lobby · just now", a separator never ending a line (no break after it).
export const knockWhere = (parts) => parts.filter(Boolean).join(" \u00b7\u00a0");

// "n minutes ago" kept true while a knock is shown (the list is redrawn only when it changes).
let timer = null;
export function keepFresh(now) {
  if (timer) return;
  timer = setTimeout(() => {
    timer = null;
    const shown = document.querySelectorAll(".knock-where[data-at]");
    for (const el of shown) el.textContent = knockWhere([el.dataset.room, ago(Number(el.dataset.at), now())]);
    if (shown.length) keepFresh(now);
  }, 20000);
}

export function renderKnocks(knocks, ctx) {
  if (knocks.length) keepFresh(ctx.now);
  return h("section", { class: "knocks card", "aria-labelledby": "knocks-title", tabIndex: -1 },
    h("h2", { id: "knocks-title" }, t("mediator.knocks.title"),
      h("span", { class: "count" }, String(knocks.length))),
    knocks.length
      ? h("ul", { class: "knock-list" }, knocks.map((k) => {
        const room = ctx.roomById(k.room);
        return h("li", { class: "knock", "data-participant": k.participant },
          h("div", null, h("strong", { class: "knock-name" }, k.name),
            h("div", { class: "muted knock-where", dataset: { at: String(k.at), room: room ? ctx.roomName(room) : "—" } },
              knockWhere([room ? ctx.roomName(room) : "—", ago(k.at, ctx.now())]))),
          h("div", { class: "row-actions" },
            room && room.kind !== "lobby" && room.id !== ctx.you.room
              ? h("button", { type: "button", class: "button small", onclick: () => ctx.actions.shuttle(room),
                "aria-label": t("mediator.knocks.go_named", { name: k.name }) }, t("mediator.knocks.go")) : null,
            k.room !== ctx.you.room && ctx.canBring(k)
              ? h("button", { type: "button", class: "button small", onclick: () => ctx.actions.bring(k),
                "aria-label": t("mediator.knocks.bring_named", { name: k.name }) }, t("mediator.knocks.bring")) : null,
            h("button", { type: "button", class: "button small subtle", onclick: () => ctx.actions.dismiss(k),
              "aria-label": t("mediator.knocks.dismiss_named", { name: k.name }) }, t("mediator.knocks.dismiss"))));
      }))
      : h("p", { class: "muted" }, t("mediator.knocks.empty")));
}
