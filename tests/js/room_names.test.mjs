// node --test tests/js/: one caucus, named in each reader's language. A side's caucus the
// mediator left with its default name comes from the server with no name ("") and its side's
// name, and every screen (the participant's banner and chat, the mediator's board, the auditor's
// reports) names it after the side in its own language; a name the mediator typed stays as typed.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);

const { initI18n } = await import("../../gateway/webclient/js/core/i18n.js");
const { caucusName, roomLabel } = await import("../../gateway/webclient/js/core/room-names.js");
const { chineseSpacing } = await import("../../gateway/webclient/js/components/chinese-spacing.js");
const { t } = await import("../../gateway/webclient/js/core/i18n.js");
const { directory, resourceLabel, roomLabel: auditRoom } = await import("../../gateway/webclient/js/audit/labels.js");

// RoomView as signalling sends it (services/signalling/view.py room_view).
const byDefault = { id: "c1", kind: "caucus", name: "", side: "sB", side_name: "Respondent", colour: "b" };
const typed = { id: "c2", kind: "caucus", name: "Breakout", side: "sB", colour: "b" };

test("the same default-named caucus reads in the mediator's English and the party's Chinese", async () => {
  await initI18n("en");
  const mediatorSees = caucusName(byDefault);
  await initI18n("zh-Hans");
  const partySees = roomLabel(byDefault);
  await initI18n("zh-Hant");
  const otherPartySees = roomLabel(byDefault);
  assert.deepEqual([mediatorSees, partySees, otherPartySees],
    ["Respondent caucus", "Respondent 单方会谈", "Respondent 單方會談"]);
  // Chinese sets a Latin side name apart by a space, and joins a Chinese one without.
  const chinese = { ...byDefault, side_name: "答辯人" };
  assert.equal(roomLabel(chinese), "答辯人單方會談");
  assert.equal(roomLabel({ ...byDefault, side_name: "Wong Holdings (HK)" }), "Wong Holdings (HK) 單方會談");
  // A typed name is the mediator's own words, in every language.
  assert.equal(roomLabel(typed), "Breakout");
  await initI18n("en");
  assert.equal(caucusName(typed), "Breakout");
  assert.equal(roomLabel({ id: "plenary", kind: "plenary", name: "Plenary" }), "Plenary");
});

test("the audit log names a default-named caucus after its side, in the auditor's language", async () => {
  // The log's directory (services/audit/directory.py): the caucus with no name and its side.
  const dir = directory([
    { kind: "side", id: "sB", name: "Respondent" },
    { kind: "room", id: "c1", name: "", side: "sB" },
    { kind: "room", id: "c2", name: "Breakout", side: "sB" },
  ]);
  await initI18n("en");
  assert.equal(auditRoom(dir, "c1"), "Respondent caucus");
  assert.equal(resourceLabel(dir, { type: "room", id: "c1" }), "Respondent caucus");
  assert.equal(auditRoom(dir, "c2"), "Breakout");
  assert.equal(auditRoom(dir, "c9"), "Caucus c9");
  await initI18n("zh-Hans");
  assert.equal(auditRoom(dir, "c1"), "Respondent 单方会谈");
  await initI18n("en");
});

// One rule for a room's name in a Chinese sentence: a Latin run is set apart by a space on each
// side (the move notice once read "移至Claimant 單方會談"), a Chinese name is joined as is.
test("a room named in a Chinese sentence is set apart when its name is Latin", async () => {
  await initI18n("zh-Hant");
  const moved = (room) => chineseSpacing(t("participant.notice.moved", { room: roomLabel(room) }));
  assert.equal(moved(byDefault), "調解員已將您移至 Respondent 單方會談。");
  assert.equal(moved({ ...byDefault, side_name: "答辯人" }), "調解員已將您移至答辯人單方會談。");
  assert.equal(moved(typed), "調解員已將您移至 Breakout。");
  await initI18n("zh-Hans");
  assert.equal(moved(byDefault), "调解员已将您移至 Respondent 单方会谈。");
  await initI18n("en");
  assert.equal(moved(byDefault), "The mediator moved you to Respondent caucus.");
});
