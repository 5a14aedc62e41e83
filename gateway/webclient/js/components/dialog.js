// Confirmation dialogs on the native <dialog> (focus trapped, Escape cancels). A dangerous
// action may ask the person to type a word (e.g. the hearing's title) before it is allowed.

import { t } from "../core/i18n.js";
import { h, uid } from "../core/render.js";

// → Promise<{confirmed: boolean, checked: boolean}>. `more`: nodes shown after the body (a list
// of links the person may follow instead of confirming).
export function confirmDialog({ title, body, confirm, danger = false, typed = null,
  checkbox = null, more = null, dismiss = null }) {
  return new Promise((resolve) => {
    const titleId = uid("dlg");
    const input = typed ? h("input", { id: uid("typed"), autocomplete: "off", spellcheck: "false" }) : null;
    const check = checkbox ? h("input", { type: "checkbox", id: uid("chk") }) : null;
    const ok = h("button", { type: "submit", class: danger ? "button danger" : "button primary",
      disabled: Boolean(typed) }, confirm);
    const cancel = h("button", { type: "button", class: "button", value: "cancel" }, dismiss ?? t("common.cancel"));
    const typedField = typed ? h("div", { class: "field" },
      h("label", { for: input.id }, typed.label), input) : null;
    const sync = () => {
      const needs = typed && (!check || check.checked || typed.always);
      ok.disabled = Boolean(needs) && input.value.trim() !== typed.word;
      if (typedField) typedField.hidden = Boolean(check && !check.checked && !typed.always);
    };
    if (input) input.addEventListener("input", sync);
    if (check) check.addEventListener("change", sync);
    const form = h("form", { method: "dialog", class: "dialog-form" },
      h("h2", { id: titleId }, title),
      body ? h("p", null, body) : null,
      more,
      check ? h("div", { class: "check" }, check, h("label", { for: check.id }, checkbox)) : null,
      typedField,
      h("div", { class: "actions" }, cancel, ok));
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId }, form);
    let done = false;
    const finish = (confirmed) => {
      if (done) return;
      done = true;
      const checked = Boolean(check && check.checked);
      dialog.close();
      dialog.remove();
      resolve({ confirmed, checked });
    };
    form.addEventListener("submit", (event) => { event.preventDefault(); if (!ok.disabled) finish(true); });
    // A link in `more` followed instead: the dialog goes (not confirmed), the page moves on.
    form.addEventListener("click", (event) => { if (event.target.closest("a[href]")) finish(false); });
    cancel.addEventListener("click", () => finish(false));
    dialog.addEventListener("cancel", () => finish(false));
    document.body.append(dialog);
    sync();
    dialog.showModal();
    (input && !check ? input : cancel).focus();
  });
}

// A dialog holding a small form (`content`: field nodes); resolves true when submitted.
// `validate()` may return a sentence to show instead of closing. `save()` (async), when given,
// runs on submit with the dialog still open and its button busy: a sentence it returns (the
// server's refusal) is shown there, so nothing typed is lost; the dialog closes once it is done.
// `wide`: room for two fields side by side.
export function formDialog({ title, content, confirm, validate = () => null, save = null, wide = false }) {
  return new Promise((resolve) => {
    const titleId = uid("dlg");
    const error = h("p", { class: "form-error", role: "alert" });
    const ok = h("button", { type: "submit", class: "button primary" }, confirm);
    const cancel = h("button", { type: "button", class: "button" }, t("common.cancel"));
    const form = h("form", { method: "dialog", class: "dialog-form" },
      h("h2", { id: titleId }, title), content, error, h("div", { class: "actions" }, cancel, ok));
    const dialog = h("dialog", { class: wide ? "dialog wide" : "dialog", "aria-labelledby": titleId }, form);
    // What `validate()` said is about the fields as they were: editing them takes it away.
    const clear = () => { error.textContent = ""; };
    form.addEventListener("input", clear);
    form.addEventListener("change", clear);
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (ok.disabled) return;
      const problem = validate();
      if (problem) { error.textContent = problem; return; }
      if (!save) { finish(true); return; }
      ok.disabled = true;
      ok.setAttribute("aria-busy", "true");
      try {
        const refused = await save();
        if (refused) error.textContent = refused;
        else finish(true);
      } finally {
        ok.disabled = false;
        ok.removeAttribute("aria-busy");
      }
    });
    cancel.addEventListener("click", () => finish(false));
    dialog.addEventListener("cancel", () => finish(false));
    document.body.append(dialog);
    dialog.showModal();
    const first = form.querySelector("input, textarea, select");
    (first || ok).focus();
  });
}
