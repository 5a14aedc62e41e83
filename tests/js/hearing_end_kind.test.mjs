// node --test tests/js/: a hearing that ends before it ever opened is a cancellation on the
// participant's page (screens/hearing-final.js), and a reload keeps saying so, though the
// server's word for the dead session ("hearing_ended") is the same for both. The card itself is
// read on the page (tests/e2e/test_web_setup_details.py).
import assert from "node:assert/strict";
import test from "node:test";

const saved = new Map();
globalThis.sessionStorage = {
  getItem: (key) => (saved.has(key) ? saved.get(key) : null),
  setItem: (key, value) => saved.set(key, String(value)),
  removeItem: (key) => saved.delete(key),
};
globalThis.location = { hash: "", pathname: "/hearing" };

const { ENDED_KEY, REMEMBERED, endOf, endedKind } = await import(
  "../../gateway/webclient/js/screens/hearing-final.js");

test("an end heard while the hearing was still scheduled is a cancellation", () => {
  assert.equal(endedKind("scheduled"), "cancelled");
  assert.equal(endedKind("open"), "ended");
  assert.equal(endedKind(undefined), "ended"); // nothing known of it: the plain end
  assert.ok(REMEMBERED.has("cancelled"));
});

test("a reload keeps the cancellation this tab saw; the server's word decides otherwise", () => {
  saved.clear();
  assert.equal(endOf("hearing_ended"), "ended");
  assert.equal(endOf("removed"), "removed");
  assert.equal(endOf(null), null);
  saved.set(ENDED_KEY, JSON.stringify("cancelled"));
  assert.equal(endOf("hearing_ended"), "cancelled");
  assert.equal(endOf(null), "cancelled");
  assert.equal(endOf("removed"), "removed"); // removed from it, whatever this tab remembers
  saved.set(ENDED_KEY, JSON.stringify("ended"));
  assert.equal(endOf("hearing_ended"), "ended");
});
