// node --test tests/js/: words the mediator's console and the hearing's "who can hear you" say.
// A side's default caucus name fits the name field (a side's name may itself be 200 characters:
// the field once held 207, and its counter said "the limit" for a name that is sent empty), and
// the people offline are named, the mediator first ("The mediator, Dr Chan, is offline…"),
// where a party once read only "1 person in this room is offline", in every language.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);
globalThis.document.addEventListener = () => {}; // components/menu.js listens at import

const { initI18n } = await import("../../gateway/webclient/js/core/i18n.js");
const { fittedCaucusName } = await import("../../gateway/webclient/js/screens/console-commands.js");
const { awayWords } = await import("../../gateway/webclient/js/components/hearers.js");

test("a side's default caucus name fits the field, shortened with an ellipsis", async () => {
  await initI18n("en");
  assert.equal(fittedCaucusName("Respondent"), "Respondent caucus");
  const long = `${"Wong Holdings International ".repeat(7)}Limited`.slice(0, 200);
  const fitted = fittedCaucusName(long);
  assert.ok(fitted.length < 200, fitted.length);
  assert.ok(fitted.endsWith("… caucus"), fitted);
  assert.ok(long.startsWith(fitted.slice(0, -"… caucus".length)));
  const word = "x".repeat(200); // no space to cut at
  assert.equal(fittedCaucusName(word).length, 199);
  const emoji = "😀".repeat(100); // never half a character
  assert.ok(!/[\uD800-\uDBFF]…/.test(fittedCaucusName(emoji)));
  await initI18n("zh-Hant");
  assert.ok(fittedCaucusName(long).endsWith("…單方會談"));
  assert.ok(fittedCaucusName(long).length < 200);
});

test("the people offline are named, the mediator as such, in each language", async () => {
  const mediator = { id: "m", role: "mediator", name: "Dr Chan", connected: false };
  const ho = { id: "p1", role: "party", name: "Mr Ho", connected: false };
  const ng = { id: "p2", role: "counsel", name: "Ms Ng", connected: false };
  await initI18n("en");
  assert.deepEqual(awayWords([mediator]), ["The mediator, Dr Chan, is offline and cannot hear you."]);
  assert.deepEqual(awayWords([{ ...mediator, name: "" }]), ["The mediator is offline and cannot hear you."]);
  assert.deepEqual(awayWords([ho, mediator, ng]), ["The mediator, Dr Chan, is offline and cannot hear you.",
    "Mr Ho and Ms Ng are offline and cannot hear you."]);
  assert.deepEqual(awayWords([ho]), ["Mr Ho is offline and cannot hear you."]);
  await initI18n("zh-Hant");
  assert.deepEqual(awayWords([mediator]), ["調解員 Dr Chan 已離線，聽不到您。"]);
  await initI18n("zh-Hans");
  assert.deepEqual(awayWords([mediator, ho]), ["调解员 Dr Chan 已离线，听不到您。", "Mr Ho 已离线，听不到您。"]);
});
