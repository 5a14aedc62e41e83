// Every action the audit log can hold, by family, in the order an auditor meets them.
//
// The services write these names (grep `Audit("`, `action=` and the evidence and audit services'
// `_record(…, "…")` calls); tests/js/audit_actions.test.mjs reads the Python sources and fails
// when a service writes a name that is missing here, or when a name here has no sentence
// (`audit.verb.<action>`), no label (`audit.action.<action>`) or a family without its labels.
// The search's Action filter is built from this list, so it offers only what the log can hold,
// and labels the ones it holds only as refusals as such (REFUSED_ONLY).

export const ACTION_FAMILIES = [
  { family: 'hearing', actions: ['hearing.create', 'hearing.details_change', 'hearing.open', 'hearing.side_add', 'hearing.side_rename', 'hearing.side_remove', 'hearing.lock', 'hearing.unlock',
    'hearing.mediator_rename', 'hearing.mediator_handover', 'hearing.close', 'hearing.retention_expired', 'hearing.command'] },
  { family: 'participant', actions: ['participant.invite', 'participant.redeem', 'participant.connect', 'participant.disconnect',
    'participant.admit', 'participant.deny', 'participant.leave', 'participant.remove', 'participant.reissue',
    'participant.media_claim', 'participant.media_free'] },
  { family: 'room', actions: ['room.move', 'room.move_side', 'room.shuttle', 'room.recall', 'room.caucus_create',
    'room.caucus_close', 'room.timer', 'room.timer_expired', 'room.broadcast', 'room.knock', 'room.knock_dismiss',
    'room.grace_expired', 'room.chat', 'room.peer_state'] },
  { family: 'document', actions: ['document.upload', 'document.list', 'document.view', 'document.versions_list', 'document.download', 'document.release',
    'document.denied', 'document.shred', 'document.rotate', 'document.manifest_rejected', 'document.integrity_failure'] },
  { family: 'auth', actions: ['auth.signin', 'auth.signout', 'auth.lockout', 'auth.denied', 'auth.totp_enroll_begin', 'auth.totp_enroll'] },
  { family: 'account', actions: ['account.bootstrap', 'account.create', 'account.update', 'account.password_change', 'account.password_reset'] },
  { family: 'token', actions: ['token.create', 'token.revoke'] },
  { family: 'audit', actions: ['audit.query', 'audit.proof', 'audit.export', 'audit.intake_rejected'] },
];

export const ACTIONS = ACTION_FAMILIES.flatMap((f) => f.actions);

// Actions whose sentence already says the request was refused or went wrong ("… was refused
// GET /api/v1/me"): their outcome is not added again as "— refused".
export const SELF_DESCRIBED = new Set(['auth.denied', 'auth.lockout', 'document.denied', 'document.manifest_rejected',
  'document.integrity_failure', 'audit.intake_rejected']);

// Actions the log holds only as refusals: the signalling service audits these commands when it
// refuses them (services/signalling/refusals.py) and never when it carries them out — a chat
// message's content and the fact that one was sent are not kept, by design, and a command it
// does not know is never carried out. The Action filter says so ("Chat message refused");
// tests/js/audit_actions.test.mjs reads the Python sources and fails when this list is not
// exactly the actions no service writes but as a refusal.
export const REFUSED_ONLY = new Set(['room.chat', 'hearing.command']);

// Reports written many times a minute (every client reports each of its peer connections):
// a search shows a run of them as one line the auditor can open, unless asked for one by one.
export const FOLDED = new Set(['room.peer_state']);
