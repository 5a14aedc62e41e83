// node --test tests/js/: "Turn on sound" shows exactly while the browser's autoplay policy holds
// some remote sound back (media/autoplay.js), and goes once every remote video plays with sound
// (a reconnect's new streams after the person touched the page) or is gone.
import assert from "node:assert/strict";
import test from "node:test";

import { SoundHolds, playRemote } from "../../gateway/webclient/js/media/autoplay.js";

// A <video> under a browser's autoplay policy: sound plays only once the page was touched.
function video(policy) {
  return {
    muted: false,
    paused: true,
    async play() {
      if (!this.muted && !policy.touched) {
        this.paused = true;
        throw new DOMException("play() failed because the user didn't interact", "NotAllowedError");
      }
      this.paused = false;
    },
  };
}

test("sound held back plays muted, and the offer shows while any is held", async () => {
  const policy = { touched: false };
  const said = [];
  const holds = new SoundHolds((held) => said.push(held));
  const a = video(policy);
  const b = video(policy);
  holds.set("a", !(await playRemote(a)));
  holds.set("b", !(await playRemote(b)));
  await Promise.resolve();
  assert.deepEqual([a.muted, a.paused, b.muted, b.paused], [true, false, true, false]);
  assert.deepEqual(said, [true]); // said once, not per video
  assert.equal(holds.any, true);

  // The person clicks something else on the page; then the connection comes back: the new
  // streams play with sound, so nothing is held back and the offer goes by itself.
  policy.touched = true;
  const a2 = video(policy);
  holds.set("a", !(await playRemote(a2)));
  assert.equal(holds.any, true); // b is still muted: the offer stays
  holds.set("b", !(await playRemote(b)));
  assert.deepEqual([a2.muted, b.muted], [false, false]);
  assert.deepEqual(said, [true, false]);
});

test("a video that goes away takes its hold with it; a refused unmute keeps it", async () => {
  const policy = { touched: false };
  const holds = new SoundHolds();
  const a = video(policy);
  holds.set("a", !(await playRemote(a)));
  assert.equal(holds.has("a"), true);
  holds.set("a", !(await playRemote(a))); // still not touched: still held, still muted
  assert.equal(holds.any, true);
  assert.equal(a.muted, true);
  holds.set("a", false); // the tile is removed (a move, the peer left, back to the lobby)
  assert.equal(holds.any, false);
});
