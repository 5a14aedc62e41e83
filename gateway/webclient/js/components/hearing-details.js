// "Edit details" on the set-up page: the hearing's title, date and time, and time zone, in a
// dialog filled in with what they are now (the fields of "New hearing": hearing-form.js). Only
// what was changed is sent (PATCH /api/v1/hearings/{h}: another zone alone keeps the start's
// moment and sends only the zone; once open, a new start is an adjournment); a refusal (the date is past, the
// hearing ended meanwhile) is said in the dialog, with what was typed still there. Everyone in
// the hearing sees the change at once (the server sends each of them their view again).

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { knownZone } from "../core/zones.js";
import { formDialog } from "./dialog.js";
import { hearingChange, hearingFields } from "./hearing-form.js";

// → Promise<{hearing, change} | null>: the hearing as the server now has it (its summary) and
// what was changed ({title?, scheduled_at?, time_zone?}), or null when nothing was saved.
export async function editHearingDetails(hearing) {
  const fields = hearingFields(hearing, { pastId: "details-past" });
  let saved = null;
  let change = {};
  const done = await formDialog({
    title: t("mediator.details.title"), confirm: t("mediator.details.save"), wide: true,
    content: [h("p", { class: "muted" }, t("mediator.details.hint")), ...fields.nodes],
    validate: () => {
      const now = fields.values();
      if (!now.title) return t("mediator.create.missing_title");
      if (now.local && !knownZone(now.zone)) return t("mediator.error.details.invalid");
      return null;
    },
    save: async () => {
      change = hearingChange(fields.shown, fields.values());
      if (!Object.keys(change).length) return null; // nothing changed: nothing to send
      try {
        saved = await api("PATCH", `/api/v1/hearings/${hearing.id}`, change);
        return null;
      } catch (failure) {
        if (failure && failure.reason === "scheduled_in_past") fields.at.focus();
        return describe(failure, "mediator.details");
      }
    } });
  return done && saved ? { hearing: saved, change } : null;
}
