// A gateway route, as a refusal of it reads: "read the hearing list", not
// "GET /api/v1/hearings". The gateway records a refused request (`auth.denied`) on its route's
// key, "<METHOD> <path template>" (gateway/http/routes.py `Route.key`); the words are
// `audit.route.<name>` in audit.json. A route not named here is shown by its key.
// Pure: no DOM, no catalogue (tests/js/audit_routes.test.mjs checks each has its words).

const H = '/api/v1/hearings/{hearing}';
const D = `${H}/documents/{document}`;

const ROUTES = {
  'GET /api/v1/me': 'me',
  'PATCH /api/v1/me': 'me_rename',
  'GET /api/v1/hearings': 'hearings_list',
  'POST /api/v1/hearings': 'hearing_create',
  [`GET ${H}`]: 'hearing_detail',
  [`PATCH ${H}`]: 'hearing_change',
  [`POST ${H}/open`]: 'hearing_open',
  [`POST ${H}/close`]: 'hearing_close',
  [`POST ${H}/mediator`]: 'hearing_hand_over',
  [`GET ${H}/calendar.ics`]: 'hearing_calendar',
  [`POST ${H}/participants`]: 'participant_invite',
  [`DELETE ${H}/participants/{participant}`]: 'participant_remove',
  [`POST ${H}/participants/{participant}/invitations`]: 'participant_reissue',
  [`POST ${H}/sides`]: 'side_add',
  [`PATCH ${H}/sides/{side}`]: 'side_change',
  [`DELETE ${H}/sides/{side}`]: 'side_remove',
  [`GET ${H}/documents`]: 'documents_list',
  [`POST ${H}/documents`]: 'document_upload',
  [`GET ${D}`]: 'document_detail',
  [`GET ${D}/content`]: 'document_content',
  [`GET ${D}/versions`]: 'document_versions',
  [`POST ${D}/release`]: 'document_release',
  [`GET ${H}/uploads/{upload}`]: 'upload_continue',
  [`HEAD ${H}/uploads/{upload}`]: 'upload_continue',
  [`PATCH ${H}/uploads/{upload}`]: 'upload_continue',
  [`DELETE ${H}/uploads/{upload}`]: 'upload_cancel',
  'GET /api/v1/ws': 'hearing_connect',
  'GET /api/v1/ice-servers': 'ice_servers',
  'POST /api/v1/techcheck': 'techcheck',
  'GET /api/v1/accounts': 'accounts_list',
  'POST /api/v1/accounts': 'account_create',
  'PATCH /api/v1/accounts/{account}': 'account_change',
  'GET /api/v1/tokens': 'tokens_list',
  'POST /api/v1/tokens': 'token_create',
  'DELETE /api/v1/tokens/{token}': 'token_revoke',
  'POST /api/v1/auth/signout': 'signout',
  'POST /api/v1/auth/totp/enroll': 'totp',
  'POST /api/v1/auth/totp/confirm': 'totp',
  'GET /api/v1/audit/events': 'audit_search',
  'GET /api/v1/audit/names': 'audit_names',
  'POST /api/v1/audit/exports': 'audit_export',
  'GET /api/v1/audit/proofs/inclusion': 'audit_proof',
  'GET /api/v1/audit/proofs/consistency': 'audit_proof',
  'GET /api/v1/audit/entries/{index}/receipt': 'audit_proof',
  'GET /api/v1/audit/status': 'audit_status',
  'GET /api/v1/settings': 'settings',
  'POST /api/v1/evidence/master-key/rotate': 'master_key',
};

/** The catalogue key (`audit.route.<name>`) for a route key, or null when it has no words. */
export function routeKey(route) {
  const name = typeof route === 'string' && Object.hasOwn(ROUTES, route) ? ROUTES[route] : null;
  return name ? `audit.route.${name}` : null;
}

/** Every route key named here (the test checks each is a route the gateway declares). */
export const NAMED_ROUTES = Object.keys(ROUTES);

/** Every catalogue key the table can answer. */
export const ROUTE_KEYS = [...new Set(Object.values(ROUTES).map((name) => `audit.route.${name}`))];
