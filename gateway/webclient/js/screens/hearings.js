// The mediator's hearings: state, scheduled time (local and the hearing's own zone), sides and
// people, with the way into set-up and the console. The empty state says what to do first.

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { t, zonePair } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";
import { createHearingForm } from "../components/hearing-form.js";

function when(hearing) {
  if (!hearing.scheduled_at) return h("span", { class: "muted" }, t("mediator.hearings.unscheduled"));
  const pair = zonePair(hearing.scheduled_at, hearing.time_zone);
  return h("div", { class: "when" },
    h("div", null, pair.local),
    pair.hearing && !pair.same ? h("div", { class: "muted" }, t("mediator.hearings.there", { time: pair.hearing })) : null);
}

function row(hearing) {
  const open = hearing.state !== "closed";
  return h("tr", { "data-hearing": hearing.id },
    h("th", { scope: "row" },
      h("a", { href: `/hearings/${hearing.id}/setup`, class: "title-link" }, hearing.title)),
    h("td", null, h("span", { class: `badge state-${hearing.state}` }, t(`mediator.state.${hearing.state}`))),
    h("td", null, when(hearing)),
    h("td", { class: "nowrap" }, `${t("mediator.hearings.count_sides", { count: hearing.sides ?? 0 })} · ${
      t("mediator.hearings.count_people", { count: hearing.people ?? 0 })}`),
    h("td", null, h("div", { class: "row-actions" },
      h("a", { class: "button small", href: `/hearings/${hearing.id}/setup` }, t("mediator.hearings.setup")),
      open ? h("a", { class: "button small primary", href: `/hearings/${hearing.id}` }, t("mediator.hearings.console")) : null)));
}

export async function mount(root, { navigate }) {
  const list = h("div", { class: "hearings-list", "aria-busy": "true" }, h("p", { class: "muted" }, t("common.loading")));
  const create = createHearingForm({ onCreated: (hearing) => navigate(`/hearings/${hearing.id}/setup`) });
  create.hidden = true;
  const newButton = h("button", { type: "button", class: "button primary", id: "new-hearing",
    "aria-expanded": "false" }, t("mediator.hearings.new"));
  newButton.addEventListener("click", () => {
    create.hidden = !create.hidden;
    newButton.setAttribute("aria-expanded", String(!create.hidden));
    if (!create.hidden) create.querySelector("input").focus();
  });
  mountNodes(root, h("section", { class: "hearings" },
    h("div", { class: "page-head" }, h("h1", null, t("mediator.hearings.title")),
      h("div", { class: "actions" }, newButton)),
    create, list));
  try {
    const { hearings } = await api("GET", "/api/v1/hearings");
    list.removeAttribute("aria-busy");
    if (!hearings.length) {
      mountNodes(list, h("div", { class: "empty" },
        h("h2", null, t("mediator.hearings.empty_title")),
        h("p", null, t("mediator.hearings.empty_text")),
        h("button", { type: "button", class: "button primary", onclick: () => newButton.click() },
          t("mediator.hearings.new"))));
      return {};
    }
    const sorted = [...hearings].sort((a, b) => (a.state === "closed") - (b.state === "closed")
      || (a.scheduled_at || a.created_at) - (b.scheduled_at || b.created_at));
    mountNodes(list, h("table", { class: "data" },
      h("caption", { class: "visually-hidden" }, t("mediator.hearings.title")),
      h("thead", null, h("tr", null,
        h("th", { scope: "col" }, t("mediator.hearings.col_title")),
        h("th", { scope: "col" }, t("mediator.hearings.col_state")),
        h("th", { scope: "col" }, t("mediator.hearings.col_when")),
        h("th", { scope: "col" }, t("mediator.hearings.col_people")),
        h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("mediator.hearings.col_actions"))))),
      h("tbody", null, sorted.map(row))));
  } catch (failure) {
    list.removeAttribute("aria-busy");
    mountNodes(list, h("p", { class: "form-error", role: "alert" }, describe(failure, "mediator.hearings")));
  }
  return {};
}
