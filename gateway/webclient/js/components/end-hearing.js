// Ending a hearing (cancelling one not started), from its set-up page or from the console: one
// dialog (what ending means, and the choice to destroy every document now, confirmed by typing
// the hearing's title, and when kept ones go under the institution's retention period) and one
// request, so the choice is the same wherever the mediator ends it.

import { api } from "../core/api.js";
import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { confirmDialog } from "./dialog.js";
import { endDialogRetention } from "./document-retention.js";
import { toast } from "./toast.js";

// The words of each: a hearing that never started is cancelled, not ended (nobody is there to
// disconnect), and its dialog's way out keeps the hearing, as "Cancel" beside "Cancel the
// hearing" would be read both ways.
const ENDING = { title: "mediator.end.title", body: "mediator.end.body", confirm: "mediator.end.confirm",
  dismiss: "common.cancel", done: "mediator.close.done", destroyed: "mediator.close.done_destroyed" };
const CANCELLING = { title: "mediator.cancel.title", body: "mediator.cancel.body",
  confirm: "mediator.cancel.confirm", dismiss: "mediator.cancel.keep", done: "mediator.cancel.done",
  destroyed: "mediator.cancel.done_destroyed" };

// The label of the button that opens the dialog, for a hearing in this state.
export function endLabel(hearing) {
  return t(hearing.state === "scheduled" ? "mediator.setup.cancel" : "mediator.setup.close");
}

// Resolves true once the hearing is ended (or cancelled); false if the mediator thought better
// of it. A refusal is thrown (an ApiError) for the caller to say in its words.
export async function endHearing(hearing) {
  const words = hearing.state === "scheduled" ? CANCELLING : ENDING;
  const retention = endDialogRetention(hearing);
  const answer = await confirmDialog({
    title: t(words.title), body: t(words.body), danger: true, dismiss: t(words.dismiss),
    confirm: t(words.confirm), checkbox: t("mediator.close.destroy"),
    // Kept documents stay readable (evidence: a closed hearing's are read, never added to),
    // until the institution's retention period ends, if it set one.
    more: [h("p", null, t("mediator.end.documents")),
      retention ? h("p", { class: "end-retention" }, retention) : null],
    typed: { label: t("mediator.close.type", { word: hearing.title }), word: hearing.title },
  });
  if (!answer.confirmed) return false;
  await api("POST", `/api/v1/hearings/${encodeURIComponent(hearing.id)}/close`,
    { destroy_documents: answer.checked });
  toast(() => t(answer.checked ? words.destroyed : words.done));
  return true;
}
