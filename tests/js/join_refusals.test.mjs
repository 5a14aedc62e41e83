// node --test tests/js/: a refused access code says what the person can do next
// (screens/join.js refusalText): how many tries are left before the link locks and for how
// long, when the server says (`tries_left`, `lock_s`); the lock, until when and that a new
// link from the mediator is the other way in; a link replaced by a newer one, to use the
// latest message.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);
const store = () => ({ getItem: () => null, setItem: () => {}, removeItem: () => {} });
globalThis.sessionStorage = store();
globalThis.location = { hash: "", pathname: "/join" };

const { formatTime, initI18n, t } = await import("../../gateway/webclient/js/core/i18n.js");
const { refusalText } = await import("../../gateway/webclient/js/screens/join.js");

test("a wrong code says how many tries are left before the lock, and how long it lasts", async () => {
  await initI18n("en");
  const wrong = (triesLeft) => ({ code: "unauthenticated", reason: "access_code_wrong", triesLeft, lockS: 300 });
  assert.equal(refusalText(wrong(2)),
    "That access code is not right. Check it and try again: 2 tries left before this link is locked for 5 minutes.");
  assert.equal(refusalText(wrong(1)),
    "That access code is not right. Check it and try again: 1 try left before this link is locked for 5 minutes.");
  // A server that does not count: the plain sentence.
  assert.equal(refusalText({ code: "unauthenticated", reason: "access_code_wrong" }),
    t("participant.join.refused_code"));
  await initI18n("zh-Hant");
  assert.equal(refusalText(wrong(2)), "存取碼不正確，請檢查後再試。尚餘 2 次機會，之後此連結將鎖定 5 分鐘。");
  await initI18n("en");
});

test("the lock says until when, and that a new link is the other way in", async () => {
  await initI18n("en");
  const at = Date.UTC(2026, 10, 27, 6, 0);
  const said = refusalText({ code: "rate_limited", reason: "too_many_attempts", retryAfter: 300 }, at);
  assert.equal(said, `Too many wrong codes for this invitation, so this link is locked until ${formatTime(at + 300000)}`
    + " (5 minutes from now). Try again then, or ask the mediator for a new link.");
  // Said again (a language switch), the time it unlocks stays the same.
  assert.equal(refusalText({ code: "rate_limited", reason: "too_many_attempts", retryAfter: 300 }, at), said);
});

test("a link replaced by a newer one says to use the latest message", async () => {
  await initI18n("en");
  const said = refusalText({ code: "unauthenticated", reason: "invitation_replaced" });
  assert.match(said, /newer link was sent for you/);
  assert.match(said, /latest message/);
  assert.notEqual(said, t("participant.join.refused_revoked"));
});
