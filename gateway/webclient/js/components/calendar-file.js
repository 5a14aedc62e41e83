// A hearing's calendar file (.ics), saved under the name the server gives it (its title, cut
// at a word: gateway/api/hearing_calendar.py calendar_file_name): the set-up page's button and
// an invitation card's (its description in the invitation's language).

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { currentLanguage } from "../core/i18n.js";
import { h } from "../core/render.js";
import { toast } from "./toast.js";

// Pure: whether the hearing has a calendar file worth offering: a start, and not over (a
// calendar entry for a hearing that has ended only puts a past event in someone's diary).
export const offersCalendar = (hearing) => Boolean(hearing && hearing.scheduled_at && hearing.state !== "closed");

// The calendar file, its description in `lang` (an invitation's language; else the page's).
export async function downloadCalendar(hearing, lang = currentLanguage()) {
  try {
    const { data, filename } = await api("GET",
      `/api/v1/hearings/${hearing.id}/calendar.ics?lang=${encodeURIComponent(lang)}`,
      undefined, { accept: "text/calendar", named: true });
    const url = URL.createObjectURL(new Blob([data], { type: "text/calendar" }));
    const link = h("a", { href: url, download: filename || "hearing.ics", hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (failure) {
    toast(() => describe(failure, "mediator.calendar"), { kind: "error" });
  }
}
