// A staff member's own password: the three fields (current, new, new again), checked in the
// page's words before anything is sent, and the change (`POST /api/v1/me/password`). The
// header's menu opens it as a dialog; a person whose password an administrator set takes the
// same fields first, on their own page (screens/password.js). The server refuses a wrong
// current password as sign-in refuses a wrong password (401, no redirect: it is an answer).

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { formDialog } from "./dialog.js";
import { field } from "./form.js";
import { toast } from "./toast.js";

// The server's rule for a new password (gateway/identity/passwords.py), in characters.
export const PASSWORD_MIN = 12;

const length = (text) => [...text].length;

function secretInput(name, autocomplete) {
  return h("input", { name, type: "password", autocomplete, required: true, maxlength: "256",
    spellcheck: "false", autocapitalize: "none" });
}

// `currentLabel`: what the current password is called here ("The password you signed in with").
export function passwordFields(currentLabel = t("staff.password.current")) {
  const current = secretInput("current", "current-password");
  const fresh = secretInput("new", "new-password");
  const again = secretInput("again", "new-password");
  const nodes = [field(currentLabel, current),
    field(t("staff.password.new"), fresh, t("staff.password.new_hint", { min: PASSWORD_MIN })),
    field(t("staff.password.again"), again)];
  const mark = (input, text) => {
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return text;
  };
  // → the sentence saying what is wrong (the field focused and marked), or null.
  const problem = () => {
    for (const input of [current, fresh, again]) input.removeAttribute("aria-invalid");
    if (!current.value) return mark(current, t("staff.password.missing_current"));
    if (length(fresh.value) < PASSWORD_MIN) return mark(fresh, t("staff.password.too_short", { min: PASSWORD_MIN }));
    if (fresh.value.normalize("NFKC") === current.value.normalize("NFKC")) return mark(fresh, t("staff.error.password.password_unchanged"));
    if (again.value !== fresh.value) return mark(again, t("staff.password.mismatch"));
    return null;
  };
  // Sends the change; → null when done, else the sentence saying why not.
  const send = async () => {
    try {
      await api("POST", "/api/v1/me/password", { current: current.value, new: fresh.value }, { expect401: true });
      return null;
    } catch (failure) {
      current.value = "";
      current.focus();
      return describe(failure, "staff.password");
    }
  };
  return { nodes, problem, send };
}

// The header's "Change password…": this session stays signed in, every other one ends.
export async function changeOwnPassword() {
  const fields = passwordFields();
  const changed = await formDialog({ title: t("staff.password.title"),
    content: [h("p", { class: "hint" }, t("staff.password.lede")), ...fields.nodes],
    confirm: t("staff.password.save"), validate: fields.problem, save: fields.send });
  if (changed) toast(() => t("staff.password.saved"));
  return changed;
}
