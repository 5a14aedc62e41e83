// node --test tests/js/: which language a browser gets, and the locale its dates are written in.
import assert from "node:assert/strict";
import test from "node:test";

import { browserLanguage, formattingLocale } from "../../gateway/webclient/js/core/i18n.js";

test("a browser's languages pick the catalogue: Hong Kong and Taiwan read Traditional", () => {
  assert.equal(browserLanguage(["zh-HK", "en"]), "zh-Hant");
  assert.equal(browserLanguage(["zh-TW"]), "zh-Hant");
  assert.equal(browserLanguage(["zh-CN"]), "zh-Hans");
  assert.equal(browserLanguage(["fr-FR", "en-US"]), "en");
  assert.equal(browserLanguage(["fr-FR"]), "en");
});

test("dates follow the browser's own region for the chosen language, else British English", () => {
  assert.equal(formattingLocale("en", ["en-US"]), "en-US");
  assert.equal(formattingLocale("en", ["zh-HK", "en-HK"]), "en-HK");
  assert.equal(formattingLocale("en", ["en", "fr-FR"]), "en-GB");
  assert.equal(formattingLocale("zh-Hant", ["zh-HK"]), "zh-HK");
  assert.equal(formattingLocale("zh-Hans", ["en-US"]), "zh-Hans");
  const march = Date.UTC(2026, 2, 4, 14, 3);
  const british = new Intl.DateTimeFormat(formattingLocale("en", []), { dateStyle: "medium", timeZone: "UTC" });
  assert.equal(british.format(march), "4 Mar 2026");
});

test("a plural picks an exact count first, then the language's category, then 'other'", async () => {
  const { pluralForm } = await import("../../gateway/webclient/js/core/i18n.js");
  const covers = { one: "Covers {count} person.", "=2": "Covers both people in this room.",
    other: "Covers all {count} people in this room." };
  assert.equal(pluralForm(covers, 1, "en"), "Covers {count} person.");
  assert.equal(pluralForm(covers, 2, "en"), "Covers both people in this room.");
  assert.equal(pluralForm(covers, 3, "en"), "Covers all {count} people in this room.");
  // Chinese has one category ("other"): the exact form still says two as two.
  const chinese = { "=2": "涵蓋此房間內的兩人。", other: "涵蓋此房間全部 {count} 人。" };
  assert.equal(pluralForm(chinese, 2, "zh-Hant"), "涵蓋此房間內的兩人。");
  assert.equal(pluralForm(chinese, 1, "zh-Hant"), "涵蓋此房間全部 {count} 人。");
  assert.equal(pluralForm({ other: "x" }, 2, "en"), "x");
});
