// Client routes → screen modules (lazily imported). Each screen's owner adds its lines here.
// The gateway serves the shell page for these paths (gateway/static_routes.py CLIENT_ROUTES).
// `staff: true`: signed-in staff only (else sign-in, then back here). `sheets`: stylesheets
// beyond parley.css its screen needs (core/sheets.js): every page but the rooms' (the console,
// the participant's) takes staff.css; the participant's pages take participant.css.

const STAFF = ["staff"];
const PARTICIPANT = ["participant"];

export const ROUTES = [
  { path: "/", load: () => import("./screens/home.js"), title: "common.home.title", sheets: STAFF },
  { path: "/signin", load: () => import("./screens/signin.js"), title: "staff.signin.title", sheets: STAFF },
  { path: "/signin/enroll", load: () => import("./screens/enroll.js"), title: "staff.enroll.title", sheets: STAFF },
  { path: "/signin/password", load: () => import("./screens/password.js"), title: "staff.password.forced_title", sheets: STAFF },
  { path: "/hearings", load: () => import("./screens/hearings.js"), title: "mediator.hearings.title", staff: true, sheets: STAFF },
  { path: "/hearings/:id", load: () => import("./screens/console.js"), title: "mediator.console.title", staff: true },
  { path: "/hearings/:id/setup", load: () => import("./screens/setup.js"), title: "mediator.setup.title", staff: true, sheets: STAFF },
  // participant (web-participant)
  { path: "/join", load: () => import("./screens/join.js"), title: "participant.join.title", sheets: PARTICIPANT },
  { path: "/lobby", load: () => import("./screens/hearing.js"), title: "participant.lobby.title", sheets: PARTICIPANT },
  { path: "/hearing", load: () => import("./screens/hearing.js"), title: "participant.hearing.title", sheets: PARTICIPANT },
  { path: "/techcheck", load: () => import("./screens/techcheck.js"), title: "participant.techcheck.title", sheets: PARTICIPANT },
];

// auditor (web-audit)
const audit = (load, title) => ({ load, title, staff: true });
ROUTES.push(
  { path: "/audit", ...audit(() => import("./screens/audit-search.js"), "audit.search.title"), sheets: STAFF },
  { path: "/audit/entry/:index", ...audit(() => import("./screens/audit-entry.js"), "audit.entry.page_title"), sheets: STAFF },
  { path: "/audit/documents/:document", ...audit(() => import("./screens/audit-report.js"), "audit.report.document_page"), sheets: STAFF },
  { path: "/audit/people/:person", ...audit(() => import("./screens/audit-report.js"), "audit.report.person_page"), sheets: STAFF },
  { path: "/audit/hearings", ...audit(() => import("./screens/audit-hearings.js"), "audit.hearings.title"), sheets: STAFF },
  { path: "/audit/hearings/:hearing", ...audit(() => import("./screens/audit-hearings.js"), "audit.hearing.page_title"), sheets: STAFF },
  { path: "/audit/hearings/:hearing/:view", ...audit(() => import("./screens/audit-hearings.js"), "audit.timeline.page_title"), sheets: STAFF },
  { path: "/audit/export", ...audit(() => import("./screens/audit-export.js"), "audit.export.title"), sheets: STAFF },
  { path: "/audit/key", ...audit(() => import("./screens/audit-key.js"), "audit.key.title"), sheets: STAFF },
  // administrator (web-audit)
  { path: "/admin", ...audit(() => import("./screens/admin.js"), "admin.accounts.title"), sheets: STAFF },
  { path: "/admin/:view", ...audit(() => import("./screens/admin.js"), "admin.page_title"), sheets: STAFF },
);

export const NOT_FOUND = { load: () => import("./screens/notfound.js"), sheets: STAFF };
