// Why a request was refused or went wrong, in words: the reasons the services record in a
// refused or failed entry's `details.reason` (pure: no DOM, no catalogue; the words are
// `audit.why.<key>` in audit.json).
//
// The services write three kinds of reason, and this table knows each one they can write
// (tests/js/audit_reasons.test.mjs reads them from the Python sources and fails on a new one):
//
// - short codes: the signalling core's refused invitations (`access_code`, `locked`, core.py),
//   evidence's refusals (`missing`, `too large` for a document over the size limit, and
//   `not visible` for everything else it refuses: a non-member, a compartment that does not
//   admit the caller, a release or destruction it may not make), evidence's unusable records (`format`, `legacy`, `authentication`, `place`,
//   `hearing_key`: manifest.py), an administrator change that would lock everyone out
//   (`self_disable`, `self_demote`, `last_admin`: gateway/identity/accounts.py);
// - the message of the refusal itself, in English: the signalling service records the message
//   of a refused command (shell.py `_refusal`: access.py, core.py, invitations.py, …), the
//   gateway the message of a refused invitation (api/hearings.py), a refused sign-in
//   (api/auth.py) or request (the access rules, gateway/identity/policy.py, as
//   "<rule>: sign-in required", "<rule>: requires <grants>", "<rule>: TOTP enrolment required
//   first", "<rule>: a new password must be chosen first"; a missing CSRF token; a rate limit);
// - free text from a decoder (a malformed request the gateway passed on, a log message the
//   audit service could not read): no sentence can say it; `reasonKey` answers null and the
//   page says that the entry's details record it.

// [reason (a string, or a RegExp for the access rules' "<rule>: …"), key, action (optional:
// a reason whose meaning depends on the action that recorded it)]
const REASONS = [
  // Invitations: the signalling core's own codes, the messages of its refusals, the gateway's.
  ['locked', 'hearing_locked'],
  ['the hearing is locked: nobody new is admitted', 'hearing_locked'],
  ['access_code', 'access_code'],
  ['access code not accepted', 'access_code'],
  ['invitation or access code not valid', 'invitation_invalid'],
  ['the hearing has ended', 'hearing_ended'],
  ['the invitation was withdrawn', 'invitation_revoked'],
  ['a newer invitation replaced this one', 'invitation_replaced'],
  ['the participant was removed from the hearing', 'participant_removed'],
  ['the invitation was already used', 'invitation_used'],
  ['the invitation has expired', 'invitation_expired'],
  ['too many wrong access codes', 'too_many_codes'],
  ['too many failed invitation attempts from this address', 'redeem_backoff'],
  // Commands the signalling service refused (access.py, core.py, core_actions.py, chatlog.py,
  // mediator_name.py).
  ['not a participant of this hearing', 'not_in_hearing'],
  ['participant is not active in this hearing', 'not_active'],
  ["only this hearing's mediator may do that", 'mediator_only'],
  ["only the hearing's mediator or an admin may read its detail", 'mediator_or_admin'],
  ['only staff create hearings', 'create_hearing'],
  ['only a mediator or an admin creates hearings', 'create_hearing'],
  ['a mediator creates hearings for itself', 'create_own_hearing'],
  ['chat is for people in a room', 'chat_no_room'],
  ['too many chat messages; wait a moment', 'chat_flood'],
  ["only an admin or the mediator changes the mediator's name", 'mediator_name'],
  ['only an administrator hands a hearing over to another mediator', 'hand_over_admin'],
  // The gateway: the access rules, CSRF, rate limits, sign-in, account changes.
  [/^(?:[\w.:-]+: )?sign-in required$/, 'signin_required'],
  [/^(?:[\w.:-]+: )?TOTP enrolment required first$/, 'totp_required'],
  [/^(?:[\w.:-]+: )?a new password must be chosen first$/, 'password_required'],
  [/^[\w.:-]+: requires .+$/, 'role_required'],
  ['missing or invalid CSRF token', 'csrf'],
  ['too many requests', 'rate_limited'],
  ['too many failed sign-ins; try again later', 'locked_out'],
  ['invalid credentials', 'bad_credentials'],
  ['code reused', 'code_reused'],
  ['account disabled', 'account_disabled'],
  ['temporary password expired', 'temporary_password_expired'],
  ['wrong code', 'wrong_code'],
  ['self_disable', 'self_disable'],
  ['self_demote', 'self_demote'],
  ['last_admin', 'last_admin'],
  // Documents (services/evidence/decisions.py, manifest.py).
  ['missing', 'document_missing'],
  ['not visible', 'not_visible'],
  ['too large', 'document_too_large'],
  ['format', 'record_format', 'document.manifest_rejected'],
  ['legacy', 'record_legacy', 'document.manifest_rejected'],
  ['authentication', 'record_authentication', 'document.manifest_rejected'],
  ['place', 'record_place', 'document.manifest_rejected'],
  ['hearing_key', 'record_other_key', 'document.manifest_rejected'],
  ['hearing_key', 'hearing_key_record', 'document.integrity_failure'],
];

/** The catalogue key (`audit.why.<key>`) for a recorded reason, or null when the reason is
 *  not one the services are known to write (the page then points to the entry's details). */
export function reasonKey(action, reason) {
  if (typeof reason !== 'string' || !reason) return null;
  for (const [match, key, only] of REASONS) {
    if (only && only !== action) continue;
    if (typeof match === 'string' ? match === reason : match.test(reason)) return key;
  }
  return null;
}

/** Every key the table can answer (the catalogue test checks each has its words). */
export const REASON_KEYS = [...new Set(REASONS.map(([, key]) => key))];
