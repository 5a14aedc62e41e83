// The set-up page's sides (screens/setup.js): each with its colour, added, renamed or
// recoloured, and removed while nobody belongs to them. `screen` is the page's state
// ({hearing, page, admin, sideNote, load, render, dropSideNote, refused}): what the last change to a side
// came to (`sideNote`: {error, say, side}) is said beside that side, or under the list.

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { confirmDialog, formDialog } from "../components/dialog.js";
import { clearWhenEdited, countedField, field, formError, submitting } from "../components/form.js";
import { announce } from "../components/toast.js";

export const COLOURS = ["a", "b", "c", "d", "e", "f"];

// Why the server refused to add, change or remove a side (`Error.reason`) → the sentence.
// What keeps a side, shortly, beside its disabled Remove (the page knows before asking).
const SIDE_KEPT = {
  side_joined: "mediator.side.kept_joined",
  side_invited: "mediator.side.kept_invited",
  side_caucus: "mediator.side.kept_caucus",
};

const SIDE_REASONS = {
  side_name_taken: "mediator.setup.side_taken",
  side_colour_taken: "mediator.setup.colour_taken",
  side_joined: "mediator.side.refused_joined",
  side_invited: "mediator.side.refused_invited",
  side_caucus: "mediator.side.refused_caucus",
};

function sideRefusal(failure, action, side = null) {
  const key = failure && SIDE_REASONS[failure.reason];
  return key ? t(key, { side: side ? side.name : "" }) : describe(failure, action);
}

const sideKey = (text) => text.trim().split(/\s+/).join(" ").toLowerCase();

// Pure: what keeps `side` in the hearing as far as its detail shows (the reason the server
// would give, in the order of services/signalling/sides.py REMOVAL_RULES), or null. The page
// says it at once instead of asking to confirm a removal the server would refuse.
export function sideKept(hearing, side) {
  const people = hearing.roster.filter((e) => e.side === side.id);
  if (people.some((e) => e.invitation === "redeemed" || e.status === "active" || e.status === "denied")) {
    return "side_joined";
  }
  if (people.some((e) => e.status !== "removed")) return "side_invited";
  if ((hearing.rooms || []).some((r) => r.kind === "caucus" && r.side === side.id)) return "side_caucus";
  return null;
}

export function sidesSection(screen) {
  const name = h("input", { name: "side", maxlength: "200", autocomplete: "off", required: true });
  const taken = new Set(screen.hearing.sides.map((s) => s.colour));
  const free = COLOURS.find((c) => !taken.has(c)) || "a";
  // A colour another side has is not offered: sides are told apart by colour on every screen.
  const colour = h("select", { name: "colour" }, COLOURS.map((c) =>
    h("option", { value: c, selected: c === free, disabled: taken.has(c) }, t(`mediator.colour.${c}`))));
  const error = formError();
  const submit = h("button", { type: "submit", class: "button" }, t("mediator.setup.add_side"));
  // Both set-up forms check their fields on submit in the page's words (novalidate).
  const form = h("form", { class: "inline-form", id: "add-side", novalidate: true },
    countedField(t("mediator.setup.side_name"), name), field(t("mediator.setup.side_colour"), colour),
    submit, error);
  clearWhenEdited(form, error);
  form.addEventListener("input", screen.dropSideNote);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(submit, error, async () => {
      screen.dropSideNote();
      if (!name.value.trim()) { error.textContent = t("mediator.setup.side_missing"); return; }
      if (screen.hearing.sides.some((s) => sideKey(s.name) === sideKey(name.value))) {
        error.textContent = t("mediator.setup.side_taken");
        return;
      }
      try {
        await api("POST", `/api/v1/hearings/${screen.hearing.id}/sides`, { name: name.value.trim(), colour: colour.value });
        await screen.load();
        document.querySelector("#add-side input")?.focus();
      } catch (failure) {
        if (await screen.refused(failure)) return; // handed to another mediator meanwhile
        error.textContent = sideRefusal(failure, "mediator.side");
      }
    });
  });
  const open = screen.hearing.state !== "closed" && !screen.admin;
  return h("section", { class: "card", "aria-labelledby": "sides-title" },
    h("h2", { id: "sides-title" }, t("mediator.setup.sides")),
    screen.hearing.sides.length
      ? h("ul", { class: "side-list" }, screen.hearing.sides.map((s) => sideRow(screen, s, open)))
      : h("p", { class: "muted" }, t(screen.admin ? "mediator.setup.admin_no_sides" : "mediator.setup.no_sides")),
    screen.sideNote && !screen.sideNote.side ? noteOf(screen.sideNote) : null,
    open ? form : null);
}

// An error is an alert; what went well is announced once (announce) and stays shown. Focus
// can be put on it (the side's refusal is where the mediator looks next).
function noteOf(note) {
  return h("p", { class: note.error ? "form-error side-note" : "side-note", tabindex: "-1",
    role: note.error ? "alert" : null }, note.say());
}

// One side: its name and colour, Edit, and Remove, which is disabled with the short reason
// when the page already knows the server would refuse it (sideKept; the server decides).
function sideRow(screen, s, open) {
  const kept = open ? sideKept(screen.hearing, s) : null;
  const reasonId = `side-kept-${s.id}`;
  return h("li", { "data-colour": s.colour, "data-side": s.id },
    h("span", { class: "side-label" },
      h("span", { class: "swatch", "data-colour": s.colour, "aria-hidden": "true" }), s.name,
      h("span", { class: "muted" }, ` · ${t(`mediator.colour.${s.colour}`)}`)),
    open ? h("span", { class: "row-actions" },
      h("button", { type: "button", class: "button small", dataset: { action: "edit-side" },
        "aria-label": t("mediator.setup.edit_side_named", { side: s.name }), onclick: () => editSide(screen, s) },
      t("mediator.setup.edit_side")),
      h("button", { type: "button", class: "button small danger-outline", dataset: { action: "remove-side" },
        disabled: Boolean(kept), "aria-describedby": kept && !(screen.sideNote && screen.sideNote.side === s.id) ? reasonId : null,
        "aria-label": t("mediator.setup.remove_side_named", { side: s.name }), onclick: () => removeSide(screen, s) },
      t("mediator.setup.remove_side"))) : null,
    // The refusal about this side, when there is one, says the reason in full: not twice.
    screen.sideNote && screen.sideNote.side === s.id ? noteOf(screen.sideNote)
      : kept ? h("span", { class: "side-kept muted", id: reasonId }, t(SIDE_KEPT[kept])) : null);
}

// A side's name and colour, under the rules of adding one (said in the dialog before sending).
async function editSide(screen, side) {
  screen.dropSideNote();
  const name = h("input", { name: "side_name", maxlength: "200", autocomplete: "off", value: side.name });
  const others = screen.hearing.sides.filter((s) => s.id !== side.id);
  const taken = new Set(others.map((s) => s.colour));
  const colour = h("select", { name: "side_colour" }, COLOURS.map((c) =>
    h("option", { value: c, selected: c === side.colour, disabled: taken.has(c) }, t(`mediator.colour.${c}`))));
  const ok = await formDialog({ title: t("mediator.side.edit_title", { side: side.name }),
    confirm: t("mediator.side.save"),
    content: [h("p", { class: "muted" }, t("mediator.side.edit_hint")),
      countedField(t("mediator.setup.side_name"), name), field(t("mediator.setup.side_colour"), colour)],
    validate: () => {
      if (!name.value.trim()) return t("mediator.setup.side_missing");
      if (others.some((s) => sideKey(s.name) === sideKey(name.value))) return t("mediator.setup.side_taken");
      if (taken.has(colour.value)) return t("mediator.setup.colour_taken");
      return null;
    } });
  if (!ok) return;
  const change = {};
  if (name.value.trim() !== side.name) change.name = name.value.trim();
  if (colour.value !== side.colour) change.colour = colour.value;
  if (!Object.keys(change).length) return;
  try {
    const done = await api("PATCH", `/api/v1/hearings/${screen.hearing.id}/sides/${side.id}`, change);
    screen.sideNote = { error: false, side: side.id, say: () => t("mediator.side.saved", { side: done.side.name }) };
    announce(screen.sideNote.say());
  } catch (failure) {
    screen.sideNote = { error: true, side: side.id, say: () => sideRefusal(failure, "mediator.side_edit", side) };
  }
  await screen.load();
  focusSide(screen, side.id, "edit-side");
}

// Only a side nobody belongs to (its Remove is disabled otherwise); a refusal the page could
// not foresee (someone invited or a caucus opened elsewhere since) is said beside the side.
async function removeSide(screen, side) {
  const kept = sideKept(screen.hearing, side);
  if (kept) {
    screen.sideNote = { error: true, side: side.id, say: () => t(SIDE_REASONS[kept], { side: side.name }) };
    screen.render();
    focusSide(screen, side.id, "remove-side");
    return;
  }
  screen.dropSideNote();
  const answer = await confirmDialog({ title: t("mediator.side.remove_title", { side: side.name }),
    body: t("mediator.side.remove_body"), confirm: t("mediator.side.remove_confirm"), danger: true });
  if (!answer.confirmed) return;
  try {
    await api("DELETE", `/api/v1/hearings/${screen.hearing.id}/sides/${side.id}`);
    screen.sideNote = { error: false, side: null, say: () => t("mediator.side.removed", { side: side.name }) };
    announce(screen.sideNote.say());
  } catch (failure) {
    screen.sideNote = { error: true, side: side.id, say: () => sideRefusal(failure, "mediator.side_edit", side) };
  }
  await screen.load();
  focusSide(screen, side.id, "remove-side");
}

// Keyboard focus on what the mediator reads next: the side's refusal, else back on the
// side's button (one disabled now: its Edit), or on the form when the side is gone.
function focusSide(screen, id, action) {
  const row = screen.page.querySelector(`.side-list li[data-side="${CSS.escape(id)}"]`);
  const note = row && screen.sideNote && screen.sideNote.error ? row.querySelector(".side-note") : null;
  const button = row && [`[data-action="${action}"]`, "[data-action=\"edit-side\"]"]
    .map((q) => row.querySelector(q)).find((b) => b && !b.disabled);
  (note || button || screen.page.querySelector("#add-side input"))?.focus();
}
