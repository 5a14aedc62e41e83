// Hearing set-up: the hearing's title and time (local and its own zone; "Edit details" changes
// them, and says when people already invited need to be told), sides with their colours (added,
// renamed or recoloured, and removed while nobody belongs to them), invitations (shown once, in
// two messages, in the language chosen for the person: English, 繁體中文 or 简体中文, the
// mediator's own unless changed; the link opens the person's pages in it too), who has
// redeemed, revoke, open and close.
//
// An administrator may read a hearing's set-up but holds none of its controls (the gateway
// lets only the hearing's mediator change it): the page shows them nothing they would be
// refused, and says instead that they view it as an administrator, with the way to hand it
// over to a mediator (the hearings list's dialog, as the console's address offers it).

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { LANGUAGES, currentLanguage, formatDateTime, t, wordsIn, zonePair } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";
import { confirmDialog, formDialog } from "../components/dialog.js";
import { endHearing } from "../components/end-hearing.js";
import { clearWhenEdited, countedField, field, formError, submitting } from "../components/form.js";
import { editHearingDetails } from "../components/hearing-details.js";
import { invitationCard } from "../components/invitation-card.js";
import { announce, toast } from "../components/toast.js";

export const COLOURS = ["a", "b", "c", "d", "e", "f"];
const ROLES = ["party", "counsel", "observer"];
// Side names longer than this give the invitation form's Side picker a row of its own.
const LONG_SIDE_NAME = 24;

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

// The calendar file, its description in `lang` (an invitation's language; else the page's).
export async function downloadCalendar(hearing, lang = currentLanguage()) {
  try {
    const text = await api("GET", `/api/v1/hearings/${hearing.id}/calendar.ics?lang=${encodeURIComponent(lang)}`,
      undefined, { accept: "text/calendar" });
    const url = URL.createObjectURL(new Blob([text], { type: "text/calendar" }));
    // Named after the hearing (the characters a file name cannot hold replaced), not "hearing".
    const file = `${hearing.title.replace(/[\\/:*?"<>|\u0000-\u001f\s]+/g, " ").trim().slice(0, 80) || "hearing"}.ics`;
    const link = h("a", { href: url, download: file, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (failure) {
    toast(() => describe(failure, "mediator.calendar"), { kind: "error" });
  }
}

function invitationStatus(entry) {
  // Off the roster: an invitation withdrawn before it was used is not a person removed.
  if (entry.status === "removed") {
    return t(entry.invitation === "revoked" ? "mediator.setup.status_withdrawn" : "mediator.setup.status_removed");
  }
  if (entry.status === "denied") return t("mediator.setup.status_denied");
  if (entry.invitation === "redeemed") {
    return t("mediator.setup.status_redeemed", { time: formatDateTime(entry.redeemed_at) });
  }
  if (entry.invitation === "pending") {
    return t("mediator.setup.status_pending", { time: formatDateTime(entry.invitation_expires_at) });
  }
  return t(`mediator.setup.status_${entry.invitation || "pending"}`);
}

export async function mount(root, { params, navigate, me }) {
  const admin = Boolean(me && me.role === "admin");
  let hearing = null;
  let issuedPanel = null;
  // What the last change to a side came to: {error, say, side} (say() in the current language,
  // so a language switch says it again in the new one; `side`: the side it is about, whose row
  // shows it, or null for the list as a whole).
  let sideNote = null;
  // What the last edit of the details came to, until dismissed: {resend} (the key of the
  // sentence for people already invited, or null when nobody is).
  let detailsNote = null;
  const page = h("section", { class: "setup" });
  mountNodes(root, page);

  async function load() {
    try {
      hearing = await api("GET", `/api/v1/hearings/${params.id}`);
      render();
    } catch (failure) {
      mountNodes(page, h("h1", null, t("mediator.setup.title")),
        h("p", { class: "form-error", role: "alert" }, describe(failure, "mediator.setup")),
        h("a", { class: "button", href: "/hearings" }, t("mediator.setup.back")));
    }
  }

  // What the last change to a side came to is about that change: once another action starts
  // it goes (taken from the page at once, so it never stays behind the next dialog).
  function dropSideNote() {
    sideNote = null;
    page.querySelector(".side-note")?.remove();
  }

  async function act(work, action) {
    dropSideNote();
    try {
      await work();
    } catch (failure) {
      toast(() => describe(failure, action), { kind: "error" });
    }
    await load();
  }

  function head() {
    const when = hearing.scheduled_at ? zonePair(hearing.scheduled_at, hearing.time_zone) : null;
    const closed = hearing.state === "closed";
    // An administrator: the calendar file alone (reading is all the gateway lets them do).
    const mediates = !admin;
    return h("div", { class: "page-head" },
      h("div", null,
        h("p", { class: "eyebrow" }, t("mediator.setup.title")),
        h("h1", null, hearing.title),
        h("p", { class: "meta" },
          h("span", { class: `badge state-${hearing.state}` }, t(`mediator.state.${hearing.state}`)),
          hearing.locked && !closed ? h("span", { class: "badge locked" }, t("mediator.lock.locked")) : null,
          when ? h("span", null, when.local) : h("span", { class: "muted" }, t("mediator.hearings.unscheduled")),
          when && when.hearing && !when.same ? h("span", { class: "muted" }, t("mediator.hearings.there", { time: when.hearing })) : null)),
      h("div", { class: "actions" },
        mediates && !closed ? h("button", { type: "button", class: "button", id: "edit-details", onclick: editDetails }, t("mediator.details.edit")) : null,
        hearing.scheduled_at ? h("button", { type: "button", class: "button", onclick: () => downloadCalendar(hearing) }, t("mediator.setup.calendar")) : null,
        mediates && hearing.state === "scheduled" ? h("button", { type: "button", class: "button primary", id: "open-hearing",
          onclick: () => act(() => api("POST", `/api/v1/hearings/${hearing.id}/open`, {}), "mediator.open") }, t("mediator.setup.open")) : null,
        mediates && hearing.state === "open" ? h("a", { class: "button primary", href: `/hearings/${hearing.id}` }, t("mediator.hearings.console")) : null,
        mediates && !closed ? h("button", { type: "button", class: "button danger-outline", onclick: closeHearing }, t("mediator.setup.close")) : null));
  }

  // What an administrator is told in place of the controls, with the way to hand it over.
  function adminNote() {
    const closed = hearing.state === "closed";
    return h("div", { class: "notice admin-view", "data-admin-view": "true" },
      h("p", null, t(closed ? "mediator.setup.admin_closed" : "mediator.setup.admin_text")),
      closed ? null : h("a", { class: "button primary", "data-action": "hand-over",
        href: `/hearings?hand_over=${encodeURIComponent(hearing.id)}`,
        "aria-label": t("mediator.hearings.hand_over_named", { title: hearing.title }) }, t("mediator.hearings.hand_over")));
  }

  // The title, date and time, or zone changed: said as saved, and, when people were already
  // invited, that their letters carry the old details (an open invitation card shows the new).
  async function editDetails() {
    dropSideNote();
    const done = await editHearingDetails(hearing);
    if (!done) { page.querySelector("#edit-details")?.focus(); return; }
    const invited = hearing.roster.some((e) => e.role !== "mediator" && (e.status === "invited" || e.status === "active"));
    const moved = "scheduled_at" in done.change || "time_zone" in done.change;
    const resend = !invited ? null : moved ? "mediator.details.resend_time" : "mediator.details.resend_title";
    detailsNote = { resend };
    announce([t("mediator.details.saved"), resend ? t(resend) : ""].join(" "));
    await load();
    page.querySelector(".details-note")?.focus();
  }

  function detailsNoteView() {
    if (!detailsNote) return null;
    const dismiss = () => {
      detailsNote = null;
      render();
      page.querySelector("#edit-details")?.focus();
    };
    return h("div", { class: "notice details-note", tabindex: "-1" },
      h("div", null,
        h("p", { class: "details-saved" }, t("mediator.details.saved")),
        detailsNote.resend ? h("p", { class: "details-resend" }, t(detailsNote.resend)) : null),
      h("button", { type: "button", class: "button small", onclick: dismiss }, t("mediator.details.dismiss")));
  }

  async function closeHearing() {
    await act(() => endHearing(hearing), "mediator.close");
  }

  function sidesSection() {
    const name = h("input", { name: "side", maxlength: "200", autocomplete: "off", required: true });
    const taken = new Set(hearing.sides.map((s) => s.colour));
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
    form.addEventListener("input", dropSideNote);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitting(submit, error, async () => {
        dropSideNote();
        if (!name.value.trim()) { error.textContent = t("mediator.setup.side_missing"); return; }
        if (hearing.sides.some((s) => sideKey(s.name) === sideKey(name.value))) {
          error.textContent = t("mediator.setup.side_taken");
          return;
        }
        try {
          await api("POST", `/api/v1/hearings/${hearing.id}/sides`, { name: name.value.trim(), colour: colour.value });
          await load();
          document.querySelector("#add-side input")?.focus();
        } catch (failure) { error.textContent = sideRefusal(failure, "mediator.side"); }
      });
    });
    const open = hearing.state !== "closed" && !admin;
    return h("section", { class: "card", "aria-labelledby": "sides-title" },
      h("h2", { id: "sides-title" }, t("mediator.setup.sides")),
      hearing.sides.length
        ? h("ul", { class: "side-list" }, hearing.sides.map((s) => sideRow(s, open)))
        : h("p", { class: "muted" }, t(admin ? "mediator.setup.admin_no_sides" : "mediator.setup.no_sides")),
      sideNote && !sideNote.side ? noteOf(sideNote) : null,
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
  function sideRow(s, open) {
    const kept = open ? sideKept(hearing, s) : null;
    const reasonId = `side-kept-${s.id}`;
    return h("li", { "data-colour": s.colour, "data-side": s.id },
      h("span", { class: "side-label" },
        h("span", { class: "swatch", "data-colour": s.colour, "aria-hidden": "true" }), s.name,
        h("span", { class: "muted" }, ` · ${t(`mediator.colour.${s.colour}`)}`)),
      open ? h("span", { class: "row-actions" },
        h("button", { type: "button", class: "button small", dataset: { action: "edit-side" },
          "aria-label": t("mediator.setup.edit_side_named", { side: s.name }), onclick: () => editSide(s) },
        t("mediator.setup.edit_side")),
        h("button", { type: "button", class: "button small danger-outline", dataset: { action: "remove-side" },
          disabled: Boolean(kept), "aria-describedby": kept && !(sideNote && sideNote.side === s.id) ? reasonId : null,
          "aria-label": t("mediator.setup.remove_side_named", { side: s.name }), onclick: () => removeSide(s) },
        t("mediator.setup.remove_side"))) : null,
      // The refusal about this side, when there is one, says the reason in full: not twice.
      sideNote && sideNote.side === s.id ? noteOf(sideNote)
        : kept ? h("span", { class: "side-kept muted", id: reasonId }, t(SIDE_KEPT[kept])) : null);
  }

  // A side's name and colour, under the rules of adding one (said in the dialog before sending).
  async function editSide(side) {
    dropSideNote();
    const name = h("input", { name: "side_name", maxlength: "200", autocomplete: "off", value: side.name });
    const others = hearing.sides.filter((s) => s.id !== side.id);
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
      const done = await api("PATCH", `/api/v1/hearings/${hearing.id}/sides/${side.id}`, change);
      sideNote = { error: false, side: side.id, say: () => t("mediator.side.saved", { side: done.side.name }) };
      announce(sideNote.say());
    } catch (failure) {
      sideNote = { error: true, side: side.id, say: () => sideRefusal(failure, "mediator.side_edit", side) };
    }
    await load();
    focusSide(side.id, "edit-side");
  }

  // Only a side nobody belongs to (its Remove is disabled otherwise); a refusal the page could
  // not foresee (someone invited or a caucus opened elsewhere since) is said beside the side.
  async function removeSide(side) {
    const kept = sideKept(hearing, side);
    if (kept) {
      sideNote = { error: true, side: side.id, say: () => t(SIDE_REASONS[kept], { side: side.name }) };
      render();
      focusSide(side.id, "remove-side");
      return;
    }
    dropSideNote();
    const answer = await confirmDialog({ title: t("mediator.side.remove_title", { side: side.name }),
      body: t("mediator.side.remove_body"), confirm: t("mediator.side.remove_confirm"), danger: true });
    if (!answer.confirmed) return;
    try {
      await api("DELETE", `/api/v1/hearings/${hearing.id}/sides/${side.id}`);
      sideNote = { error: false, side: null, say: () => t("mediator.side.removed", { side: side.name }) };
      announce(sideNote.say());
    } catch (failure) {
      sideNote = { error: true, side: side.id, say: () => sideRefusal(failure, "mediator.side_edit", side) };
    }
    await load();
    focusSide(side.id, "remove-side");
  }

  // Keyboard focus on what the mediator reads next: the side's refusal, else back on the
  // side's button (one disabled now: its Edit), or on the form when the side is gone.
  function focusSide(id, action) {
    const row = page.querySelector(`.side-list li[data-side="${CSS.escape(id)}"]`);
    const note = row && sideNote && sideNote.error ? row.querySelector(".side-note") : null;
    const button = row && [`[data-action="${action}"]`, "[data-action=\"edit-side\"]"]
      .map((q) => row.querySelector(q)).find((b) => b && !b.disabled);
    (note || button || page.querySelector("#add-side input"))?.focus();
  }

  function inviteForm() {
    const name = h("input", { name: "name", maxlength: "200", autocomplete: "off", required: true });
    const role = h("select", { name: "role" }, ROLES.map((r) => h("option", { value: r }, t(`mediator.role.${r}`))));
    const side = h("select", { name: "side" }, hearing.sides.map((s) => h("option", { value: s.id }, s.name)));
    const sideField = field(t("mediator.setup.side"), side);
    // A side's name may be long ("Claimant: … (in liquidation), acting by its liquidators"):
    // then the picker takes a row of its own, and says the whole chosen name on hover.
    const named = () => { side.title = side.selectedOptions[0] ? side.selectedOptions[0].textContent : ""; };
    side.addEventListener("change", named);
    named();
    sideField.classList.toggle("field-wide", hearing.sides.some((s) => s.name.length > LONG_SIDE_NAME));
    role.addEventListener("change", () => { sideField.hidden = role.value === "observer"; });
    // Each language named in itself, so the person's own is found whatever the page's is.
    const letter = h("select", { name: "language" },
      LANGUAGES.map((l) => h("option", { value: l, lang: l }, t(`common.language.${l}`))));
    letter.value = currentLanguage();
    const error = formError();
    const submit = h("button", { type: "submit", class: "button primary" }, t("mediator.setup.invite"));
    const form = h("form", { class: "inline-form", id: "invite", novalidate: true },
      countedField(t("mediator.setup.person_name"), name), field(t("mediator.setup.role"), role), sideField,
      field(t("mediator.setup.letter_language"), letter), submit, error);
    clearWhenEdited(form, error);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      dropSideNote();
      submitting(submit, error, async () => {
        const person = { name: name.value.trim(), role: role.value, language: letter.value };
        if (!person.name) { error.textContent = t("mediator.setup.person_missing"); return; }
        if (person.role !== "observer") {
          if (!side.value) { error.textContent = t("mediator.setup.side_first"); return; }
          person.side = side.value;
        }
        try {
          // The letter's words first: an invitation is shown once, so it is never issued
          // without the words to show it in.
          const words = await wordsIn(person.language);
          const issued = await api("POST", `/api/v1/hearings/${hearing.id}/participants`, person);
          issuedPanel = invitationCard({ issued, person, hearing, words,
            onDone: () => { issuedPanel = null; render(); document.querySelector("#invite input")?.focus(); },
            onCalendar: (lang) => downloadCalendar(hearing, lang) });
          await load();
          issuedPanel.focus();
        } catch (failure) { error.textContent = describe(failure, "mediator.invite"); }
      });
    });
    return form;
  }

  function peopleSection() {
    const sideName = (id) => (hearing.sides.find((s) => s.id === id) || {}).name || "—";
    const rows = hearing.roster.filter((e) => e.role !== "mediator");
    const changeable = hearing.state !== "closed" && !admin;
    const table = rows.length ? h("table", { class: "data roster" },
      h("thead", null, h("tr", null, ["name", "role", "side", "status"].map((c) =>
        h("th", { scope: "col" }, t(`mediator.setup.col_${c}`))),
        h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("mediator.hearings.col_actions"))))),
      h("tbody", null, rows.map((e) => h("tr", { "data-participant": e.id, "data-invitation": e.invitation || "" },
        h("th", { scope: "row" }, e.name),
        h("td", null, t(`mediator.role.${e.role}`)),
        h("td", null, e.side ? [h("span", { class: "swatch", "data-colour": (hearing.sides.find((s) => s.id === e.side) || {}).colour, "aria-hidden": "true" }), sideName(e.side)] : "—"),
        h("td", null, invitationStatus(e)),
        h("td", null, e.status !== "removed" && changeable
          ? h("div", { class: "row-actions" },
            e.status === "invited" || e.status === "active" ? h("button", { type: "button", class: "button small",
              dataset: { action: "new-link" }, "aria-label": t("mediator.setup.new_link_named", { name: e.name }),
              onclick: () => reissue(e) }, t("mediator.setup.new_link")) : null,
            h("button", { type: "button", class: "button small danger-outline",
              "aria-label": t("mediator.setup.revoke_named", { name: e.name }),
              onclick: () => revoke(e) }, e.status === "invited" ? t("mediator.setup.revoke") : t("mediator.setup.remove")))
          : null)))))
      : h("p", { class: "muted" }, t(admin ? "mediator.setup.admin_no_people"
        : hearing.sides.length ? "mediator.setup.no_people" : "mediator.setup.sides_first"));
    return h("section", { class: "card", "aria-labelledby": "people-title" },
      h("h2", { id: "people-title" }, t("mediator.setup.people")),
      issuedPanel ? issuedPanel.card : null,
      table,
      changeable && hearing.sides.length ? h("div", { class: "invite-box" },
        h("h3", null, t("mediator.setup.invite_title")), inviteForm()) : null);
  }

  // A new link for someone invited or joined (the same person, so the same record): their
  // earlier unused link stops working; the card and letter are those of a new invitation, in
  // the language of their last one (the server keeps it).
  async function reissue(entry) {
    dropSideNote();
    const joined = entry.status === "active";
    const answer = await confirmDialog({ title: t("mediator.reissue.title", { name: entry.name }),
      body: t(joined ? "mediator.reissue.body_joined" : "mediator.reissue.body_invited", { name: entry.name }),
      confirm: t("mediator.reissue.confirm") });
    if (!answer.confirmed) return;
    try {
      const issued = await api("POST", `/api/v1/hearings/${hearing.id}/participants/${entry.id}/invitations`, {});
      // Issued already: the letter in the page's words if its own cannot be loaded now.
      const words = await wordsIn(issued.language || currentLanguage()).catch(() => wordsIn(currentLanguage()));
      const person = { name: entry.name, role: entry.role, side: entry.side, language: issued.language };
      issuedPanel = invitationCard({ issued, person, hearing, words,
        onDone: () => {
          issuedPanel = null;
          render();
          page.querySelector(`tr[data-participant="${CSS.escape(entry.id)}"] [data-action="new-link"]`)?.focus();
        },
        onCalendar: (lang) => downloadCalendar(hearing, lang) });
      await load();
      issuedPanel.focus();
    } catch (failure) {
      toast(() => describe(failure, "mediator.reissue"), { kind: "error" });
      await load();
    }
  }

  async function revoke(entry) {
    dropSideNote();
    // An invitation not yet used is revoked; someone who joined is removed: the dialog says which.
    const invited = entry.status === "invited";
    const answer = await confirmDialog({
      title: t(invited ? "mediator.revoke.title_invited" : "mediator.revoke.title", { name: entry.name }),
      body: t("mediator.revoke.body"),
      confirm: t(invited ? "mediator.revoke.confirm_invited" : "mediator.revoke.confirm"), danger: true });
    if (answer.confirmed) {
      await act(() => api("DELETE", `/api/v1/hearings/${hearing.id}/participants/${entry.id}`), "mediator.remove");
    }
  }

  function render() {
    // An invitation card still open writes its letter with the details as they are now.
    if (issuedPanel) issuedPanel.update(hearing);
    mountNodes(page, head(), admin ? adminNote() : detailsNoteView(),
      h("div", { class: "setup-grid" }, sidesSection(), peopleSection()));
  }

  await load();
  return { rerender: () => hearing && render() };
}
