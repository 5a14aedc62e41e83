// node --test tests/js/: the pure parts of the hearing page's media and presence.
import assert from "node:assert/strict";
import test from "node:test";

import { looksLikeAiortc } from "../../gateway/webclient/js/media/negotiation.js";

test("aiortc's session origin is recognised, browsers' is not", () => {
  assert.ok(looksLikeAiortc("v=0\r\no=- 3946541224 3946541224 IN IP4 0.0.0.0\r\ns=-\r\n"));
  assert.ok(!looksLikeAiortc("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n"));
  assert.ok(!looksLikeAiortc("v=0\r\no=mozilla...THIS_IS_SDPARTA-99.0 1 0 IN IP4 0.0.0.0\r\n"));
});

test("who can hear you: exactly the members who report a connected link to you", async () => {
  const { whoHears } = await import("../../gateway/webclient/js/components/hearers.js");
  const room = { members: [
    { id: "me", links: ["a"] },
    { id: "a", links: ["me", "b"] },
    { id: "b", links: ["a"] }, // in the room, not (yet) connected to me
    { id: "c", links: [] },
  ] };
  const { hear, waiting } = whoHears(room, "me");
  assert.deepEqual(hear.map((m) => m.id), ["a"]);
  assert.deepEqual(waiting.map((m) => m.id), ["b", "c"]);
  assert.deepEqual(whoHears(null, "me"), { hear: [], waiting: [] });
});
