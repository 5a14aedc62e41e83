// What an administrator hands a person, and the reset that leads to it. After creating an
// account, or resetting its password (the server makes the temporary password and shows it
// once), the accounts page says what to tell them: where to sign in, their username, the
// temporary password — sent by another channel than the rest — until when it works (the server
// says: PARLEY_TEMPORARY_PASSWORD_HOURS), and what happens at their next sign-in (they choose
// their own password; without an authenticator yet, they set one up). Each account's panel stays
// until its Done, the newest first.

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { formatDateTime, t } from "../core/i18n.js";
import { h, uid } from "../core/render.js";
import { copyButton } from "./copy.js";
import { confirmDialog } from "./dialog.js";
import { toast } from "./toast.js";

// `box`: where the panel goes; `kind`: "create" or "reset"; `enrolled`: they have an
// authenticator already (a reset keeps it); `expires`: until when the password signs in (Unix
// ms; none from an older server: not said).
// `onDone`: told when the panel goes by its Done; `quiet`: drawn again (a new language), focus
// left where it is.
function showHandoff(box, { username, password, kind, enrolled = false, expires = null }, { onDone = null, quiet = false } = {}) {
  const address = `${location.origin}/signin`;
  const done = h("button", { type: "button", class: "button" }, t("admin.handoff.done"));
  const titleId = uid("handoff-title");
  const panel = h("section", { class: "notice once handoff", role: "status", "aria-labelledby": titleId,
    "data-account": username },
  h("h2", { id: titleId }, t(`admin.handoff.title_${kind}`, { name: username })),
  h("p", null, t("admin.handoff.lede")),
  h("dl", { class: "fields" },
    h("dt", null, t("admin.handoff.address")), h("dd", null, h("code", { "data-secret": "address" }, address)),
    h("dt", null, t("admin.handoff.username")), h("dd", null, h("code", { "data-secret": "username" }, username)),
    h("dt", null, t("admin.handoff.password")),
    h("dd", null, h("code", { class: "secret", "data-secret": "password" }, password), " ",
      copyButton(password, t("admin.handoff.copy_password")))),
  typeof expires === "number"
    ? h("p", { class: "handoff-expiry" }, t("admin.handoff.valid_until", { time: formatDateTime(expires) }))
    : null,
  h("p", null, t(enrolled ? "admin.handoff.next_enrolled" : "admin.handoff.next_new")),
  h("p", { class: "hint" }, t("admin.handoff.once")),
  h("div", { class: "actions" }, done));
  // One panel per account until its Done: a second reset or account made before the first's
  // password was passed on must not take that password (shown once) off the page. A newer
  // panel for the same account replaces its older one, whose password no longer works.
  done.addEventListener("click", () => { panel.remove(); if (onDone) onDone(); });
  for (const old of box.querySelectorAll(".handoff")) if (old.dataset.account === username) old.remove();
  box.prepend(panel);
  if (quiet) return;
  panel.scrollIntoView({ block: "nearest" });
  done.focus();
}

// The panels of the accounts page for as long as it is open: a language switch draws the page
// again, and each panel is said again in the new language (its password was shown only there).
export class Handoffs {
  constructor() {
    this.shown = []; // oldest first
    this.box = null;
  }

  // The page's (new) box: every panel not yet done, drawn into it.
  into(box) {
    this.box = box;
    for (const handoff of this.shown) this.draw(handoff, true);
  }

  show(handoff) {
    this.shown = this.shown.filter((x) => x.username !== handoff.username);
    this.shown.push(handoff);
    this.draw(handoff, false);
  }

  draw(handoff, quiet) {
    showHandoff(this.box, handoff, { quiet, onDone: () => { this.shown = this.shown.filter((x) => x !== handoff); } });
  }
}

// The row action "Reset password": the dialog says what happens, then the temporary password
// is shown once (`handoffs`). → true when reset.
export async function resetPassword(handoffs, account) {
  const { confirmed } = await confirmDialog({ title: t("admin.confirm.password_title", { name: account.username }),
    body: t("admin.confirm.password_text"), confirm: t("admin.accounts.password_reset"), danger: true });
  if (!confirmed) return false;
  try {
    const reply = await api("POST", `/api/v1/accounts/${account.id}/password`, {});
    handoffs.show({ username: account.username, password: reply.temporary_password, kind: "reset",
      enrolled: Boolean(account.totp_enrolled), expires: reply.account.temporary_password_expires_ms });
    toast(() => t("admin.done.password", { name: account.username }));
    return true;
  } catch (failure) {
    toast(() => describe(failure, "admin.password"), { kind: "error" });
    return false;
  }
}
