// node --test tests/js/: how screens name a person, the mediator above all: their display name
// as the server sends it (never read as markup or as a message template), else the role in the
// reader's language.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

// The browser globals i18n.js touches, and catalogues read from disk instead of the network.
useCatalogueFiles(["en"]);
// The reader is in London (its own zone, as a browser's would be), eight hours behind Hong Kong
// in December: a Hong Kong hearing reads differently there.
process.env.TZ = "Europe/London";

const { formatDateTime, initI18n, t } = await import("../../gateway/webclient/js/core/i18n.js");
const { personName, waitingLine: waiting } = await import("../../gateway/webclient/js/components/person.js");

test("the mediator is named by their display name, in every language", async () => {
  for (const lang of ["en", "zh-Hant", "zh-Hans"]) {
    await initI18n(lang);
    assert.equal(personName({ id: "m", role: "mediator", name: "Ms Anna Lee" }), "Ms Anna Lee");
    assert.ok(waiting({ mediator_name: "Ms Anna Lee" }).startsWith("Ms Anna Lee"));
  }
  await initI18n("en");
  assert.equal(waiting({ mediator_name: "Ms Anna Lee" }),
    "Ms Anna Lee will admit you shortly. Nobody can see or hear you here.");
  assert.equal(waiting({ mediator_name: "Ms Anna Lee", locked: true }),
    "The hearing is locked for now. You will be admitted when Ms Anna Lee unlocks it.");
  assert.equal(waiting({ locked: true }),
    "The hearing is locked for now. You will be admitted when the mediator unlocks it.");
});

test("a mediator without a name is named by role, in the reader's language", async () => {
  await initI18n("zh-Hant");
  assert.equal(personName({ role: "mediator", name: "" }), "調解員");
  assert.equal(waiting({ mediator_name: "" }), "調解員稍後會讓您進入。在這裡沒有人能看到或聽到您。");
  await initI18n("zh-Hans");
  assert.equal(waiting({}), "调解员稍后会让您进入。在这里没有人能看到或听到您。");
  assert.equal(waiting({ locked: true }), "调解会议暂时锁定，调解员解锁后您将获准进入。");
  assert.equal(waiting({ locked: true, mediator_name: "李安娜" }), "调解会议暂时锁定，李安娜解锁后您将获准进入。");
  await initI18n("en");
  assert.equal(personName({ role: "mediator", name: "" }), "Mediator");
  assert.equal(personName({ role: "party", name: "Pat" }), "Pat");
  assert.equal(personName(null), "");
});

test("before the hearing has started, the waiting room says so, and when it is due", async () => {
  await initI18n("en");
  const you = { mediator_name: "Ms Anna Lee", hearing_state: "scheduled" };
  assert.equal(waiting(you), "The hearing has not started yet. Ms Anna Lee will admit you once it "
    + "starts. Nobody can see or hear you here.");
  const at = Date.UTC(2026, 11, 1, 1, 30);
  const line = waiting({ ...you, scheduled_at: at, time_zone: "Europe/London" });
  assert.ok(line.startsWith("The hearing has not started yet: it is due to start on "), line);
  assert.ok(line.includes("1 Dec 2026, 01:30 United Kingdom Time") && line.includes("Ms Anna Lee will admit you then"), line);
  // Once open, the usual line; a locked open hearing says it is locked.
  assert.ok(waiting({ ...you, hearing_state: "open" }).includes("will admit you shortly"));
  await initI18n("zh-Hant");
  assert.ok(waiting({ ...you, scheduled_at: at }).startsWith("調解會議尚未開始，預定於 "));
});

test("back in the waiting room after a lost connection, the waiting line says why", async () => {
  await initI18n("en");
  const you = { mediator_name: "Ms Anna Lee", hearing_state: "open", grace_expired: true };
  assert.equal(waiting(you), "You were disconnected for a while, so you are back in the waiting "
    + "room. Ms Anna Lee has been told and will admit you again.");
  assert.ok(waiting({ ...you, mediator_name: "" }).includes("The mediator has been told"));
  // Admitted before, so the lock does not keep them out: the reason is still the lost connection.
  assert.ok(waiting({ ...you, locked: true }).startsWith("You were disconnected"));
  await initI18n("zh-Hant");
  assert.equal(waiting(you), "您的連線中斷了一段時間，所以您已回到等候室。Ms Anna Lee已獲通知，稍後會再讓您進入。");
  await initI18n("zh-Hans");
  assert.equal(waiting({ ...you, mediator_name: "" }), "您的连接中断了一段时间，所以您已回到等候室。调解员已获通知，稍后会再让您进入。");
  await initI18n("en");
});

test("a name is text: never a template, never markup", async () => {
  await initI18n("en");
  const odd = "<img src=x onerror=alert(1)> {name} {count}";
  assert.ok(waiting({ mediator_name: odd }).startsWith(`${odd} will admit you`));
  assert.equal(personName({ role: "mediator", name: odd }), odd);
});

test("beside a tile, a named mediator is also called the mediator", async () => {
  const { personLabel } = await import("../../gateway/webclient/js/components/person.js");
  await initI18n("zh-Hant");
  assert.equal(personLabel({ role: "mediator", name: "Ms Anna Lee" }), "Ms Anna Lee（調解員）");
  assert.equal(personLabel({ role: "mediator", name: "" }), "調解員");
  await initI18n("en");
  assert.equal(personLabel({ role: "mediator", name: "Ms Anna Lee" }), "Ms Anna Lee (mediator)");
  assert.equal(personLabel({ role: "counsel", name: "Chris" }), "Chris");
});

// The waiting room is cross-border too: a hearing held in another zone is said in both, as
// set-up says it (core/i18n.js zonePair): its own time and zone, then the reader's time.
test("a hearing in another time zone is due at its own time and at the reader's", async () => {
  const { dueWords } = await import("../../gateway/webclient/js/components/person.js");
  await initI18n("en");
  assert.equal(Intl.DateTimeFormat().resolvedOptions().timeZone, "Europe/London");
  const you = { mediator_name: "Ms Anna Lee", hearing_state: "scheduled" };
  // Thursday 3 December 2026, 10:00 in Hong Kong is 02:00 in London, the same day.
  const ten = Date.UTC(2026, 11, 3, 2, 0);
  assert.equal(dueWords(ten, "Asia/Hong_Kong"), "3 Dec 2026, 10:00 Hong Kong Standard Time (GMT+8) — 02:00 your time");
  assert.equal(waiting({ ...you, scheduled_at: ten, time_zone: "Asia/Hong_Kong" }),
    "The hearing has not started yet: it is due to start on 3 Dec 2026, 10:00 Hong Kong Standard Time "
    + "(GMT+8) — 02:00 your time. Ms Anna Lee will admit you then. Nobody can see or hear you here.");
  // 07:00 in Hong Kong is 23:00 the evening before in London: the reader's date too.
  const seven = Date.UTC(2026, 11, 2, 23, 0);
  assert.equal(dueWords(seven, "Asia/Hong_Kong"),
    "3 Dec 2026, 07:00 Hong Kong Standard Time (GMT+8) — 2 Dec 2026, 23:00 your time");
  // The reader's own zone, or one that reads the same: said once, named as the hearing's zone
  // (a hearing held in London, read in a browser set to UTC, is not "(UTC)").
  const london = dueWords(ten, "Europe/London");
  assert.match(london, /^3 Dec 2026, 02:00 United Kingdom Time/);
  assert.ok(!london.includes("your time"), london);
  assert.match(dueWords(ten, "UTC"), /^3 Dec 2026, 02:00 /);
  // No zone, or one this browser does not know: the reader's time alone, with its zone.
  assert.equal(dueWords(ten, null), formatDateTime(ten));
  assert.equal(dueWords(ten, "Not/AZone"), formatDateTime(ten));
  await initI18n("zh-Hant");
  assert.match(dueWords(ten, "Asia/Hong_Kong"), /^2026年12月3日 .*10:00 香港標準時間 \(GMT\+8\)（您的時間：.*2:00）$/);
  // The waiting room sets it in its sentence with Chinese spacing (chinese-spacing.js): no space
  // beside full-width punctuation ("…2:00）開始", once "…2:00） 開始"), a Latin name set apart.
  const { chineseSpacing } = await import("../../gateway/webclient/js/components/chinese-spacing.js");
  const line = chineseSpacing(waiting({ ...you, scheduled_at: ten, time_zone: "Asia/Hong_Kong" }));
  assert.match(line, /^調解會議尚未開始，預定於 2026年12月3日 .*（您的時間：.*2:00）開始，屆時 Ms Anna Lee 會讓您進入。/);
  await initI18n("zh-Hans");
  assert.match(dueWords(ten, "Asia/Hong_Kong"), /香港标准时间 \(GMT\+8\)（您的时间：.*2:00）$/);
  await initI18n("en");
});

test("while the mediator is offline, the waiting room says so rather than 'shortly'", async () => {
  await initI18n("en");
  const offline = { mediator_name: "Ms Anna Lee", hearing_state: "open", mediator_online: false };
  assert.equal(waiting(offline), "Ms Anna Lee is not connected right now. Please wait here: you "
    + "will be admitted when they are back. Nobody can see or hear you here.");
  assert.ok(waiting({ ...offline, mediator_name: "" }).startsWith("The mediator is not connected right now."));
  assert.equal(waiting({ ...offline, locked: true }), waiting(offline));
  assert.ok(waiting({ ...offline, mediator_online: true }).includes("will admit you shortly"));
  // Before the hearing starts the mediator is often away: the schedule says when, as before.
  assert.ok(waiting({ ...offline, hearing_state: "scheduled" }).startsWith("The hearing has not started"));
  await initI18n("zh-Hant");
  assert.equal(waiting({ ...offline, mediator_name: "" }), "調解員目前未連線。請在這裡等候：調解員回來後，"
    + "您將獲准進入。在這裡沒有人能看到或聽到您。");
});
