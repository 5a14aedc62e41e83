// Every API or WebSocket error → one sentence in the person's language, never raw JSON.
//
// The server's codes are few and generic (`forbidden`, `conflict`…); what they mean to a person
// depends on what they were doing, so a screen names its action: `describe(error, "signin")`
// looks up `<area>.error.signin.<code>` style keys first (the action key may carry its area, e.g.
// "staff.signin"), then `common.error.<code>`, then `common.error.internal`. Where the server
// names a finer `reason` and the action has a sentence for it (`<area>.error.<action>.<reason>`),
// that sentence comes first: "too_large" may mean the file, or the hearing being full.

import { has, t } from "./i18n.js";

export const CODES = ["invalid", "unauthenticated", "forbidden", "not_found", "conflict",
  "too_large", "rate_limited", "unavailable", "internal", "integrity", "network"];

export function errorCode(error) {
  if (error && typeof error.code === "string" && CODES.includes(error.code)) return error.code;
  return "internal";
}

export function describe(error, action = null) {
  const code = errorCode(error);
  const retry = error && error.retryAfter ? Math.max(1, Math.ceil(error.retryAfter / 60)) : 1;
  const params = { minutes: retry, count: retry };
  if (action) {
    const [area, ...rest] = action.includes(".") ? action.split(".") : ["common", action];
    const base = `${area}.error.${rest.join(".") || action}`;
    const reason = error && typeof error.reason === "string" ? `${base}.${error.reason}` : null;
    if (reason && has(reason)) return t(reason, params);
    if (has(`${base}.${code}`)) return t(`${base}.${code}`, params);
  }
  const key = `common.error.${code}`;
  return has(key) ? t(key, params) : t("common.error.internal");
}
