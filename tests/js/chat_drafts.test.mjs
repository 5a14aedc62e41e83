// node --test tests/js/: what a person writes stays in the room it was written in
// (components/chat-drafts.js): a caucus draft never lands in plenary's box, and a message that
// could not go out in one room is never sent from another.
import assert from "node:assert/strict";
import test from "node:test";

import { lostMessage, moveDraft } from "../../gateway/webclient/js/components/chat-drafts.js";

test("a move keeps the draft for its room and empties the box; coming back brings it back", () => {
  const secret = "our bottom line is 500k (caucus only)";
  const out = moveDraft(new Map(), { from: "caucus-b", to: "plenary", text: secret });
  assert.equal(out.box, "");
  assert.equal(out.unsent, null); // a draft, never sent: nothing to say
  assert.deepEqual([...out.drafts], [["caucus-b", secret]]);
  // Plenary's own draft is plenary's; the caucus's comes back in the caucus, once.
  const back = moveDraft(out.drafts, { from: "plenary", to: "caucus-b", text: "hello all" });
  assert.equal(back.box, secret);
  assert.deepEqual([...back.drafts], [["plenary", "hello all"]]);
  const again = moveDraft(back.drafts, { from: "caucus-b", to: "plenary", text: "" });
  assert.equal(again.box, "hello all");
  assert.equal(again.drafts.size, 0); // an emptied box leaves no draft behind
  // The input map is not changed in place.
  assert.deepEqual([...out.drafts], [["caucus-b", secret]]);
});

test("to the waiting room: the box is empty and the draft waits for its room", () => {
  const out = moveDraft(new Map(), { from: "plenary", to: null, text: "  typed  " });
  assert.equal(out.box, "");
  assert.deepEqual([...out.drafts], [["plenary", "  typed  "]]);
  assert.equal(moveDraft(new Map(), { from: "plenary", to: null, text: "   " }).drafts.size, 0);
  // The first room of a visit: nothing to keep.
  assert.equal(moveDraft(new Map(), { from: null, to: "plenary", text: "" }).box, "");
});

test("a message sent while offline, then a move: said as not sent, its text kept", () => {
  const text = "said while cut off";
  const out = moveDraft(new Map(), { from: "plenary", to: "caucus-a", text, tried: true });
  assert.equal(out.box, ""); // never put in the caucus's box
  assert.equal(out.unsent, text);
  assert.equal(out.drafts.get("plenary"), text);
  // Back in the lobby after the 90 s cut: said too.
  assert.equal(moveDraft(new Map(), { from: "plenary", to: null, text, tried: true }).unsent, text);
  // Tried, then emptied by the person: nothing to say.
  assert.equal(moveDraft(new Map(), { from: "plenary", to: null, text: "", tried: true }).unsent, null);
});

test("a message lost on the way: back in its room's box, or said as not sent elsewhere", () => {
  const here = lostMessage(new Map(), { room: "plenary", here: "plenary", text: "first", box: "" });
  assert.deepEqual(here, { drafts: new Map(), box: "first", unsent: null });
  const typed = lostMessage(new Map(), { room: "plenary", here: "plenary", text: "first", box: "second" });
  assert.equal(typed.box, "first\nsecond");
  const moved = lostMessage(new Map(), { room: "caucus-b", here: "plenary", text: "caucus only", box: "plenary words" });
  assert.equal(moved.box, "plenary words"); // plenary's box untouched
  assert.equal(moved.unsent, "caucus only");
  assert.equal(moved.drafts.get("caucus-b"), "caucus only");
  // Between rooms (`here` null): not sent either; an existing draft of that room is kept.
  const drafts = new Map([["caucus-b", "newer draft"]]);
  const between = lostMessage(drafts, { room: "caucus-b", here: null, text: "caucus only", box: "" });
  assert.equal(between.unsent, "caucus only");
  assert.equal(between.drafts.get("caucus-b"), "newer draft");
});
