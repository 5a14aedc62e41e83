// Form building blocks: a labelled field with an optional hint, a form-level error (role=alert,
// gone once the form is edited) and a busy state on the submit button, so every form in the
// client behaves the same way.

import { h, uid } from "../core/render.js";

export function field(label, input, hint = null) {
  if (!input.id) input.id = uid("f");
  let hintNode = null;
  if (hint) {
    hintNode = h("p", { class: "hint", id: uid("hint") }, hint);
    input.setAttribute("aria-describedby", hintNode.id);
  }
  return h("div", { class: "field" }, h("label", { for: input.id }, label), input, hintNode);
}

// A staff display name (the name people see in hearings), bounded as the server bounds it
// (proto/common.py DISPLAY_NAME_MAX); set as a property, never as markup.
export function displayNameInput(name, value = "") {
  return h("input", { name, value, autocomplete: "off", maxlength: 100, spellcheck: "false" });
}

export function formError() {
  return h("p", { class: "form-error", role: "alert" });
}

// A form's error is about what was typed or picked: it goes as soon as any of that changes, so
// a sentence never stays beside an answer it no longer describes.
export function clearWhenEdited(form, errorNode) {
  const clear = (event) => {
    errorNode.textContent = "";
    if (event && event.target instanceof Element) event.target.removeAttribute("aria-invalid");
  };
  form.addEventListener("input", clear);
  form.addEventListener("change", clear);
}

// Run `work` with the button disabled; the error node shows what went wrong (or clears).
export async function submitting(button, errorNode, work) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  if (errorNode) errorNode.textContent = "";
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

