// A hearing's details: title, scheduled date and time, and the hearing's time zone (defaults to
// the mediator's own; the zones a Hong Kong centre uses first, named in the reader's language
// with their offset at the picked date: core/zones.js). "New hearing" is one small form of them;
// the set-up page's "Edit details" (hearing-details.js) the same fields, filled in. A date
// already past is said in the page as soon as it is picked (before saving); the server refuses
// it too (reason `scheduled_in_past`), and that refusal is said in the same words until the form
// is edited. In "Edit details" the zone says how the start is read: picking another one keeps
// the moment (the date and time are shown as the new zone reads them), the dialog says what
// the start is in the mediator's own zone and in the hearing's, and once the hearing has opened
// its start is history (the date and time are kept, the title and the zone may change).

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { currentLanguage, formattingLocale, localZone, t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { knownZone, zoneChoices, zoneLabel, zoneListLabel } from "../core/zones.js";
import { clearWhenEdited, countedField, field, formError, submitting } from "./form.js";
import { dueWords } from "./person.js";

// "2026-12-01T09:30" read as a wall-clock time in `zone` → epoch ms.
export function zonedToUtc(local, zone) {
  const [date, time] = local.split("T");
  const [y, mo, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const guess = Date.UTC(y, mo - 1, d, hh, mm);
  const offset = (ms) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit" }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
    return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute) - ms;
  };
  const first = guess - offset(guess);
  return guess - offset(first);
}

// `ms` as the wall clock in `zone` reads it, as <input type="datetime-local"> holds it
// ("2026-12-01T09:30"): the inverse of zonedToUtc, to the minute.
export function utcToZoned(ms, zone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit" }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

// Pure: what an edit of the details asks the server to change (PATCH /api/v1/hearings/{h}),
// from the fields as they were shown (`before`: {title, local, zone}) and as they are now.
// The start is sent only when it is another moment (the fields hold minutes; a start the API
// set to the second is not moved by saving the title, nor by a zone picked alone, which the
// dialog shows as the same moment read in the new zone: then only `time_zone` is sent, so a
// hearing under way since yesterday is never refused as "in the past"); an emptied date takes
// the start away (`scheduled_at: null`, its zone with it).
export function hearingChange(before, now) {
  const change = {};
  if (now.title !== before.title) change.title = now.title;
  if (now.local === before.local && (now.zone === before.zone || !now.local)) return change;
  if (!now.local) {
    change.scheduled_at = null;
    return change;
  }
  const at = zonedToUtc(now.local, now.zone);
  if (!before.local || at !== zonedToUtc(before.local, before.zone)) change.scheduled_at = at;
  if (now.zone !== before.zone || "scheduled_at" in change) change.time_zone = now.zone;
  return change;
}

// How far in the past a start may lie and still be taken as "now" (a hearing set up as it
// begins): the server's own grace, services/signalling/schedule.py PAST_GRACE_MS.
export const PAST_GRACE_MS = 15 * 60 * 1000;

// Pure: the wall-clock `local` ("2026-12-01T09:30") in `zone` lies in the past at `now`.
export function startIsPast(local, zone, now = Date.now()) {
  if (!local || !zone) return false;
  return zonedToUtc(local, zone) < now - PAST_GRACE_MS;
}

// Why the server refused a new hearing (`Error.reason`) → the sentence that says so.
const REASONS = { scheduled_in_past: "mediator.create.refused_past" };

// The zone picker: common zones, then all the others; `chosen` (the hearing's own, when it has
// one) or else the browser's own zone chosen. Each option's words say the offset at `at` (the
// picked start, else now): `relabel(at)`.
function zonePicker(chosen = null) {
  const choices = zoneChoices({ local: chosen && knownZone(chosen) ? chosen : localZone(),
    supported: typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [] });
  const option = (zone) => h("option", { value: zone, selected: zone === choices.selected }, zone);
  const common = h("optgroup", { label: t("mediator.create.zone_common") }, choices.common.map(option));
  const rest = h("optgroup", { label: t("mediator.create.zone_all") }, choices.rest.map(option));
  const select = h("select", { name: "time_zone" }, common, choices.rest.length ? rest : null);
  const relabel = (at = Date.now()) => {
    const words = { locale: formattingLocale(currentLanguage()), at, utc: t("common.zone_utc") };
    for (const el of common.children) el.textContent = zoneLabel(el.value, words);
    for (const el of rest.children) el.textContent = zoneListLabel(el.value, words);
  };
  relabel();
  return { select, relabel };
}

// The three fields, filled in with `hearing`'s details when it is given (else empty, in the
// mediator's own zone). → {title, at, zone, nodes, shown, values}: `shown` is what the fields
// said when made, `values()` what they say now ({title, local, zone}: hearingChange).
export function hearingFields(hearing = null, { pastId = "create-past" } = {}) {
  const title = h("input", { name: "title", required: true, maxlength: "200", autocomplete: "off",
    value: hearing ? hearing.title : "" });
  const picker = zonePicker(hearing && hearing.time_zone);
  const zone = picker.select;
  // Once the hearing has opened, its start is what happened: kept unless the mediator types a
  // new one (an adjournment to another day), and then said as news to everyone.
  const started = Boolean(hearing && hearing.state && hearing.state !== "scheduled" && hearing.scheduled_at);
  const at = h("input", { name: "scheduled", type: "datetime-local",
    value: hearing && hearing.scheduled_at && knownZone(zone.value) ? utcToZoned(hearing.scheduled_at, zone.value) : "" });
  const values = () => ({ title: title.value.trim(), local: at.value, zone: zone.value });
  const shown = values();
  // Said as soon as a past date is picked (in the page, for screen readers too), before saving;
  // the start a hearing already has (one under way) is no news.
  const past = h("p", { class: "form-warning", id: pastId, role: "status", hidden: true });
  // The start as shown (the same moment, whatever zone it is read in now).
  const keptStart = () => (at.value === shown.local && zone.value === shown.zone)
    || Boolean(at.value && shown.local && knownZone(zone.value) && knownZone(shown.zone)
      && zonedToUtc(at.value, zone.value) === zonedToUtc(shown.local, shown.zone));
  const checkPast = () => {
    const kept = keptStart();
    const late = !kept && startIsPast(at.value, knownZone(zone.value) ? zone.value : null);
    past.hidden = !late;
    past.textContent = late ? t("mediator.create.past_warning") : "";
    // The warning joins (and leaves) what already describes the field (its hint, if any).
    const described = (at.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== past.id);
    if (late) described.push(past.id);
    if (described.length) at.setAttribute("aria-describedby", described.join(" "));
    else at.removeAttribute("aria-describedby");
  };
  // Editing: what the start is, in the mediator's zone and the hearing's, before saving.
  const preview = hearing ? h("p", { class: "start-preview", role: "status" }) : null;
  const showStart = () => {
    if (!preview) return;
    const ms = at.value && knownZone(zone.value) ? zonedToUtc(at.value, zone.value) : null;
    preview.hidden = ms === null;
    preview.textContent = ms === null ? ""
      : t(started && keptStart() ? "mediator.details.started" : "mediator.details.starts", { when: dueWords(ms, zone.value) });
  };
  // Editing: another zone reads the same moment (the date and time follow it).
  let zoneBefore = zone.value;
  zone.addEventListener("change", () => {
    if (hearing && at.value && knownZone(zoneBefore) && knownZone(zone.value)) {
      at.value = utcToZoned(zonedToUtc(at.value, zoneBefore), zone.value);
    }
    zoneBefore = zone.value;
  });
  at.addEventListener("input", checkPast);
  at.addEventListener("change", checkPast);
  // Offsets as they will be on the day (summer time in London or Sydney is not today's).
  at.addEventListener("change", () => {
    picker.relabel(at.value && knownZone(zone.value) ? zonedToUtc(at.value, zone.value) : Date.now());
  });
  zone.addEventListener("change", checkPast);
  for (const type of ["input", "change"]) at.addEventListener(type, showStart);
  zone.addEventListener("change", showStart);
  if (shown.local) picker.relabel(zonedToUtc(shown.local, shown.zone));
  showStart();
  const whenHint = !hearing ? null : started ? t("mediator.details.started_hint") : t("mediator.details.when_hint");
  const nodes = [
    countedField(t("mediator.create.name"), title, t("mediator.create.name_hint")),
    h("div", { class: "field-row" },
      field(t("mediator.create.when"), at, whenHint),
      field(t("mediator.create.zone"), zone, t("mediator.create.zone_hint"))),
    preview, past].filter(Boolean);
  return { title, at, zone, nodes, shown, values };
}

export function createHearingForm({ onCreated }) {
  const { title, at, zone, nodes } = hearingFields();
  const error = formError();
  const submit = h("button", { type: "submit", class: "button primary" }, t("mediator.create.submit"));
  // Checked on submit in the page's words, never with the browser's own bubbles (novalidate).
  const form = h("form", { class: "card stack create-hearing", id: "create-hearing", novalidate: true },
    h("h2", null, t("mediator.create.title")), ...nodes, error, h("div", { class: "actions" }, submit));
  // A refusal ("cannot be scheduled in the past", a missing title) is about what was entered:
  // it goes once the date, the zone or the title changes (the past warning above speaks for itself).
  clearWhenEdited(form, error);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(submit, error, async () => {
      if (!title.value.trim()) {
        error.textContent = t("mediator.create.missing_title");
        title.focus();
        return;
      }
      const body = { title: title.value.trim() };
      if (at.value && knownZone(zone.value)) {
        body.scheduled_at = zonedToUtc(at.value, zone.value);
        body.time_zone = zone.value;
      }
      try {
        onCreated(await api("POST", "/api/v1/hearings", body));
      } catch (failure) {
        const key = failure && REASONS[failure.reason];
        error.textContent = key ? t(key) : describe(failure, "mediator.create");
        if (key) at.focus();
      }
    });
  });
  return form;
}
