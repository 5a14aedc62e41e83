// Hearing set-up: the hearing's title and time (in its own zone and the reader's, as the waiting
// room says them; "Edit details" changes them, and says when people already invited need to be
// told), sides with their colours (setup-sides.js), invitations and who has redeemed, a new
// link, revoke (setup-people.js), the calendar file while the hearing is ahead, open and close.
// Once it opened, when it did and when it ended; for a mediator it was handed to, from whom.
// Its documents (setup-documents.js): before the end, added here as on the console, without
// opening the hearing early; once it ended, its mediator still reads them here, read-only.
//
// An administrator may read a hearing's set-up but holds none of its controls (the gateway
// lets only the hearing's mediator change it): the page shows them nothing they would be
// refused, and says instead that they view it as an administrator, with the way to hand it
// over to a mediator (the hearings list's dialog, as the console's address offers it).
//
// A hearing an administrator handed to another mediator is not this mediator's any more: its
// address (or an action refused on a page still open) shows the console's "handed over" card
// (console-cards.js: to whom and when, and the way back to the list), never "not yours".

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { formatDateTime, t } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";
import { downloadCalendar, offersCalendar } from "../components/calendar-file.js";
import { endHearing, endLabel } from "../components/end-hearing.js";
import { editHearingDetails } from "../components/hearing-details.js";
import { dueWords } from "../components/person.js";
import { announce, toast } from "../components/toast.js";
import { handedAwayFrom, handedOverCard, tookOverLine } from "./console-cards.js";
import { documentsSection } from "./setup-documents.js";
import { peopleSection } from "./setup-people.js";
import { sidesSection } from "./setup-sides.js";

// Pure: what people already invited need to hear after the details changed (`before`: the
// hearing as their letters gave it; `change`: what was saved, hearing-form.js hearingChange),
// as the keys of the sentences to say, each true for that change: a new title; a start that
// moved, was cleared, or was set where they had none; or only the zone the start is given in,
// the same moment, so the time they have is still right (never "the old time").
export function resendKeys(before, change) {
  const titled = "title" in change;
  const moved = "scheduled_at" in change;
  const keys = [];
  if (moved && before.scheduled_at) keys.push(titled ? "mediator.details.resend_title_time" : "mediator.details.resend_time");
  else if (titled) keys.push("mediator.details.resend_title");
  if (moved && !before.scheduled_at) keys.push("mediator.details.resend_time_set");
  if (!moved && "time_zone" in change && before.scheduled_at) keys.push("mediator.details.zone_kept");
  return keys;
}

// When the hearing is due, in the hearing's own time first when its zone reads another (as the
// letters said it), then the reader's (the waiting room's words, person.js dueWords); once it
// opened, "Scheduled for" that, then when it opened and when it ended (the record's instants):
// an ended hearing is never said as "Ended" on the day it was only due.
function whenParts(hearing) {
  const due = hearing.scheduled_at ? dueWords(hearing.scheduled_at, hearing.time_zone) : null;
  if (hearing.state === "scheduled") {
    return due ? h("span", { class: "setup-when" }, due) : h("span", { class: "muted" }, t("mediator.hearings.unscheduled"));
  }
  // When it opened and when it ended: a line of their own, together (parley.css `.setup-ran`).
  return [due ? h("span", { class: "setup-when" }, t("mediator.setup.scheduled_for", { when: due })) : null,
    hearing.opened_at || hearing.ended_at ? h("span", { class: "setup-ran" },
      hearing.opened_at ? h("span", { class: "setup-opened" }, t("mediator.setup.opened_at", { when: formatDateTime(hearing.opened_at) })) : null,
      hearing.ended_at ? h("span", { class: "setup-ended" }, t("mediator.setup.ended_at", { when: formatDateTime(hearing.ended_at) })) : null) : null];
}

export async function mount(root, { params, me }) {
  const page = h("section", { class: "setup" });
  // The page's state, shared with its sections: the hearing as last loaded; the invitation
  // cards open, newest first (`issuedPanels`); what the last change to a side came to
  // (`sideNote`: {error, say, side}, say() in the current language, so a language switch says
  // it again in the new one; `side`: the side it is about, whose row shows it, or null for the
  // list as a whole).
  // `gone`: the list's record of its hand-over away from this mediator, once the hearing
  // could not be read and that is why (the page then shows only the handed-over card).
  const screen = { hearing: null, page, admin: Boolean(me && me.role === "admin"), issuedPanels: [],
    sideNote: null, gone: null, load, render, act, dropSideNote, refused };
  // What the last edit of the details came to, until dismissed: {resend} (the keys of the
  // sentences for people already invited: resendKeys; none when nobody is).
  let detailsNote = null;
  mountNodes(root, page);

  async function load() {
    try {
      screen.hearing = await api("GET", `/api/v1/hearings/${params.id}`);
      render();
    } catch (failure) {
      screen.gone = await handedAwayFrom(params.id);
      if (screen.gone) { render(); return; }
      mountNodes(page, h("h1", null, t("mediator.setup.title")),
        h("p", { class: "form-error", role: "alert" }, describe(failure, "mediator.setup")),
        h("a", { class: "button", href: "/hearings" }, t("mediator.setup.back")));
    }
  }

  // An action of this page refused: true when that is because the hearing was handed to
  // another mediator meanwhile (the page is then the handed-over card: the refusal itself
  // says nothing more), false when the refusal is the one to say (the page left as it is).
  async function refused(failure) {
    const code = failure && failure.code;
    if (code !== "forbidden" && code !== "not_found") return false;
    screen.gone = await handedAwayFrom(params.id);
    if (screen.gone) render();
    return Boolean(screen.gone);
  }

  // What the last change to a side came to is about that change: once another action starts
  // it goes (taken from the page at once, so it never stays behind the next dialog).
  function dropSideNote() {
    screen.sideNote = null;
    page.querySelector(".side-note")?.remove();
  }

  async function act(work, action) {
    dropSideNote();
    try {
      await work();
    } catch (failure) {
      if (await refused(failure)) return;
      toast(() => describe(failure, action), { kind: "error" });
    }
    await load();
  }

  function head() {
    const { hearing, admin } = screen;
    const closed = hearing.state === "closed";
    // An administrator: the calendar file alone (reading is all the gateway lets them do).
    const mediates = !admin;
    return h("div", { class: "page-head" },
      h("div", null,
        h("p", { class: "eyebrow" }, t("mediator.setup.title")),
        h("h1", null, hearing.title),
        // The state beside its dates, one unit: the dates wrap in their own column, never
        // leaving the badge alone on a line (parley.css `.setup .meta`).
        h("p", { class: "meta" },
          h("span", { class: "meta-state" },
            h("span", { class: `badge state-${hearing.state}` }, t(`mediator.state.${hearing.state}`)),
            hearing.locked && !closed ? h("span", { class: "badge locked" }, t("mediator.lock.locked")) : null),
          h("span", { class: "setup-times" }, whenParts(hearing))),
        tookOverLine(hearing, mediates)),
      h("div", { class: "actions" },
        mediates && !closed ? h("button", { type: "button", class: "button", id: "edit-details", onclick: editDetails }, t("mediator.details.edit")) : null,
        offersCalendar(hearing) ? h("button", { type: "button", class: "button", "data-action": "calendar",
          onclick: () => downloadCalendar(hearing) }, t("mediator.setup.calendar")) : null,
        mediates && hearing.state === "scheduled" ? h("button", { type: "button", class: "button primary", id: "open-hearing",
          onclick: () => act(() => api("POST", `/api/v1/hearings/${hearing.id}/open`, {}), "mediator.open") }, t("mediator.setup.open")) : null,
        mediates && hearing.state === "open" ? h("a", { class: "button primary", href: `/hearings/${hearing.id}` }, t("mediator.hearings.console")) : null,
        mediates && !closed ? h("button", { type: "button", class: "button danger-outline", onclick: closeHearing }, endLabel(hearing)) : null));
  }

  // What an administrator is told in place of the controls, with the way to hand it over.
  function adminNote() {
    const { hearing } = screen;
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
    const done = await editHearingDetails(screen.hearing);
    if (!done) { page.querySelector("#edit-details")?.focus(); return; }
    const invited = screen.hearing.roster.some((e) => e.role !== "mediator" && (e.status === "invited" || e.status === "active"));
    const resend = invited ? resendKeys(screen.hearing, done.change) : [];
    detailsNote = { resend };
    announce([t("mediator.details.saved"), ...resend.map((key) => t(key))].join(" "));
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
        detailsNote.resend.map((key) => h("p", { class: "details-resend", "data-key": key }, t(key)))),
      h("button", { type: "button", class: "button small", onclick: dismiss }, t("mediator.details.dismiss")));
  }

  async function closeHearing() {
    await act(() => endHearing(screen.hearing), "mediator.close");
  }

  function render() {
    if (screen.gone) { mountNodes(page, handedOverCard(screen.gone.title, screen.gone)); return; }
    // The invitation cards still open write their letters with the details as they are now.
    screen.issuedPanels.forEach((panel) => panel.update(screen.hearing));
    mountNodes(page, head(), screen.admin ? adminNote() : detailsNoteView(),
      h("div", { class: "setup-grid" }, sidesSection(screen), peopleSection(screen)), documentsSection(screen, me));
  }

  await load();
  return { rerender: () => (screen.hearing || screen.gone) && render() };
}
