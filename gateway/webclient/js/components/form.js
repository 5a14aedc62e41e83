// Form building blocks: a labelled field with an optional hint, a form-level error (role=alert,
// gone once the form is edited) and a busy state on the submit button, so every form in the
// client behaves the same way.

import { t } from "../core/i18n.js";
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

// A field whose text has a limit (`maxlength`, the server's): under it, as it is typed, "12 of
// 200 characters", so nothing is cut at the limit without a word. At the limit the line says
// so, and a screen reader hears that once (the count itself is not announced at each key).
export function countedField(label, input, hint = null) {
  const node = field(label, input, hint);
  const max = Number(input.getAttribute("maxlength"));
  const count = h("p", { class: "hint char-count", id: uid("count") });
  const reached = h("span", { class: "visually-hidden", "aria-live": "polite" });
  const update = () => {
    const length = input.value.length;
    const full = length >= max;
    count.classList.toggle("at-limit", full);
    count.textContent = t(full ? "common.chars_full" : "common.chars", { count: length, max });
    reached.textContent = full ? count.textContent : "";
  };
  input.setAttribute("aria-describedby",
    [input.getAttribute("aria-describedby"), count.id].filter(Boolean).join(" "));
  input.addEventListener("input", update);
  update();
  node.append(count, reached);
  return node;
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

