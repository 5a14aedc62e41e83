// `/join#t=<token>`: the invitation link. The token rides in the fragment, so it reaches no
// server log and no Referer; it is read once and removed from the address bar, and kept only
// for this tab while the person types the access code. The code travels in the POST body only,
// never in a URL. Once accepted, the form leaves the page: the next step offers the tech check
// (skippable) and the lobby. Every refusal says its true reason (Error.reason from the server).
// A person who opens their link again in a browser still signed in to that hearing (the tab was
// closed, or they left) is let back in: no code, and no "this invitation was already used",
// which reads as if someone else had used it.
// A link already used, opened on another device (a second computer, a phone) after joining on
// the first, is answered with what that person needs, not only a warning: carry on on the
// other device, or ask the mediator (or the institution) for a new link for this one (a new link
// takes over from the other device: services/signalling/joining.py); and, if it was not them,
// say so at once. No request to the mediator is sent from here: this page is unauthenticated,
// and a stranger holding a used link must not be able to reach the mediator with it.
// A link whose token cannot be one (cut short or mangled on its way) is said to be damaged at
// once, with no form (no code could make it work); `/join` opened without a link says where the
// link is. The token kept for this tab is only used again by the same page (a reload): the
// history entry the link opened is marked, so another visit to `/join` never reuses it.
// A wrong code says how many tries are left before the link locks, and for how long (the
// server's `tries_left`, `lock_s`); the lock says until when, and that a new link from the
// mediator is the other way in. A link replaced by a newer one says to use the latest message.

import { ApiError, api, rememberCsrf, whoAmI, whoAmIOrWhy } from "../core/api.js";
import { describe } from "../core/errors.js";
import { formatTime, t } from "../core/i18n.js";
import { h, mount as put, uid } from "../core/render.js";
import { retranslate, said } from "../core/words.js";

const TOKEN_KEY = "parley.invitation";

// The token's shape, as the server checks it (proto/signalling.py TOKEN_PATTERN).
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{16,128}$/;

// Where a refusal's sentence comes from: the server's reason first, then its code.
const REASONS = {
  invitation_invalid: "participant.join.refused_invalid",
  invitation_expired: "participant.join.refused_expired",
  invitation_used: "participant.join.refused_used",
  invitation_revoked: "participant.join.refused_revoked",
  invitation_replaced: "participant.join.refused_replaced",
  participant_removed: "participant.join.refused_removed",
  hearing_ended: "participant.join.refused_ended",
  hearing_locked: "participant.join.refused_locked",
  access_code_wrong: "participant.join.refused_code",
  too_many_attempts: "participant.join.refused_attempts",
  // The gateway's own: too many failures from this network (gateway/api/redeem.py).
  too_many_from_address: "participant.join.refused_address",
};

// `at`: when the refusal came (ms), so the time a lock ends stays the same when said again.
export function refusalText(error, at = Date.now()) {
  const key = error && REASONS[error.reason];
  if (key === REASONS.access_code_wrong && Number.isInteger(error.triesLeft)) {
    const lock = t("participant.join.lock_minutes", { count: Math.max(1, Math.ceil((error.lockS || 60) / 60)) });
    return t("participant.join.refused_code_tries", { count: error.triesLeft, lock });
  }
  if (key) {
    const wait = error.retryAfter || 60;
    const minutes = Math.max(1, Math.ceil(wait / 60));
    return t(key, { count: minutes, minutes, time: formatTime(at + wait * 1000) });
  }
  return describe(error, "participant.redeem");
}

// The link's token: from the address (then removed from it), or kept from when this same
// history entry had it (a reload); never from another visit to `/join`.
function takeToken() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get("t");
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState({ invitation: true }, "", location.pathname);
    return token;
  }
  if (history.state && history.state.invitation) return sessionStorage.getItem(TOKEN_KEY);
  sessionStorage.removeItem(TOKEN_KEY);
  return null;
}

// The hearing a token names: `<hearing>.<invitation>.<secret>` (the ids are not secret).
function tokenHearing(token) {
  return token.split(".")[0];
}

// Why the server ended a participant's session (api.js whoAmIOrWhy): the hearing's page says it.
const PARTICIPANT_ENDS = new Set(["hearing_ended", "removed", "denied", "replaced"]);

export function mount(root, context) {
  const token = takeToken();
  const view = { rerender: () => retranslate(root) };
  if (token && !TOKEN_PATTERN.test(token)) {
    sessionStorage.removeItem(TOKEN_KEY);
    put(root, h("section", { class: "card join join-broken" }, said("h1", null, "participant.join.title"),
      said("p", { class: "error" }, "participant.join.refused_invalid")));
    return view;
  }
  if (!token) {
    // No link: the browser's Back from the hearing comes here. Someone still in a hearing is
    // offered the way back in; one whose hearing ended (or who was removed) is told so there.
    put(root, said("p", { class: "status", role: "status" }, "common.loading"));
    whoAmIOrWhy().catch(() => ({ me: null, ended: null })).then(({ me, ended }) => {
      if (me && me.kind === "participant") signedIn(root);
      else if (!me && PARTICIPANT_ENDS.has(ended)) context.navigate("/hearing", { replace: true });
      else {
        put(root, h("section", { class: "card join join-no-link" }, said("h1", null, "participant.join.title"),
          said("p", null, "participant.join.no_link")));
      }
    });
    return view;
  }
  put(root, said("p", { class: "status", role: "status" }, "common.loading"));
  whoAmI().catch(() => null).then((me) => {
    if (me && me.kind === "participant" && me.hearing === tokenHearing(token)) {
      sessionStorage.removeItem(TOKEN_KEY);
      signedIn(root);
    } else {
      Object.assign(view, codeForm(root, context, token));
    }
  });
  return view;
}

// Already signed in to this invitation's hearing: straight back in.
function signedIn(root) {
  onwards(root, "join-already", "participant.join.already_title", "participant.join.already",
    said("a", { href: "/lobby", class: "button primary", "data-action": "continue" },
      "participant.join.continue"),
    said("a", { href: "/techcheck?next=lobby", class: "button", "data-action": "techcheck" },
      "participant.join.techcheck"));
}

// A card that replaces the form: what happened, and the ways on (focus on its heading).
function onwards(root, kind, title, text, ...actions) {
  put(root, h("section", { class: `card ${kind}` },
    said("h1", null, title), said("p", null, text), h("div", { class: "actions" }, ...actions)));
  const heading = root.querySelector("h1");
  heading.tabIndex = -1;
  heading.focus();
}

function codeForm(root, context, token) {
  const codeId = uid("code");
  const input = h("input", { id: codeId, name: "access_code", autocomplete: "one-time-code",
    required: true, maxlength: "32", spellcheck: "false", autocapitalize: "characters",
    "aria-describedby": `${codeId}-help` });
  const error = h("p", { class: "error", role: "alert", id: `${codeId}-error` });
  let errorWords = null; // () => sentence: said again after a language switch
  const say = (words) => {
    errorWords = words;
    error.textContent = words ? words() : "";
  };
  const submit = said("button", { type: "submit", class: "button primary" }, "participant.join.submit");
  const form = h("form", { class: "card join", method: "post", action: "#", novalidate: true },
    said("h1", null, "participant.join.title"),
    said("p", null, "participant.join.lede"),
    h("div", { class: "field" },
      said("label", { for: codeId }, "participant.join.code"),
      input,
      said("p", { class: "hint", id: `${codeId}-help` }, "participant.join.code_help")),
    error, h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    say(null);
    const code = input.value.trim();
    if (!code) {
      say(() => t("participant.join.code_missing"));
      input.focus();
      return;
    }
    submit.disabled = true;
    try {
      const reply = await api("POST", "/api/v1/invitations/redeem", { token, access_code: code },
        { expect401: true });
      rememberCsrf(reply && reply.csrf_token);
      sessionStorage.removeItem(TOKEN_KEY);
      input.value = "";
      next(root, context);
    } catch (failure) {
      if (failure instanceof ApiError && failure.reason === "invitation_used") {
        sessionStorage.removeItem(TOKEN_KEY);
        input.value = "";
        usedElsewhere(root);
        return;
      }
      // A refusal that no other code can fix ends the form: a final page says so, with no
      // code field to read as if the code were wrong.
      if (failure instanceof ApiError && FINAL.includes(failure.reason)) {
        sessionStorage.removeItem(TOKEN_KEY);
        input.value = "";
        refusedForGood(root, failure);
        return;
      }
      const at = Date.now();
      say(() => (failure instanceof ApiError ? refusalText(failure, at) : t("common.error.internal")));
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-errormessage", error.id);
      submit.disabled = false;
      input.focus();
    }
  });
  put(root, form);
  input.focus();
  // The typed code, the error and the step reached all stay; only the words change.
  return { rerender: () => { retranslate(root); say(errorWords); } };
}

// The refusals no access code can fix (`invitation_used` has its own page, usedElsewhere).
const FINAL = ["invitation_invalid", "invitation_expired", "invitation_revoked",
  "invitation_replaced", "participant_removed", "hearing_ended"];

// A final refusal: the page says why, and no form (the hearing ended: what to do if that is a
// surprise).
function refusedForGood(root, failure) {
  const ended = failure.reason === "hearing_ended";
  const card = h("section", { class: "card join join-final", dataset: { reason: failure.reason } },
    said("h1", null, ended ? "participant.join.ended_title" : "participant.join.final_title"),
    said("p", null, ended ? "participant.join.ended" : REASONS[failure.reason]));
  put(root, card);
  const heading = root.querySelector("h1");
  heading.tabIndex = -1;
  heading.focus();
}

// The invitation was used already: most often by this same person on another device.
function usedElsewhere(root) {
  const card = h("section", { class: "card join-used" },
    said("h1", null, "participant.join.used_title"),
    said("p", { class: "join-used-elsewhere" }, "participant.join.used_elsewhere"),
    said("p", { class: "join-used-new-link" }, "participant.join.used_new_link"),
    said("p", { class: "join-used-not-you notice warn", role: "note" }, "participant.join.used_not_you"));
  put(root, card);
  const heading = root.querySelector("h1");
  heading.tabIndex = -1;
  heading.focus();
}

// After a successful redemption: the form is gone; offer the tech check, or go straight in.
function next(root, context) {
  onwards(root, "join-next", "participant.join.accepted_title", "participant.join.accepted",
    said("a", { href: "/techcheck?next=lobby", class: "button primary", "data-action": "techcheck" },
      "participant.join.techcheck"),
    said("a", { href: "/lobby", class: "button", "data-action": "skip" }, "participant.join.skip"));
  return context;
}
