// node --test tests/js/: the chat log follows new lines only while its newest is in view. It
// scrolled to every new line, pulling down someone reading back (and, on the console, closing the
// board's menu under the mediator's hand); now "New messages below" says there are more.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);

const { atNewest } = await import("../../gateway/webclient/js/components/chat-panel.js");

test("the log is at its newest line at the bottom, or a few pixels short of it", () => {
  assert.equal(atNewest({ scrollTop: 0, clientHeight: 200, scrollHeight: 200 }), true); // no overflow
  assert.equal(atNewest({ scrollTop: 300, clientHeight: 200, scrollHeight: 500 }), true);
  assert.equal(atNewest({ scrollTop: 294.5, clientHeight: 200, scrollHeight: 500 }), true); // rounding
  assert.equal(atNewest({ scrollTop: 277, clientHeight: 200, scrollHeight: 500 }), false); // half a line hidden
  assert.equal(atNewest({ scrollTop: 0, clientHeight: 200, scrollHeight: 500 }), false);
});
