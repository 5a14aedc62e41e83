// The shell's header: brand, staff navigation, the hearing's status slot, the language menu,
// who is signed in (a menu: their name as others see it, their password) and sign-out. Rebuilt
// on route and language.

import { api, forgetCsrf } from "../core/api.js";
import { currentLanguage, LANGUAGES, setLanguage, t } from "../core/i18n.js";
import { h, mount } from "../core/render.js";
import { menuButton } from "./menu.js";
import { editOwnName } from "./profile.js";

let state = { me: null, navigate: null };
let statusNodes = [];

export function renderHeader(element, { me = state.me, navigate = state.navigate } = {}) {
  state = { me, navigate };
  const staff = me && me.kind === "account" && me.mfa_complete !== false && !me.password_change_required;
  const languages = h("select", {
    id: "language", class: "language",
    onchange: (event) => setLanguage(event.target.value),
  }, LANGUAGES.map((lang) => h("option", { value: lang, selected: lang === currentLanguage() },
    t(`common.language.${lang}`))));
  mount(element,
    h("a", { class: "brand", href: staff ? navLinks(me.role)[0].getAttribute("href") : "/" },
      h("span", { class: "brand-mark", "aria-hidden": "true" }), t("common.brand")),
    staff ? h("nav", { class: "shell-nav", "aria-label": t("common.nav.label") }, navLinks(me.role)) : null,
    h("div", { class: "shell-status", id: "shell-status" }, statusNodes),
    h("div", { class: "shell-tools" },
      h("label", { class: "language-label", for: "language" }, t("common.language.label")),
      languages,
      staff ? accountMenu(element, me) : null,
      staff ? h("button", { type: "button", class: "button subtle", id: "signout",
        onclick: () => signOut() }, t("common.signout")) : null));
}

// The staff navigation by role: auditors read the log, administrators run accounts and health.
function navLinks(role) {
  if (role === "auditor") return [h("a", { href: "/audit" }, t("audit.nav.home"))];
  if (role === "admin") {
    return [h("a", { href: "/admin" }, t("admin.nav.home")), h("a", { href: "/hearings" }, t("common.nav.hearings"))];
  }
  return [h("a", { href: "/hearings" }, t("common.nav.hearings"))];
}

// Who is signed in, as a menu of what they may change about themselves. A long name is cut with
// an ellipsis on a phone (parley.css): whole in the title.
function accountMenu(element, me) {
  const name = me.display_name || me.username || "";
  const menu = menuButton(h("span", { class: "who-name" }, name), () => [
    { label: t("staff.profile.rename"), onSelect: () => renameSelf(element) },
    // Loaded when asked for: every page carries the header, few change a password.
    { label: t("staff.password.open"), onSelect: () => import("./password.js").then((m) => m.changeOwnPassword()) },
  ], { className: "button subtle who", ariaLabel: t("staff.profile.open", { name }) });
  const button = menu.querySelector("button");
  button.id = "profile";
  button.title = name;
  menu.classList.add("who-menu");
  return menu;
}

async function renameSelf(element) {
  const name = await editOwnName(state.me);
  if (name === null || !state.me) return;
  renderHeader(element, { me: { ...state.me, display_name: name } });
}

// Screens put their hearing status (lock badge…) in the header; cleared on route change.
export function setHeaderStatus(...nodes) {
  statusNodes = nodes;
  const slot = document.getElementById("shell-status");
  if (slot) mount(slot, nodes);
}

export async function signOut() {
  try {
    await api("POST", "/api/v1/auth/signout", undefined, { expect401: true });
  } catch (_) {
    // Signed out already (or the session had expired): either way, back to sign-in.
  }
  forgetCsrf();
  state.me = null;
  if (state.navigate) state.navigate("/signin?signedout=1");
}
