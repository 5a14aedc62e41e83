// Client routes → screen modules (lazily imported). Each screen's owner adds its lines here.
// The gateway serves the shell page for these paths (gateway/static_routes.py CLIENT_ROUTES).
// `staff: true`: signed-in staff only (else sign-in, then back here).

export const ROUTES = [
  { path: "/", load: () => import("./screens/home.js"), title: "common.home.title" },
  { path: "/signin", load: () => import("./screens/signin.js"), title: "staff.signin.title" },
  { path: "/signin/enroll", load: () => import("./screens/enroll.js"), title: "staff.enroll.title" },
  { path: "/signin/password", load: () => import("./screens/password.js"), title: "staff.password.forced_title" },
  { path: "/hearings", load: () => import("./screens/hearings.js"), title: "mediator.hearings.title", staff: true },
  { path: "/hearings/:id", load: () => import("./screens/console.js"), title: "mediator.console.title", staff: true },
  { path: "/hearings/:id/setup", load: () => import("./screens/setup.js"), title: "mediator.setup.title", staff: true },
  // participant (web-participant)
  { path: "/join", load: () => import("./screens/join.js"), title: "participant.join.title" },
  { path: "/lobby", load: () => import("./screens/hearing.js"), title: "participant.lobby.title" },
  { path: "/hearing", load: () => import("./screens/hearing.js"), title: "participant.hearing.title" },
  { path: "/techcheck", load: () => import("./screens/techcheck.js"), title: "participant.techcheck.title" },
];

// auditor (web-audit)
const audit = (load, title) => ({ load, title, staff: true });
ROUTES.push(
  { path: "/audit", ...audit(() => import("./screens/audit-search.js"), "audit.search.title") },
  { path: "/audit/entry/:index", ...audit(() => import("./screens/audit-entry.js"), "audit.entry.page_title") },
  { path: "/audit/documents/:document", ...audit(() => import("./screens/audit-report.js"), "audit.report.document_page") },
  { path: "/audit/people/:person", ...audit(() => import("./screens/audit-report.js"), "audit.report.person_page") },
  { path: "/audit/hearings", ...audit(() => import("./screens/audit-hearings.js"), "audit.hearings.title") },
  { path: "/audit/hearings/:hearing", ...audit(() => import("./screens/audit-hearings.js"), "audit.hearing.page_title") },
  { path: "/audit/hearings/:hearing/:view", ...audit(() => import("./screens/audit-hearings.js"), "audit.timeline.page_title") },
  { path: "/audit/export", ...audit(() => import("./screens/audit-export.js"), "audit.export.title") },
  { path: "/audit/key", ...audit(() => import("./screens/audit-key.js"), "audit.key.title") },
  // administrator (web-audit)
  { path: "/admin", ...audit(() => import("./screens/admin.js"), "admin.accounts.title") },
  { path: "/admin/:view", ...audit(() => import("./screens/admin.js"), "admin.page_title") },
);

export const NOT_FOUND = () => import("./screens/notfound.js");
