// Ending a hearing, from its set-up page or from the console: one dialog (what ending means, and
// the choice to destroy every document now, confirmed by typing the hearing's title, and when
// kept ones go under the institution's retention period) and one request, so the choice is the
// same wherever the mediator ends it.

import { api } from "../core/api.js";
import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { confirmDialog } from "./dialog.js";
import { endDialogRetention } from "./document-retention.js";
import { toast } from "./toast.js";

// Resolves true once the hearing is ended; false if the mediator thought better of it. A refusal
// is thrown (an ApiError) for the caller to say in its words.
export async function endHearing(hearing) {
  const retention = endDialogRetention(hearing);
  const answer = await confirmDialog({
    title: t("mediator.end.title"), body: t("mediator.end.body"), danger: true,
    confirm: t("mediator.end.confirm"), checkbox: t("mediator.close.destroy"),
    // Kept documents stay readable (evidence: a closed hearing's are read, never added to),
    // until the institution's retention period ends, if it set one.
    more: [h("p", null, t("mediator.end.documents")),
      retention ? h("p", { class: "end-retention" }, retention) : null],
    typed: { label: t("mediator.close.type", { word: hearing.title }), word: hearing.title },
  });
  if (!answer.confirmed) return false;
  await api("POST", `/api/v1/hearings/${encodeURIComponent(hearing.id)}/close`,
    { destroy_documents: answer.checked });
  toast(() => t(answer.checked ? "mediator.close.done_destroyed" : "mediator.close.done"));
  return true;
}
