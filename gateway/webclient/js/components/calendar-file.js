// A hearing's calendar file (.ics), downloaded under the hearing's title: the set-up page's
// button and an invitation card's (its description in the invitation's language).

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { currentLanguage } from "../core/i18n.js";
import { h } from "../core/render.js";
import { toast } from "./toast.js";

// Pure: whether the hearing has a calendar file worth offering: a start, and not over (a
// calendar entry for a hearing that has ended only puts a past event in someone's diary).
export const offersCalendar = (hearing) => Boolean(hearing && hearing.scheduled_at && hearing.state !== "closed");

// Pure: the name the file is saved under: the hearing's title (not "hearing"), the characters a
// file name cannot hold made spaces, a long one cut at a space near `max` (never mid-word nor in
// half a character) with "…"; as the server names it (gateway/api/hearing_calendar.py).
export function calendarFileName(title, max = 80) {
  let stem = String(title || "").replace(/[\\/:*?"<>|\u0000-\u001f\u007f\s]+/g, " ").trim();
  if (stem.length > max) {
    let cut = stem.slice(0, max - 1);
    if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
    const space = cut.lastIndexOf(" ");
    if (space > cut.length - 20 && space > 0) cut = cut.slice(0, space);
    stem = `${cut.trimEnd()}…`;
  }
  return `${stem || "hearing"}.ics`;
}

// The calendar file, its description in `lang` (an invitation's language; else the page's).
export async function downloadCalendar(hearing, lang = currentLanguage()) {
  try {
    const text = await api("GET", `/api/v1/hearings/${hearing.id}/calendar.ics?lang=${encodeURIComponent(lang)}`,
      undefined, { accept: "text/calendar" });
    const url = URL.createObjectURL(new Blob([text], { type: "text/calendar" }));
    const link = h("a", { href: url, download: calendarFileName(hearing.title), hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (failure) {
    toast(() => describe(failure, "mediator.calendar"), { kind: "error" });
  }
}
