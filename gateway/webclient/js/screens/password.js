// The first step after signing in with a password an administrator set (a new account, or a
// reset): the person chooses their own before anything else (the server refuses everything
// else until then), then goes on to set up the authenticator if they have none, else onwards.

import { whoAmI } from "../core/api.js";
import { t } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";
import { safeNext } from "../core/router.js";
import { clearWhenEdited, formError, submitting } from "../components/form.js";
import { passwordFields } from "../components/password.js";
import { signOutLine } from "../components/sign-out-line.js";
import { homeFor } from "./signin.js";

export async function mount(root, { query, navigate }) {
  const next = safeNext(query.get("next"));
  const fields = passwordFields(t("staff.password.current_temporary"));
  const error = formError();
  const submit = h("button", { type: "submit", class: "button primary wide" }, t("staff.password.choose"));
  const form = h("form", { class: "stack", novalidate: true }, ...fields.nodes, error, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(submit, error, async () => {
      const problem = fields.problem();
      if (problem) { error.textContent = problem; return; }
      const refused = await fields.send();
      if (refused) { error.textContent = refused; return; }
      const me = await whoAmI().catch(() => null);
      const target = next ? `?next=${encodeURIComponent(next)}` : "";
      if (me && me.mfa_complete === false) navigate(`/signin/enroll${target}`, { replace: true });
      else navigate(next || homeFor(me && me.role), { replace: true });
    });
  });
  clearWhenEdited(form, error);
  mountNodes(root, h("section", { class: "auth-card card" },
    h("h1", null, t("staff.password.forced_title")),
    h("p", { class: "lede" }, t("staff.password.forced_lede")),
    form, signOutLine("staff.password.leave")));
  form.querySelector("input").focus();
  return { rerender: () => mount(root, { query, navigate }) };
}
