// node --test tests/js/: a hearing's time zone as people read it wherever the web client shows
// one (core/i18n.js zoneWords, zonePair): the set-up page, the hearings list, the invitation
// card and its letters, the audit log. Named in the reader's language, with the offset of the
// hearing's day, never as its IANA name ("Asia/Hong_Kong").
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);

const { initI18n, zonePair, zoneWords } = await import("../../gateway/webclient/js/core/i18n.js");
const { invitationTexts } = await import("../../gateway/webclient/js/components/invitation-card.js");

// 1 December 2026, 09:30 in Hong Kong; 1 July 2027, 09:30 in London (summer time).
const DECEMBER = Date.UTC(2026, 11, 1, 1, 30);
const JULY = Date.UTC(2027, 6, 1, 8, 30);
const IANA = /[A-Za-z]+\/[A-Za-z_]+/;

test("a zone is named in the reader's language, with its offset on the day", async () => {
  await initI18n("en");
  assert.equal(zoneWords("Asia/Hong_Kong", { at: DECEMBER }), "Hong Kong Standard Time (GMT+8)");
  assert.equal(zoneWords("Europe/London", { at: JULY }), "United Kingdom Time (GMT+1)");
  assert.equal(zoneWords("UTC", { at: JULY }), "Coordinated Universal Time (UTC)");
  await initI18n("zh-Hant");
  assert.equal(zoneWords("Asia/Hong_Kong", { at: DECEMBER }), "香港標準時間 (GMT+8)");
  assert.equal(zoneWords("UTC", { at: DECEMBER }), "協調世界時 (UTC)");
  await initI18n("zh-Hans");
  assert.equal(zoneWords("Asia/Hong_Kong", { at: DECEMBER }), "香港标准时间 (GMT+8)");
  // For a report spanning summer and winter: the name for every season, no offset.
  await initI18n("en");
  assert.equal(zoneWords("Europe/London", { at: JULY, offset: false }), "United Kingdom Time");
  assert.equal(zoneWords("UTC", { offset: false }), "Coordinated Universal Time");
});

test("the hearing's time beside the reader's own names the hearing's zone, not its IANA name", async () => {
  await initI18n("en");
  const pair = zonePair(DECEMBER, "Asia/Hong_Kong");
  assert.equal(pair.hearing, "1 Dec 2026, 09:30 Hong Kong Standard Time (GMT+8)");
  assert.doesNotMatch(pair.hearing, IANA);
  await initI18n("zh-Hant");
  assert.match(zonePair(DECEMBER, "Asia/Hong_Kong").hearing, /^2026年12月1日 .*9:30 香港標準時間 \(GMT\+8\)$/);
  await initI18n("en");
  assert.equal(zonePair(DECEMBER, "Not/AZone").hearing, null);
});

test("the invitation letter says when in the hearing's zone as people read it", async () => {
  await initI18n("en");
  const { link } = invitationTexts({ title: "Chan v. Lee", name: "Ana", link: "https://parley.example/j",
    code: "123456", scheduledAt: DECEMBER, zone: "Asia/Hong_Kong" });
  assert.ok(link.includes("1 Dec 2026, 09:30 Hong Kong Standard Time (GMT+8)"), link);
  assert.ok(!link.includes("Asia/Hong_Kong"), link);
});
