// History-API router: `routes.js` maps paths to screen modules, imported lazily.
//
// A screen module exports `mount(root, context)`; it may return an object with `unmount()`
// (close sockets, timers) and `rerender()` (the language changed: redraw labels, keep state).
// context: {params, query, navigate, me}. A route with `staff: true` needs a signed-in staff
// session with its own password chosen and TOTP complete; otherwise the person goes to sign-in and comes back afterwards
// (`/signin?next=<path>`: a path only, never a fragment, so no secret rides in a URL).
// A route's `sheets` (stylesheets beyond parley.css: core/sheets.js) load beside its module.

import { whoAmIOrWhy } from "./api.js";
import { onLanguageChange, t } from "./i18n.js";
import { needSheets } from "./sheets.js";

let routes = [];
let root = null;
let current = null; // {screen, path}
let generation = 0;
const listeners = new Set();

function compile(pattern) {
  const names = [];
  const source = pattern.replace(/:(\w+)/g, (_, name) => {
    names.push(name);
    return "([^/]+)";
  });
  return { regex: new RegExp(`^${source}/?$`), names };
}

export function match(path) {
  for (const route of routes) {
    const found = route.compiled.regex.exec(path);
    if (found) {
      const params = {};
      route.compiled.names.forEach((name, i) => { params[name] = decodeURIComponent(found[i + 1]); });
      return { route, params };
    }
  }
  return null;
}

export function startRouter(table, mainElement, notFound) {
  routes = table.map((route) => ({ ...route, compiled: compile(route.path) }));
  root = mainElement;
  routes.notFound = notFound;
  window.addEventListener("popstate", () => render());
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
        || event.shiftKey || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/")
        || url.pathname.startsWith("/static/")) return;
    if (!match(url.pathname)) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
  onLanguageChange(() => {
    const found = match(location.pathname);
    const titleKey = found ? found.route.title : "common.notfound.title";
    if (titleKey) document.title = `${t(titleKey)} · Parley`;
    if (current && current.screen && typeof current.screen.rerender === "function") {
      current.screen.rerender();
    } else {
      render();
    }
  });
  return render();
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  return render();
}

// The path to come back to after signing in: only a known client route, never elsewhere.
export function safeNext(next) {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//")) return null;
  const path = next.split("#")[0];
  return match(path.split("?")[0]) ? path : null;
}

export function signInPath(next = location.pathname + location.search) {
  return `/signin?next=${encodeURIComponent(next)}`;
}

// Why a staff session ended that sign-in says in its own words (the 401's `reason`): an
// administrator disabled the account or reset its password, or its holder changed the password
// in another session. Any other end: the session expired.
export const STAFF_ENDS = new Set(["disabled", "password_reset", "password_changed"]);

// Back to sign-in after the session ended, saying why when the server said (`reason`).
export function sessionEndedPath(next = location.pathname + location.search, reason = null) {
  return `${signInPath(next)}&${STAFF_ENDS.has(reason) ? `ended=${reason}` : "expired=1"}`;
}

export function onRouteChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function render() {
  const mine = ++generation;
  if (current && current.screen && typeof current.screen.unmount === "function") {
    try { current.screen.unmount(); } catch (error) { console.error(error); }
  }
  current = null;
  const path = location.pathname;
  const found = match(path);
  const query = new URLSearchParams(location.search);
  let me = null;
  if (found && found.route.staff) {
    const { me: who, ended } = await whoAmIOrWhy();
    me = who;
    if (mine !== generation) return;
    if (!me && STAFF_ENDS.has(ended)) return navigate(sessionEndedPath(undefined, ended), { replace: true });
    if (!me || me.kind !== "account") return navigate(signInPath(), { replace: true });
    // A password an administrator set comes first, then the authenticator (as at sign-in).
    if (me.password_change_required) {
      return navigate(`/signin/password?next=${encodeURIComponent(path + location.search)}`,
        { replace: true });
    }
    if (me.mfa_complete === false) {
      return navigate(`/signin/enroll?next=${encodeURIComponent(path + location.search)}`,
        { replace: true });
    }
  }
  const load = found ? found.route.load : routes.notFound.load;
  const [module] = await Promise.all([load(), needSheets(found ? found.route.sheets : routes.notFound.sheets)]);
  if (mine !== generation) return;
  root.replaceChildren();
  const titleKey = found ? found.route.title : "common.notfound.title";
  document.title = titleKey ? `${t(titleKey)} · Parley` : "Parley";
  const context = { params: found ? found.params : {}, query, navigate, me, path };
  for (const listener of listeners) listener(context);
  const screen = await module.mount(root, context);
  if (mine !== generation) {
    if (screen && typeof screen.unmount === "function") screen.unmount();
    return;
  }
  current = { screen, path };
  // Move focus to the new screen's heading so screen readers announce the change.
  const heading = root.querySelector("h1, h2");
  if (heading && !root.contains(document.activeElement)) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}
