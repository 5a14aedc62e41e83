// First-time TOTP enrolment: the server makes the secret and draws its QR code (SVG, from the
// gateway); the person scans it, types the first code, and is shown the recovery codes once.

import { api, whoAmI } from "../core/api.js";
import { describe } from "../core/errors.js";
import { t } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";
import { safeNext } from "../core/router.js";
import { copyButton } from "../components/copy.js";
import { field, formError, submitting } from "../components/form.js";
import { signOutLine } from "../components/sign-out-line.js";
import { homeFor } from "./signin.js";

function groups(secret) {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

export async function mount(root, { query, navigate }) {
  const next = safeNext(query.get("next"));
  const card = h("section", { class: "auth-card card wide" });
  mountNodes(root, card);
  let enrolment;
  try {
    enrolment = await api("POST", "/api/v1/auth/totp/enroll", {});
  } catch (failure) {
    mountNodes(card, h("h1", null, t("staff.enroll.title")),
      h("p", { class: "form-error", role: "alert" }, describe(failure, "staff.enroll")),
      h("a", { class: "button", href: "/signin" }, t("staff.enroll.back")), signOutLine("staff.enroll.leave"));
    return {};
  }
  const qr = h("img", { class: "qr", alt: t("staff.enroll.qr_alt"), width: "220", height: "220",
    src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qr_svg)}` });
  const code = h("input", { name: "code", inputmode: "numeric", autocomplete: "one-time-code",
    pattern: "[0-9]{6}", maxlength: "6", required: true });
  const error = formError();
  const submit = h("button", { type: "submit", class: "button primary" }, t("staff.enroll.confirm"));
  const form = h("form", { class: "stack", novalidate: true }, // checked below, in the page's words
    field(t("staff.enroll.code"), code, t("staff.enroll.code_hint")), error, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(submit, error, async () => {
      const value = code.value.replace(/\s+/g, "");
      if (!/^[0-9]{6}$/.test(value)) {
        error.textContent = t("staff.signin.code_format");
        return;
      }
      try {
        const reply = await api("POST", "/api/v1/auth/totp/confirm", { code: value });
        showRecovery(card, reply.recovery_codes, async () => {
          const fresh = await settled();
          navigate(next || homeFor(fresh && fresh.role), { replace: true });
        });
      } catch (failure) {
        error.textContent = describe(failure, "staff.enroll");
        code.value = "";
        code.focus();
      }
    });
  });
  mountNodes(card,
    h("h1", null, t("staff.enroll.title")),
    h("p", { class: "lede" }, t("staff.enroll.lede")),
    h("div", { class: "enroll-grid" },
      h("figure", { class: "qr-frame" }, qr),
      h("div", { class: "stack" },
        h("p", null, t("staff.enroll.manual")),
        h("p", { class: "secret" }, h("code", { id: "totp-secret" }, groups(enrolment.secret))),
        form)),
    signOutLine("staff.enroll.leave"));
  code.focus();
  return {};
}


// Who is signed in now (`mfa_complete` is left out of replies when true).
async function settled() {
  return whoAmI().catch(() => null);
}

function showRecovery(card, codes, done) {
  const list = h("ol", { class: "recovery-codes" }, codes.map((c) => h("li", null, h("code", null, c))));
  const cont = h("button", { type: "button", class: "button primary", onclick: done },
    t("staff.enroll.saved"));
  mountNodes(card,
    h("h1", null, t("staff.enroll.recovery_title")),
    h("p", { class: "lede" }, t("staff.enroll.recovery_lede")),
    list,
    h("div", { class: "actions" },
      copyButton(() => codes.join("\n"), t("staff.enroll.copy_codes")), cont));
  cont.focus();
}
