// Stylesheets beyond parley.css, added to the page when a route's screen needs them (routes.js
// `sheets`): the staff's pages other than the console use rules the room pages never do, so
// those rules (css/staff.css) are not downloaded or parsed by the console or a participant; the
// participant's pages (join, tech check, lobby and room) likewise keep theirs in
// css/participant.css, which the console and the staff's pages never load.
// A sheet is added once and kept (later pages of the same tab find it there); the screen is
// drawn once it has loaded, or failed to (the page then shows unstyled rather than nothing).

const added = new Map(); // name → promise of its load

export function sheetUrl(name, base = import.meta.url) {
  return new URL(`../../css/${name}.css`, base).href;
}

export function needSheets(names = []) {
  return Promise.all(names.map((name) => {
    if (!added.has(name)) {
      added.set(name, new Promise((resolve) => {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = sheetUrl(name);
        link.dataset.sheet = name;
        link.addEventListener("load", resolve, { once: true });
        link.addEventListener("error", resolve, { once: true });
        document.head.append(link);
      }));
    }
    return added.get(name);
  }));
}
