// Same-origin JSON calls to the gateway's REST API (DESIGN §8).
//
// A cookie session needs the `Parley-CSRF` header on state-changing requests; the token comes
// back in the sign-in, redemption or `/me` reply and is kept for this tab (sessionStorage).
// Every failure is an `ApiError` with the server's code (`invalid`, `forbidden`, `conflict`…),
// the HTTP status and, when rate limited, how many seconds to wait; screens turn it into a
// sentence with `errors.js`, never show the raw body.
//
// A 401 on any call but sign-in means the session expired or was ended: the hook set by the app
// (`onSessionExpired`) takes the person back to sign-in, remembering where they were.

import { dispositionFilename } from "./disposition.js";

const CSRF_KEY = "parley.csrf";

export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

let sessionExpired = () => {};

export function onSessionExpired(handler) {
  sessionExpired = handler;
}

export function rememberCsrf(token) {
  if (typeof token === "string" && token) sessionStorage.setItem(CSRF_KEY, token);
}

export function forgetCsrf() {
  sessionStorage.removeItem(CSRF_KEY);
}

// A read the gateway's rate limit refused (429) is asked again after the wait it names, a few
// times, when that wait is short: a screen that reads much at once (an audit report: its
// timeline, versions and names) then slows down instead of failing. Only reads: a refused
// write is an answer the person sees (a sign-in's limit is there to slow guessing).
export const READ_RETRIES = 3;
export const MAX_RETRY_WAIT_S = 5;

export function retryWait(method, error, attempt) {
  if (method !== "GET" && method !== "HEAD") return null;
  if (!(error instanceof ApiError) || error.status !== 429 || attempt >= READ_RETRIES) return null;
  const wait = error.retryAfter || 1;
  return wait <= MAX_RETRY_WAIT_S ? wait : null;
}

// options: `expect401` (a 401 is an answer, e.g. wrong credentials: no redirect),
// `accept` (a non-JSON type to return as text, e.g. "text/calendar"), `named` (return
// `{ data, filename }`: the file name the server's Content-Disposition gives, or null).
export async function api(method, path, body, options = {}) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call(method, path, body, options);
    } catch (error) {
      const wait = retryWait(method, error, attempt);
      if (wait === null) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }
}

async function call(method, path, body, { expect401 = false, accept = null, named = false } = {}) {
  const headers = { Accept: accept || "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const csrf = sessionStorage.getItem(CSRF_KEY);
  if (csrf && method !== "GET" && method !== "HEAD") headers["Parley-CSRF"] = csrf;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (_) {
    throw new ApiError(0, "network", "network unreachable");
  }
  const type = response.headers.get("Content-Type") || "";
  let data = null;
  if (type.startsWith("application/json")) {
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
  } else if (accept && response.ok) {
    data = await response.text();
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    const retry = Number(response.headers.get("Retry-After")) || error.retry_after_s || null;
    const failure = new ApiError(response.status, error.code || codeForStatus(response.status),
      error.message || response.statusText, retry);
    // The finer cause within the code (e.g. `invitation_expired`), when the server gives one.
    failure.reason = error.reason || null;
    // A refusal that counts tries (a wrong access code): how many are left before the lock,
    // and how long the lock then lasts (seconds).
    failure.triesLeft = Number.isInteger(error.tries_left) ? error.tries_left : null;
    failure.lockS = Number.isInteger(error.lock_s) ? error.lock_s : null;
    if (response.status === 401 && !expect401) sessionExpired(failure);
    throw failure;
  }
  return named ? { data, filename: dispositionFilename(response.headers.get("Content-Disposition")) } : data;
}

function codeForStatus(status) {
  return {
    400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict",
    413: "too_large", 429: "rate_limited", 503: "unavailable",
  }[status] || "internal";
}

// Who is signed in (or null): the CSRF token of a cookie session is remembered on the way.
export async function whoAmI() {
  return (await whoAmIOrWhy()).me;
}

// The same, with why a participant's session was ended when the server ended it (the 401's
// `reason`: hearing_ended, removed, denied, replaced; null when it expired or was signed out).
export async function whoAmIOrWhy() {
  try {
    const me = await api("GET", "/api/v1/me", undefined, { expect401: true });
    rememberCsrf(me && me.csrf_token);
    return { me, ended: null };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { me: null, ended: error.reason };
    throw error;
  }
}
