// "Not your account, or not now? Sign out": on the steps a person must finish before anything
// else (choosing their own password, setting up the authenticator), where the header offers no
// sign-out; someone handed another's device, or stopping for now, is never stuck there.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { signOut } from "./header.js";

// `key`: what signing out leaves for next time, in the step's words.
export function signOutLine(key) {
  return h("div", { class: "auth-leave" }, h("p", { class: "muted" }, t(key)),
    h("button", { type: "button", class: "button", onclick: () => signOut() }, t("common.signout")));
}
