// The set-up page's people (screens/setup.js): who is invited, with their side and what their
// invitation came to; a new invitation (shown once, in two messages, in the language chosen for
// the person: English, 繁體中文 or 简体中文, the mediator's own unless changed; the link opens
// the person's pages in it too), a new link, and revoke or remove. `screen` is the page's state
// ({hearing, page, admin, issuedPanels, load, render, act, dropSideNote, refused}).

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { LANGUAGES, currentLanguage, formatDateTime, t, wordsIn } from "../core/i18n.js";
import { h } from "../core/render.js";
import { downloadCalendar } from "../components/calendar-file.js";
import { confirmDialog } from "../components/dialog.js";
import { clearWhenEdited, countedField, field, formError, submitting } from "../components/form.js";
import { invitationCard } from "../components/invitation-card.js";
import { toast } from "../components/toast.js";

const ROLES = ["party", "counsel", "observer"];
// Side names longer than this give the invitation form's Side picker a row of its own.
const LONG_SIDE_NAME = 24;

// Pure: what a roster entry's invitation came to, as the set-up page says it: one line or two,
// each [key, values]. The roster carries the latest invitation of each person and when they
// first joined with any (`joined_at`): someone who joined, was sent a new link and was then
// removed was removed by the mediator, not withdrawn; someone who joined and was sent a new
// link is said first as present (joined, and `connected` when the page read the hearing), then
// with the new link's state, so a new link never makes a person in the hearing look absent;
// once the hearing has ended, a link never used is just that, whatever ending it did to it.
export function invitationStatusLines(entry, hearingState = "open", connected = false) {
  const joined = entry.joined_at ?? (entry.invitation === "redeemed" ? entry.redeemed_at : null);
  // Off the roster: an invitation withdrawn before it was used is not a person removed.
  if (entry.status === "removed") {
    return [[!joined && entry.invitation === "revoked" ? "mediator.setup.status_withdrawn" : "mediator.setup.status_removed", {}]];
  }
  if (entry.status === "denied") return [["mediator.setup.status_denied", {}]];
  const live = connected && hearingState !== "closed";
  const presence = (time) => [live ? "mediator.setup.status_joined_online" : "mediator.setup.status_redeemed", { time }];
  if (entry.invitation === "redeemed") return [presence(entry.redeemed_at)];
  if (hearingState === "closed") return [joined ? presence(joined) : ["mediator.setup.status_unused_ended", {}]];
  const link = entry.invitation || "pending";
  if (!joined) {
    return [link === "pending" ? ["mediator.setup.status_pending", { time: entry.invitation_expires_at }] : [`mediator.setup.status_${link}`, {}]];
  }
  if (link === "pending") return [presence(joined), ["mediator.setup.status_new_link_pending", { time: entry.invitation_expires_at }]];
  return [presence(joined), [link === "expired" ? "mediator.setup.status_new_link_expired" : `mediator.setup.status_${link}`, {}]];
}

// Who is connected now, by participant id, as the hearing's rooms (the lobby too) said it.
function connectedIds(hearing) {
  return new Set((hearing.rooms || []).flatMap((r) => r.members || []).filter((m) => m.connected).map((m) => m.id));
}

function invitationStatus(entry, hearingState, connected) {
  return invitationStatusLines(entry, hearingState, connected).map(([key, { time }], i) =>
    h("div", { class: i ? "status-line muted" : "status-line", "data-status": key.replace("mediator.setup.status_", "") },
      t(key, time === undefined ? {} : { time: formatDateTime(time) })));
}

// The invitation cards open, newest first: each is shown once, so a new invitation never hides
// one whose Done was not clicked; only a new link for the same person replaces that person's
// card (its link and code stopped working). Done closes its own card; focus goes to the next
// card still open, else to `fallback` (the invitation form, or the person's New link).
function showCard(screen, panel) {
  screen.issuedPanels = [panel, ...screen.issuedPanels.filter((p) => p.participant !== panel.participant)];
  return panel;
}

function doneWith(screen, panel, fallback) {
  screen.issuedPanels = screen.issuedPanels.filter((p) => p !== panel);
  screen.render();
  if (screen.issuedPanels.length) screen.issuedPanels[0].focus();
  else fallback();
}

function inviteForm(screen) {
  const name = h("input", { name: "name", maxlength: "200", autocomplete: "off", required: true });
  const role = h("select", { name: "role" }, ROLES.map((r) => h("option", { value: r }, t(`mediator.role.${r}`))));
  const side = h("select", { name: "side" }, screen.hearing.sides.map((s) => h("option", { value: s.id }, s.name)));
  const sideField = field(t("mediator.setup.side"), side);
  // A side's name may be long ("Claimant: … (in liquidation), acting by its liquidators"):
  // then the picker takes a row of its own, and says the whole chosen name on hover.
  const named = () => { side.title = side.selectedOptions[0] ? side.selectedOptions[0].textContent : ""; };
  side.addEventListener("change", named);
  named();
  sideField.classList.toggle("field-wide", screen.hearing.sides.some((s) => s.name.length > LONG_SIDE_NAME));
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
    screen.dropSideNote();
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
        const issued = await api("POST", `/api/v1/hearings/${screen.hearing.id}/participants`, person);
        const panel = showCard(screen, invitationCard({ issued, person, hearing: screen.hearing, words,
          onDone: () => doneWith(screen, panel, () => document.querySelector("#invite input")?.focus()),
          onCalendar: (lang) => downloadCalendar(screen.hearing, lang) }));
        await screen.load();
        panel.focus();
      } catch (failure) {
        if (await screen.refused(failure)) return; // handed to another mediator meanwhile
        error.textContent = describe(failure, "mediator.invite");
      }
    });
  });
  return form;
}

export function peopleSection(screen) {
  const sideName = (id) => (screen.hearing.sides.find((s) => s.id === id) || {}).name || "—";
  const rows = screen.hearing.roster.filter((e) => e.role !== "mediator");
  const changeable = screen.hearing.state !== "closed" && !screen.admin;
  const closed = screen.hearing.state === "closed";
  const online = connectedIds(screen.hearing);
  const table = rows.length ? h("table", { class: "data roster" },
    h("thead", null, h("tr", null, ["name", "role", "side", "status"].map((c) =>
      h("th", { scope: "col" }, t(`mediator.setup.col_${c}`))),
      h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("mediator.hearings.col_actions"))))),
    h("tbody", null, rows.map((e) => h("tr", { "data-participant": e.id, "data-invitation": e.invitation || "" },
      // The classes name each cell for a phone's width, where each person is a block.
      h("th", { scope: "row", class: "roster-name" }, e.name),
      h("td", { class: "roster-role" }, t(`mediator.role.${e.role}`)),
      // The side's dot and its name kept together: the dot never wraps onto a line of its own.
      h("td", { class: "roster-side" }, e.side ? h("span", { class: "side-tag" }, h("span", { class: "swatch", "data-colour": (screen.hearing.sides.find((s) => s.id === e.side) || {}).colour, "aria-hidden": "true" }), sideName(e.side)) : "—"),
      h("td", { class: "roster-status" }, invitationStatus(e, screen.hearing.state, online.has(e.id))),
      h("td", { class: "roster-actions" }, e.status !== "removed" && changeable
        ? h("div", { class: "row-actions" },
          e.status === "invited" || e.status === "active" ? h("button", { type: "button", class: "button small",
            dataset: { action: "new-link" }, "aria-label": t("mediator.setup.new_link_named", { name: e.name }),
            onclick: () => reissue(screen, e) }, t("mediator.setup.new_link")) : null,
          h("button", { type: "button", class: "button small danger-outline",
            "aria-label": t("mediator.setup.revoke_named", { name: e.name }),
            onclick: () => revoke(screen, e) }, e.status === "invited" ? t("mediator.setup.revoke") : t("mediator.setup.remove")))
        : null)))))
    : h("p", { class: "muted" }, t(screen.admin ? "mediator.setup.admin_no_people"
      : screen.hearing.sides.length ? "mediator.setup.no_people" : "mediator.setup.sides_first"));
  return h("section", { class: "card", "aria-labelledby": "people-title" },
    h("h2", { id: "people-title" }, t("mediator.setup.people")),
    // Ended: what the column says is history; the links themselves no longer open anything.
    closed && rows.length ? h("p", { class: "muted links-ended" }, t("mediator.setup.links_ended")) : null,
    screen.issuedPanels.map((panel) => panel.card),
    table,
    changeable && screen.hearing.sides.length ? h("div", { class: "invite-box" },
      h("h3", null, t("mediator.setup.invite_title")), inviteForm(screen)) : null);
}

// A new link for someone invited or joined (the same person, so the same record): their
// earlier unused link stops working; the card and letter are those of a new invitation, in
// the language of their last one (the server keeps it).
async function reissue(screen, entry) {
  screen.dropSideNote();
  const joined = entry.status === "active";
  const answer = await confirmDialog({ title: t("mediator.reissue.title", { name: entry.name }),
    body: t(joined ? "mediator.reissue.body_joined" : "mediator.reissue.body_invited", { name: entry.name }),
    confirm: t("mediator.reissue.confirm") });
  if (!answer.confirmed) return;
  try {
    const issued = await api("POST", `/api/v1/hearings/${screen.hearing.id}/participants/${entry.id}/invitations`, {});
    // Issued already: the letter in the page's words if its own cannot be loaded now.
    const words = await wordsIn(issued.language || currentLanguage()).catch(() => wordsIn(currentLanguage()));
    const person = { name: entry.name, role: entry.role, side: entry.side, language: issued.language };
    const panel = showCard(screen, invitationCard({ issued, person, hearing: screen.hearing, words,
      onDone: () => doneWith(screen, panel, () => screen.page.querySelector(
        `tr[data-participant="${CSS.escape(entry.id)}"] [data-action="new-link"]`)?.focus()),
      onCalendar: (lang) => downloadCalendar(screen.hearing, lang) }));
    await screen.load();
    panel.focus();
  } catch (failure) {
    if (await screen.refused(failure)) return; // handed to another mediator meanwhile
    toast(() => describe(failure, "mediator.reissue"), { kind: "error" });
    await screen.load();
  }
}

async function revoke(screen, entry) {
  screen.dropSideNote();
  // An invitation not yet used is revoked; someone who joined is removed: the dialog says which.
  const invited = entry.status === "invited";
  const answer = await confirmDialog({
    title: t(invited ? "mediator.revoke.title_invited" : "mediator.revoke.title", { name: entry.name }),
    body: t("mediator.revoke.body"),
    confirm: t(invited ? "mediator.revoke.confirm_invited" : "mediator.revoke.confirm"), danger: true });
  if (answer.confirmed) {
    await screen.act(() => api("DELETE", `/api/v1/hearings/${screen.hearing.id}/participants/${entry.id}`), "mediator.remove");
  }
}
