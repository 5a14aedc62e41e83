// The mediator's hearings: state, scheduled time (local and the hearing's own zone), sides and
// people, with the way into set-up and the console. The empty state says what to do first.
//
// An administrator sees every hearing, with its mediator named (and said to be disabled when
// that account is), and instead of the console (an admin holds no mediator controls) the way
// to hand a hearing that has not ended over to another enabled mediator ("Hand over…"; the
// admin's accounts page links here with `?hand_over=<hearing>` to open that dialog at once,
// and, from its Disable dialog, `&then=disable:<account>`: the list then offers the way back to
// disabling that mediator, saying how many hearings they still hold: components/disable-return.js).
// The dialog says that the new mediator will read the former one's notes and what the parties
// shared with the mediator in confidence (that compartment follows the hearing's mediator).
//
// A mediator's list also says which hearings were lately handed away from them, to whom and
// when (the list's `handed_away`), so a list that lost a hearing, or is empty, says why; and,
// on a hearing an administrator handed to them, from whom and when (its `took_over`).

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { formatDateTime, t, zonePair } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";
import { formDialog } from "../components/dialog.js";
import { field } from "../components/form.js";
import { backToDisable, disableReturn } from "../components/disable-return.js";
import { createHearingForm } from "../components/hearing-form.js";
import { toast } from "../components/toast.js";

function when(hearing) {
  if (!hearing.scheduled_at) return h("span", { class: "muted" }, t("mediator.hearings.unscheduled"));
  const pair = zonePair(hearing.scheduled_at, hearing.time_zone);
  return h("div", { class: "when" },
    h("div", null, pair.local),
    pair.hearing && !pair.same ? h("div", { class: "muted" }, t("mediator.hearings.there", { time: pair.hearing })) : null);
}

// An account's name as the administrator's pages show it.
const accountName = (a) => (a && (a.display_name || a.username)) || "";

// `admin`: null for a mediator; for an administrator {accounts: id → account, handOver}.
function row(hearing, admin) {
  const open = hearing.state !== "closed";
  const mediator = admin ? admin.accounts.get(hearing.mediator) : null;
  return h("tr", { "data-hearing": hearing.id },
    h("th", { scope: "row" },
      h("a", { href: `/hearings/${hearing.id}/setup`, class: "title-link" }, hearing.title),
      admin ? h("div", { class: "muted hearing-mediator", "data-mediator": hearing.mediator },
        t(mediator && mediator.disabled ? "mediator.hearings.mediator_disabled" : "mediator.hearings.mediator",
          { name: accountName(mediator) || hearing.mediator })) : null,
      // Handed to this mediator by an administrator: from whom and when.
      !admin && hearing.took_over ? h("div", { class: "muted took-over-mark" }, hearing.took_over.from_name
        ? t("mediator.hearings.took_over_named", { name: hearing.took_over.from_name, when: formatDateTime(hearing.took_over.at) })
        : t("mediator.hearings.took_over", { when: formatDateTime(hearing.took_over.at) })) : null),
    h("td", null, h("span", { class: `badge state-${hearing.state}` }, t(`mediator.state.${hearing.state}`))),
    h("td", null, when(hearing)),
    h("td", { class: "nowrap" }, `${t("mediator.hearings.count_sides", { count: hearing.sides ?? 0 })} · ${
      t("mediator.hearings.count_people", { count: hearing.people ?? 0 })}`),
    h("td", null, h("div", { class: "row-actions" },
      h("a", { class: "button small", href: `/hearings/${hearing.id}/setup` }, t("mediator.hearings.setup")),
      !open ? null : admin ? h("button", { type: "button", class: "button small primary", "data-action": "hand-over",
        "aria-label": t("mediator.hearings.hand_over_named", { title: hearing.title }), onclick: () => admin.handOver(hearing) },
      t("mediator.hearings.hand_over"))
        : h("a", { class: "button small primary", href: `/hearings/${hearing.id}` }, t("mediator.hearings.console")))));
}

// The administrator's dialog: pick another enabled mediator account; true when handed over.
async function handOverDialog(hearing, accounts) {
  const current = accounts.get(hearing.mediator);
  const candidates = [...accounts.values()].filter((a) => a.role === "mediator" && !a.disabled && a.id !== hearing.mediator);
  if (!candidates.length) {
    toast(() => t("mediator.handover.none"), { kind: "error" });
    return false;
  }
  const choice = h("select", { name: "account" }, candidates.map((a) => h("option", { value: a.id },
    a.display_name ? `${a.display_name} (${a.username})` : a.username)));
  const saved = await formDialog({ title: t("mediator.handover.title", { title: hearing.title }),
    content: [h("p", null, t("mediator.handover.text", { name: accountName(current) || hearing.mediator })),
      h("p", { class: "handover-notes" }, t("mediator.handover.notes", { name: accountName(current) || hearing.mediator })),
      field(t("mediator.handover.to"), choice)],
    confirm: t("mediator.handover.confirm") });
  if (!saved) return false;
  const chosen = candidates.find((a) => a.id === choice.value);
  try {
    await api("POST", `/api/v1/hearings/${hearing.id}/mediator`, { account: choice.value });
    toast(() => t("mediator.handover.done", { title: hearing.title, name: accountName(chosen) }));
    return true;
  } catch (failure) {
    toast(() => describe(failure, "mediator.handover"), { kind: "error" });
    return false;
  }
}

// Hearings an administrator handed away from this mediator lately ({id, title, to_name, at}),
// the latest first: each said in one line, with what it means for them.
function handedAway(gone) {
  if (!gone.length) return null;
  return h("section", { class: "handed-away", "aria-labelledby": "handed-away-title" },
    h("h2", { id: "handed-away-title" }, t("mediator.hearings.handed_away_title")),
    h("ul", null, gone.map((x) => h("li", { "data-hearing": x.id }, x.to_name
      ? t("mediator.hearings.handed_away_named", { title: x.title, name: x.to_name, when: formatDateTime(x.at) })
      : t("mediator.hearings.handed_away", { title: x.title, when: formatDateTime(x.at) })))),
    h("p", { class: "muted" }, t("mediator.hearings.handed_away_hint")));
}

export async function mount(root, { navigate, me, query }) {
  const list = h("div", { class: "hearings-list", "aria-busy": "true" }, h("p", { class: "muted" }, t("common.loading")));
  const create = createHearingForm({ onCreated: (hearing) => navigate(`/hearings/${hearing.id}/setup`) });
  create.hidden = true;
  const newButton = h("button", { type: "button", class: "button primary", id: "new-hearing",
    "aria-expanded": "false" }, t("mediator.hearings.new"));
  // The empty list's own "New hearing" button goes while the form is open: one at a time.
  const showEmptyNew = () => {
    const again = list.querySelector(".empty-new");
    if (again) again.hidden = !create.hidden;
  };
  newButton.addEventListener("click", () => {
    create.hidden = !create.hidden;
    newButton.setAttribute("aria-expanded", String(!create.hidden));
    showEmptyNew();
    if (!create.hidden) create.querySelector("input").focus();
  });
  mountNodes(root, h("section", { class: "hearings" },
    h("div", { class: "page-head" }, h("h1", null, t("mediator.hearings.title")),
      h("div", { class: "actions" }, newButton)),
    create, list));
  const isAdmin = Boolean(me && me.role === "admin");
  let asked = isAdmin ? query.get("hand_over") : null;  // the accounts page's link: once
  const then = isAdmin ? query.get("then") : null;  // and where it came from: kept
  const load = async () => {
    try {
      const [{ hearings, handed_away: gone = [] }, staff] = await Promise.all([api("GET", "/api/v1/hearings"),
        isAdmin ? api("GET", "/api/v1/accounts") : null]);
      list.removeAttribute("aria-busy");
      if (!hearings.length) {
        // Empty because every hearing of theirs was handed away: not "No hearings yet", said
        // to someone who just ran one, but why, with the way to a new one.
        const handed = gone.length > 0;
        mountNodes(list, h("div", { class: "empty" },
          h("h2", null, t(handed ? "mediator.hearings.empty_handed_title" : "mediator.hearings.empty_title")),
          h("p", null, t(handed ? "mediator.hearings.empty_handed_text" : "mediator.hearings.empty_text")),
          h("button", { type: "button", class: "button primary empty-new", onclick: () => newButton.click() },
            t("mediator.hearings.new"))), handedAway(gone));
        showEmptyNew();
        return;
      }
      const accounts = new Map(((staff && staff.accounts) || []).map((a) => [a.id, a]));
      const handOver = async (hearing) => {
        if (!await handOverDialog(hearing, accounts)) return;
        await load();
        list.querySelector(".disable-return a")?.focus();
      };
      const admin = isAdmin ? { accounts, handOver } : null;
      const back = isAdmin ? disableReturn(then, accounts) : null;
      const sorted = [...hearings].sort((a, b) => (a.state === "closed") - (b.state === "closed")
        || (a.scheduled_at || a.created_at) - (b.scheduled_at || b.created_at));
      mountNodes(list, back ? backToDisable(back, hearings) : null, h("table", { class: "data" },
        h("caption", { class: "visually-hidden" }, t("mediator.hearings.title")),
        h("thead", null, h("tr", null,
          h("th", { scope: "col" }, t("mediator.hearings.col_title")),
          h("th", { scope: "col" }, t("mediator.hearings.col_state")),
          h("th", { scope: "col" }, t("mediator.hearings.col_when")),
          h("th", { scope: "col" }, t("mediator.hearings.col_people")),
          h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("mediator.hearings.col_actions"))))),
        h("tbody", null, sorted.map((hearing) => row(hearing, admin)))), handedAway(gone));
      const wanted = asked && hearings.find((x) => x.id === asked && x.state !== "closed");
      asked = null;
      if (wanted) handOver(wanted);
    } catch (failure) {
      list.removeAttribute("aria-busy");
      mountNodes(list, h("p", { class: "form-error", role: "alert" }, describe(failure, "mediator.hearings")));
    }
  };
  await load();
  return {};
}
