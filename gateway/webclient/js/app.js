// The shell: catalogues first, then the header and the router. One page serves every route.

import { onSessionExpired } from "./core/api.js";
import { initI18n, onLanguageChange, t } from "./core/i18n.js";
import { match, navigate, onRouteChange, sessionEndedPath, startRouter } from "./core/router.js";
import { renderHeader, setHeaderStatus } from "./components/header.js";
import { NOT_FOUND, ROUTES } from "./routes.js";

async function boot() {
  await initI18n();
  const header = document.getElementById("shell-header");
  const main = document.getElementById("main");
  // The skip link is in the page before any catalogue is loaded: said in the chosen language.
  const skip = document.querySelector(".skip-link");
  const sayShell = () => { if (skip) skip.textContent = t("common.skip_to_content"); };
  sayShell();
  renderHeader(header, { me: null, navigate });
  onRouteChange((context) => {
    setHeaderStatus();
    renderHeader(header, { me: context.me, navigate });
  });
  onLanguageChange(() => { renderHeader(header); sayShell(); });
  // A staff session that expires mid-work: back to sign-in, then back here. Participants' screens
  // handle their own (their way back is the invitation link).
  onSessionExpired((failure) => {
    const found = match(location.pathname);
    if (found && found.route.staff) {
      const next = location.pathname + location.search;
      navigate(sessionEndedPath(next, failure && failure.reason), { replace: true });
    }
  });
  await startRouter(ROUTES, main, NOT_FOUND);
}

boot().catch((error) => {
  console.error(error);
  const main = document.getElementById("main");
  if (main) main.textContent = "Parley could not start. Reload the page to try again.";
});
