// A read refused by the rate limit (429) is asked again after the wait the server names; a
// write, a long wait or a fourth refusal is an answer (core/api.js).
import test from "node:test";
import assert from "node:assert/strict";

import { ApiError, MAX_RETRY_WAIT_S, READ_RETRIES, api, retryWait } from "../../gateway/webclient/js/core/api.js";

globalThis.sessionStorage = { getItem: () => null, setItem: () => {}, removeItem: () => {} };

const limited = (wait) => new ApiError(429, "rate_limited", "too many requests", wait);

test("only reads are retried, only after a 429, only for a short wait, a bounded number of times", () => {
  assert.equal(retryWait("GET", limited(1), 0), 1);
  assert.equal(retryWait("HEAD", limited(2), 1), 2);
  assert.equal(retryWait("GET", limited(null), 0), 1); // no wait named: one second
  assert.equal(retryWait("POST", limited(1), 0), null);
  assert.equal(retryWait("PATCH", limited(1), 0), null);
  assert.equal(retryWait("GET", limited(MAX_RETRY_WAIT_S + 1), 0), null);
  assert.equal(retryWait("GET", limited(1), READ_RETRIES), null);
  assert.equal(retryWait("GET", new ApiError(503, "unavailable", "down", 1), 0), null);
  assert.equal(retryWait("GET", new Error("other"), 0), null);
});

function served(replies) {
  const calls = [];
  globalThis.fetch = async (path, init) => {
    calls.push([init.method, path]);
    const [status, body, retryAfter] = replies.shift();
    const headers = new Headers({ "Content-Type": "application/json" });
    if (retryAfter !== undefined) headers.set("Retry-After", String(retryAfter));
    return new Response(JSON.stringify(body), { status, headers });
  };
  return calls;
}

const TOO_MANY = { error: { code: "rate_limited", message: "too many requests" } };

test("a read refused twice by the rate limit is answered on the third asking", async () => {
  const calls = served([[429, TOO_MANY, 0.01], [429, TOO_MANY, 0.01], [200, { names: ["x"] }]]);
  assert.deepEqual(await api("GET", "/api/v1/audit/names"), { names: ["x"] });
  assert.equal(calls.length, 3);
});

test("a write refused by the rate limit is not sent again", async () => {
  const calls = served([[429, TOO_MANY, 0.01], [200, {}]]);
  await assert.rejects(api("POST", "/api/v1/auth/signin", {}), (e) => e.status === 429);
  assert.equal(calls.length, 1);
});

test("a read still refused after the retries fails with the server's code and wait", async () => {
  const calls = served(Array.from({ length: READ_RETRIES + 1 }, () => [429, TOO_MANY, 0.01]));
  await assert.rejects(api("GET", "/api/v1/audit/events"),
    (e) => e.status === 429 && e.code === "rate_limited" && e.retryAfter === 0.01);
  assert.equal(calls.length, READ_RETRIES + 1);
});
