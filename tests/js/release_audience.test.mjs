// node --test tests/js/: the release-to-joint confirmation names who will read the document
// (components/release-audience.js), from the people the page knows: the other side by name,
// observers only if there are any, the mediator; never "and observers" when there are none.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);

const { initI18n, t } = await import("../../gateway/webclient/js/core/i18n.js");
const { jointAudience } = await import("../../gateway/webclient/js/components/release-audience.js");

await initI18n("en");

const me = { id: "a1", role: "party", side: "sA" };
const people = (...list) => new Map(list.map((p) => [p.id, p]));
const mediator = { id: "m", role: "mediator", name: "Ms Anna Lee" };
const mine = { id: "a2", role: "counsel", side: "sA", name: "Chan Tai Man" };
const other = { id: "b1", role: "party", side: "sB", name: "Wong Siu Ming" };

test("the other side by name and the mediator; no observers when there are none", () => {
  const said = jointAudience(people(mediator, mine, other, me), me);
  assert.equal(said, "Wong Siu Ming and the mediator");
  const body = t("participant.docs.release_joint_body", { name: "Site photo.png", audience: said });
  assert.equal(body, "Once shared, Wong Siu Ming and the mediator will be able to read “Site photo.png”. This cannot be undone.");
  assert.ok(!body.includes("observer"));
});

test("observers are named when there are some; a side not seen yet is still counted", () => {
  const watching = { id: "o1", role: "observer", name: "Lee Ka Yan" };
  assert.equal(jointAudience(people(mediator, other, watching), me),
    "Wong Siu Ming, Lee Ka Yan (observer), and the mediator");
  assert.equal(jointAudience(people(mediator, mine), me), "the other side and the mediator");
  // A former mediator (a hand-over) reads nothing new.
  assert.equal(jointAudience(people({ id: "m0", role: "mediator", name: "Old", former: true }, other), me),
    "Wong Siu Ming and the mediator");
});

test("three sides or more: every other side, not \"the other side\"", () => {
  // No one of the other sides seen yet (in a caucus): the count says there are two of them.
  assert.equal(jointAudience(people(mediator, mine), me, 3), "every other side and the mediator");
  assert.equal(t("participant.docs.release_joint_body", { name: "Plan.pdf", audience: jointAudience(people(mine), me, 3) }),
    "Once shared, every other side and the mediator will be able to read “Plan.pdf”. This cannot be undone.");
  // One other side seen, one not: named, and the rest said.
  assert.equal(jointAudience(people(mediator, other), me, 3),
    "Wong Siu Ming, everyone else on the other sides, and the mediator");
  // Both other sides seen: their people by name only.
  const third = { id: "c1", role: "counsel", side: "sC", name: "Ho Wing" };
  assert.equal(jointAudience(people(mediator, other, third), me, 3), "Wong Siu Ming, Ho Wing, and the mediator");
  // Two sides (or a count the page does not know): as before.
  assert.equal(jointAudience(people(mediator, mine), me, 2), "the other side and the mediator");
});

test("the mediator's own release names the sides' people, not the mediator", () => {
  const med = { id: "m", role: "mediator" };
  assert.equal(jointAudience(people(mediator, mine, other), med), "Chan Tai Man and Wong Siu Ming");
  assert.equal(jointAudience(people(mediator), med), "every side");
});

test("in Chinese, the same people in the reader's words", async () => {
  await initI18n("zh-Hant");
  const said = jointAudience(people(mediator, other), me);
  assert.equal(t("participant.docs.release_joint_body", { name: "相片.png", audience: said }),
    "分享後，Wong Siu Ming和調解員都將能閱讀「相片.png」。此操作無法撤回。");
  await initI18n("en");
});
