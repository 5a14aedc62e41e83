// Checking a form's fields in the page's words. Its own module (not form.js) so that only the
// screens that check constraints this way (the admin's forms) load it.

import { t } from "../core/i18n.js";

// The browser's own validation bubbles speak the browser's language, not the page's ("Please
// lengthen this text…" on a Chinese page): a form whose fields carry constraints (required,
// minlength, pattern) is built `novalidate` and checked here on submit instead, each problem
// said in the page's words. Pure but for reading the DOM: the first field's problem, or null.
export function fieldProblem(input) {
  if (input.disabled || input.closest("[hidden]") || !("value" in input)) return null;
  const value = input.type === "password" ? input.value : input.value.trim();
  const label = labelOf(input);
  if (input.required && !value) return t("common.form.required", { field: label });
  if (!value) return null;
  if (input.minLength > 0 && value.length < input.minLength) {
    return t("common.form.too_short", { field: label, min: input.minLength, count: value.length });
  }
  const pattern = input.getAttribute("pattern");
  if (pattern && !new RegExp(`^(?:${pattern})$`, "u").test(value)) {
    return t(input.dataset.patternMessage || "common.form.pattern", { field: label });
  }
  return null;
}

function labelOf(input) {
  const label = input.id && input.form ? input.form.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
  return label ? label.textContent.trim() : input.name;
}

// Check every field of `form`: the first problem goes in `errorNode` (role=alert) and its field
// is focused and marked invalid; true when there is none.
export function checkFields(form, errorNode) {
  let first = null;
  for (const input of form.querySelectorAll("input, select, textarea")) {
    const problem = first ? null : fieldProblem(input);
    if (problem) first = { input, problem };
    if (problem) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
  if (!first) return true;
  errorNode.textContent = first.problem;
  first.input.focus();
  return false;
}
