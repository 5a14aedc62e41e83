// Staff sign-in: username, password and the authenticator code (or a recovery code instead).
// A first sign-in without TOTP set up leaves the code empty and goes on to enrolment; one with
// a password an administrator set goes first to choosing the person's own (screens/password.js).

import { api, rememberCsrf } from "../core/api.js";
import { describe, errorCode } from "../core/errors.js";
import { t } from "../core/i18n.js";
import { h, mount } from "../core/render.js";
import { safeNext } from "../core/router.js";
import { field, formError, submitting } from "../components/form.js";

// Why the last session ended (router.js STAFF_ENDS) → what the page says.
const ENDED_NOTICES = {
  disabled: "staff.signin.disabled",
  password_reset: "staff.signin.password_reset",
  password_changed: "staff.signin.password_changed",
};

export function homeFor(role) {
  if (role === "auditor") return "/audit";
  if (role === "admin") return "/admin";
  return "/hearings";
}

export function mount_(root, { query, navigate }) {
  let recovery = false;
  // The password of the last attempt refused with a code, kept in its field (below).
  let kept = null;
  const next = safeNext(query.get("next"));
  const username = h("input", { name: "username", autocomplete: "username", required: true,
    maxlength: "64", autocapitalize: "none", spellcheck: "false" });
  const password = h("input", { name: "password", type: "password", required: true,
    autocomplete: "current-password", maxlength: "1024" });
  const code = h("input", { name: "totp", inputmode: "numeric", autocomplete: "one-time-code",
    pattern: "[0-9]{6}", maxlength: "6" });
  const recoveryInput = h("input", { name: "recovery_code", autocomplete: "off",
    maxlength: "19", spellcheck: "false", autocapitalize: "none" });
  const codeField = field(t("staff.signin.code"), code, t("staff.signin.code_hint"));
  const recoveryField = field(t("staff.signin.recovery"), recoveryInput,
    t("staff.signin.recovery_hint"));
  recoveryField.hidden = true;
  const toggle = h("button", { type: "button", class: "link-button", id: "use-recovery" },
    t("staff.signin.use_recovery"));
  toggle.addEventListener("click", () => {
    recovery = !recovery;
    codeField.hidden = recovery;
    recoveryField.hidden = !recovery;
    toggle.textContent = recovery ? t("staff.signin.use_code") : t("staff.signin.use_recovery");
    (recovery ? recoveryInput : code).focus();
  });
  const error = formError();
  const submit = h("button", { type: "submit", class: "button primary wide" }, t("staff.signin.submit"));
  const notices = [];
  // Why the last session ended, when the server said (`ended`: the 401's reason): a disabled
  // account is told so, not "session ended" (its holder would only try again in vain).
  const ended = query.get("ended");
  if (ENDED_NOTICES[ended]) notices.push(h("p", { class: "notice", role: "status" }, t(ENDED_NOTICES[ended])));
  else if (query.get("expired")) notices.push(h("p", { class: "notice", role: "status" }, t("staff.signin.expired")));
  if (query.get("signedout")) notices.push(h("p", { class: "notice", role: "status" }, t("staff.signin.signed_out")));

  const form = h("form", { class: "stack", novalidate: true },
    field(t("staff.signin.username"), username),
    field(t("staff.signin.password"), password),
    codeField, recoveryField, toggle, error, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(submit, error, async () => {
      const name = username.value.trim().toLowerCase();
      if (!name || !password.value) {
        error.textContent = t("staff.signin.missing");
        return;
      }
      const body = { username: name, password: password.value };
      const otp = code.value.replace(/\s+/g, "");
      const rc = recoveryInput.value.trim();
      if (recovery && rc) body.recovery_code = rc;
      else if (!recovery && otp) {
        if (!/^[0-9]{6}$/.test(otp)) {
          error.textContent = t("staff.signin.code_format");
          code.focus();
          return;
        }
        body.totp = otp;
      }
      try {
        const reply = await api("POST", "/api/v1/auth/signin", body, { expect401: true });
        rememberCsrf(reply.csrf_token);
        const target = next ? `?next=${encodeURIComponent(next)}` : "";
        if (reply.password_change_required) {
          navigate(`/signin/password${target}`, { replace: true });
        } else if (reply.mfa_complete === false) {
          navigate(`/signin/enroll${target}`, { replace: true });
        } else {
          navigate(next || homeFor(reply.role), { replace: true });
        }
      } catch (failure) {
        error.textContent = describe(failure, "staff.signin");
        code.value = "";
        // The server says one thing for a wrong password and a wrong code. With a code, the
        // code is the likelier slip (typed, or its 30 seconds gone): the password stays (in the
        // field only, never stored) and only the code is asked for again; refused a second time
        // with that same password, the password is asked for again too, as it is without a code.
        const withCode = Boolean(body.totp || body.recovery_code);
        if (withCode && errorCode(failure) === "unauthenticated" && kept !== password.value) {
          kept = password.value;
          (recovery ? recoveryInput : code).focus();
          return;
        }
        kept = null;
        password.value = "";
        password.focus();
      }
    });
  });

  mount(root, h("section", { class: "auth-card card" },
    h("h1", null, t("staff.signin.title")),
    h("p", { class: "lede" }, t("staff.signin.lede")),
    notices, form,
    h("p", { class: "aside" }, t("staff.signin.participants"))));
  username.focus();
  return {
    rerender: () => mount_(root, { query, navigate }),
  };
}

export { mount_ as mount };
