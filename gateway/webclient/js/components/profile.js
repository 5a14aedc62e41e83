// A staff member's own display name (the name parties see in the hearings they mediate), set
// from the header: the only profile setting a staff member has.

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { t } from "../core/i18n.js";
import { formDialog } from "./dialog.js";
import { displayNameInput, field } from "./form.js";
import { toast } from "./toast.js";

// → the saved name ("" for none), or null when cancelled or refused (the toast says why).
export async function editOwnName(me) {
  const input = displayNameInput("display_name", me.display_name || "");
  const saved = await formDialog({ title: t("staff.profile.title"),
    content: field(t("staff.profile.name"), input, t("staff.profile.hint")),
    confirm: t("staff.profile.save") });
  if (!saved) return null;
  try {
    const account = await api("PATCH", "/api/v1/me", { display_name: input.value.trim() });
    toast(() => t("staff.profile.saved"));
    return account.display_name || "";
  } catch (failure) {
    toast(() => describe(failure, "staff.profile"), { kind: "error" });
    return null;
  }
}
