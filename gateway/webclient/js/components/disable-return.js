// Disabling a mediator who still holds hearings (screens/admin.js): the Disable dialog lists
// them, each linked to its hand-over on the hearings list (screens/hearings.js) with where to
// come back: `?hand_over=<hearing>&then=disable:<account>`. The hearings list, given a `then`
// naming an enabled mediator account it knows, says how many hearings that mediator still holds
// and offers "Back to disable <name>": /admin?disable=<account>, which opens the Disable dialog
// again for that account. `then` only ever names an account: the way back is a path built here,
// never one taken from the address (no open redirect).

import { api } from "../core/api.js";
import { t } from "../core/i18n.js";
import { h } from "../core/render.js";

const ACCOUNT_ID = /^[0-9A-Za-z_-]{1,64}$/;

// An account's name as the administrator's pages show it.
const accountName = (a) => a.display_name || a.username;

// The hearings not ended whose mediator is `account` (none when the list cannot be read: the
// disable is then confirmed as for any account, and the hearings list still offers hand-over).
export async function heldHearings(account) {
  try {
    const { hearings } = await api("GET", "/api/v1/hearings");
    return hearings.filter((x) => x.mediator === account.id && x.state !== "closed");
  } catch (_) {
    return [];
  }
}

export function handOverLinks(hearings, account) {
  const back = `&then=${encodeURIComponent(`disable:${account.id}`)}`;
  return h("ul", { class: "plain held-hearings", "aria-label": t("admin.confirm.hearings_label") },
    hearings.map((x) => h("li", null,
      h("a", { href: `/hearings?hand_over=${encodeURIComponent(x.id)}${back}` }, x.title))));
}

// Pure: the account a `then` value asks to come back to disable, or null: only
// "disable:<id>" naming an enabled mediator among `accounts` (id → account).
export function disableReturn(then, accounts) {
  const match = typeof then === "string" ? /^disable:(.+)$/.exec(then) : null;
  if (!match || !ACCOUNT_ID.test(match[1])) return null;
  const account = accounts.get(match[1]);
  return account && account.role === "mediator" && !account.disabled ? account : null;
}

// Pure: the accounts page's address that reopens the Disable dialog for `account`.
export function disablePath(account) {
  return `/admin?disable=${encodeURIComponent(account.id)}`;
}

// The hearings list's note for an administrator who came from the Disable dialog: what
// `account` still holds among `hearings`, and the way back.
export function backToDisable(account, hearings) {
  const count = hearings.filter((x) => x.mediator === account.id && x.state !== "closed").length;
  const name = accountName(account);
  return h("div", { class: "notice disable-return", role: "status", "data-account": account.id },
    h("p", null, count ? t("mediator.hearings.then_disable_held", { name, count })
      : t("mediator.hearings.then_disable_none", { name })),
    h("a", { class: "button small danger", href: disablePath(account) },
      t("mediator.hearings.then_disable", { name })));
}
