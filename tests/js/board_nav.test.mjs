// node --test tests/js/: getting around the mediator's board with three sides. A walkthrough of
// a 3-side hearing found B's and C's caucuses wrapped under a tall waiting room, out of sight
// with nothing saying they existed (components/board-nav.js marks the columns out of view), and
// "Move side…" doing nothing, silently, while the side still waited (components/side-chips.js
// `waitingOf`: whom "Admit…" on the side's chip admits, and counts).
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);
globalThis.document.addEventListener = () => {}; // components/menu.js listens at import

const { initI18n, t } = await import("../../gateway/webclient/js/core/i18n.js");
const { outOfView } = await import("../../gateway/webclient/js/components/board-nav.js");
const { waitingOf } = await import("../../gateway/webclient/js/components/side-chips.js");
const { scrollMoves } = await import("../../gateway/webclient/js/components/menu.js");

test("columns not wholly inside the row's visible span are out of view", () => {
  const columns = [
    { id: "lobby", left: 24, right: 248 }, { id: "plenary", left: 260, right: 484 },
    { id: "a", left: 496, right: 720 }, { id: "b", left: 732, right: 956 }, { id: "c", left: 968, right: 1192 },
  ];
  assert.deepEqual(outOfView(columns, 24, 974), ["c"]); // the last one, only a sliver shown
  assert.deepEqual(outOfView(columns, 24, 1200), []);
  assert.deepEqual(outOfView(columns, 24.5, 956.5), ["c"]); // a pixel of rounding is not "out"
  // Scrolled to the end: the waiting room is the one out of view now.
  const scrolled = columns.map((c) => ({ ...c, left: c.left - 218, right: c.right - 218 }));
  assert.deepEqual(outOfView(scrolled, 24, 974), ["lobby"]);
});

test("a side's waiting people: connected, in the waiting room, of that side", () => {
  const board = { rooms: [
    { id: "lobby", kind: "lobby", members: [
      { id: "c1", side: "C", connected: true }, { id: "c2", side: "C", connected: true },
      { id: "c3", side: "C", connected: false }, // invited, page closed: nobody to admit
      { id: "c4", side: "C", connected: true, reconnecting: true }, // dropped a moment ago
      { id: "b1", side: "B", connected: true }] },
    { id: "plenary", kind: "plenary", members: [{ id: "c5", side: "C", connected: true }] },
  ] };
  assert.deepEqual(waitingOf(board, "C").map((m) => m.id), ["c1", "c2"]);
  assert.deepEqual(waitingOf(board, "A"), []);
  assert.deepEqual(waitingOf({ rooms: [] }, "C"), []);
});

test("the side's sentence says how many wait, in every language", async () => {
  await initI18n("en");
  assert.equal(t("mediator.board.side_still_waiting", { count: 2, side: "Side A" }),
    "2 people from Side A are still in the waiting room and were not moved: admit them first, with “Admit…” beside Side A above the rooms.");
  assert.match(t("mediator.board.side_still_waiting", { count: 1, side: "Side A" }), /^1 person from Side A is still/);
  assert.equal(t("mediator.admit_side.confirm", { count: 2 }), "Admit 2 people");
  for (const lang of ["zh-Hant", "zh-Hans"]) {
    await initI18n(lang);
    assert.match(t("mediator.board.side_still_waiting", { count: 2, side: "甲方" }), /甲方.*2/);
    assert.match(t("mediator.knocks.badge", { count: 3 }), /3/);
  }
});

test("a board menu placed over the page closes when its button scrolls away, not when the chat log scrolls", () => {
  // A walkthrough found "Move to…" and "Caucus…" closing under the mediator's hand each time a
  // chat line came in: the log scrolled to it, and any scroll but the menu's own closed it.
  const button = { id: "move-to" };
  const row = { contains: (node) => node === button }; // the board's row, holding the button
  const chatLog = { contains: () => false };
  const menuList = { contains: () => false };
  assert.equal(scrollMoves(globalThis.document, button), true); // the page scrolled
  assert.equal(scrollMoves(row, button), true);
  assert.equal(scrollMoves(chatLog, button), false);
  assert.equal(scrollMoves(menuList, button), false);
});
