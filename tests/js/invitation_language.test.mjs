// node --test tests/js/: an invitation in the language chosen for the person it is for. A Hong
// Kong mediator working in English writes to a party who reads 繁體中文 and another who reads
// 简体中文: each letter (the two messages the card shows, copies and prints) is in full in the
// chosen language, dates too, while the mediator's page stays English; and the link that names
// the language opens the person's pages in it, before an earlier pick and the browser's, until
// the person picks another.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);
// Storage that keeps what is written (the stand-in's forgets), and the address bar.
const store = () => {
  const items = new Map();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k) };
};
globalThis.localStorage = store();
globalThis.sessionStorage = store();
globalThis.location = { hash: "" };

const { chosenLanguage, currentLanguage, initI18n, linkLanguage, setLanguage, t, wordsIn } =
  await import("../../gateway/webclient/js/core/i18n.js");
const { invitationTexts } = await import("../../gateway/webclient/js/components/invitation-card.js");

const LETTER = { title: "Chan v. Lee", name: "Ana", link: "https://parley.example/join#t=h.i.s&lang=zh-Hant",
  code: "7KQ2-MX4P" };
const DECEMBER = Date.UTC(2026, 11, 1, 1, 30); // 1 December 2026, 09:30 in Hong Kong

test("the letter is in the language chosen for the person, whatever the page's", async () => {
  await initI18n("en");
  const english = invitationTexts(LETTER, await wordsIn("en"));
  assert.equal(english.link, "Dear Ana,\n\nYou are invited to the mediation hearing \"Chan v. Lee\", "
    + "at a time the mediator will confirm.\n\nJoin here: https://parley.example/join#t=h.i.s&lang=zh-Hant\n\n"
    + "Your access code will reach you in a separate message. Once you have entered it, and before you "
    + "join, you can test your camera and microphone.");

  const hant = invitationTexts(LETTER, await wordsIn("zh-Hant"));
  // "Time: to be confirmed", never "Time: the time is to be confirmed"; and the microphone is
  // 麥克風, as on every screen the party will see.
  assert.equal(hant.link, "Ana 您好：\n\n誠邀您參加調解會議「Chan v. Lee」，時間：待調解員另行確認。\n\n"
    + "請按此加入：https://parley.example/join#t=h.i.s&lang=zh-Hant\n\n"
    + "您的存取碼會以另一則訊息傳送給您。輸入存取碼後、加入調解會議前，您可以測試鏡頭及麥克風。");
  assert.equal(hant.code, "Ana 您好：\n\n您參加調解會議「Chan v. Lee」的存取碼為：7KQ2-MX4P\n\n"
    + "請妥善保密。開啟另行收到的邀請連結時，系統會要求您輸入此存取碼。");

  const hans = invitationTexts(LETTER, await wordsIn("zh-Hans"));
  assert.equal(hans.code, "Ana 您好：\n\n您参加调解会议“Chan v. Lee”的访问码为：7KQ2-MX4P\n\n"
    + "请妥善保密。打开另行收到的邀请链接时，系统会要求您输入此访问码。");
  assert.ok(hans.link.startsWith("Ana 您好：\n\n诚邀您参加调解会议“Chan v. Lee”，时间：待调解员另行确认。"), hans.link);
  assert.ok(hans.link.endsWith("输入访问码后、加入调解会议前，您可以测试摄像头和麦克风。"), hans.link);

  // The mediator's page is still in English: writing the letters changed nothing of it.
  assert.equal(currentLanguage(), "en");
  assert.equal(t("mediator.invite.print"), "Print");
});

test("the hearing's date and zone are written in the letter's language too", async () => {
  await initI18n("en");
  const scheduled = { ...LETTER, scheduledAt: DECEMBER, zone: "Asia/Hong_Kong" };
  const hant = invitationTexts(scheduled, await wordsIn("zh-Hant")).link;
  assert.match(hant, /時間：2026年12月1日 上午9:30 香港標準時間 \(GMT\+8\)。/);
  assert.doesNotMatch(hant, /Dec|Hong Kong Standard/);
  const english = invitationTexts(scheduled, await wordsIn("en")).link;
  assert.match(english, /, 1 Dec 2026, 09:30 Hong Kong Standard Time/);
  // And the page's own dates are English again after it.
  assert.equal(invitationTexts(scheduled).link, english);
});

test("a language without catalogues writes no letter", async () => {
  await assert.rejects(wordsIn("fr"));
});

test("the link's language opens the pages until the person picks one", async () => {
  assert.equal(linkLanguage("#t=h1.i1.secretsecretsecret&lang=zh-Hant"), "zh-Hant");
  assert.equal(linkLanguage("t=h1.i1.secret&lang=zh-Hans"), "zh-Hans");
  assert.equal(linkLanguage("#t=h1.i1.secret"), null);
  assert.equal(linkLanguage("#t=h1.i1.secret&lang=fr"), null);

  // Someone picked English on this browser before; the browser itself says British English.
  localStorage.setItem("parley.lang", "en");
  assert.equal(chosenLanguage(), "en");
  // An invitation link in 繁體中文: the pages open in it, and stay in it once the fragment
  // leaves the address bar (join.js takes the token out) and on a reload of the tab.
  location.hash = "#t=h1.i1.secretsecretsecret&lang=zh-Hant";
  assert.equal(chosenLanguage(), "zh-Hant");
  location.hash = "";
  assert.equal(chosenLanguage(), "zh-Hant");
  await initI18n(chosenLanguage());
  // The person picks 简体中文: their pick rules from then on.
  await setLanguage("zh-Hans");
  assert.equal(chosenLanguage(), "zh-Hans");
  assert.equal(sessionStorage.getItem("parley.lang.invitation"), null);
  await initI18n("en");
});
