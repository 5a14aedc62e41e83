// node --test tests/js/: the mediator's camera and microphone when the console holding them
// closes (components/console-media.js). The other consoles were never told: the parties saw
// the mediator's tile dead and nothing offered to take the media. Now a console showing "in use
// on another device" says "not in use anywhere" with Use them here, but only after the grace a
// reconnecting holder needs (its claim, told as `media_claimed`, ends the wait), and never
// claims by itself.
import assert from "node:assert/strict";
import { test } from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);

// Just enough of the DOM for the console's tiles (components/video-tiles.js).
class Element {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.dataset = {};
    this.textContent = "";
  }

  setAttribute() {}
  addEventListener() {}
  append(...nodes) { this.children.push(...nodes); }
  replaceChildren(...nodes) { this.children = nodes; }
  querySelector(tag) {
    for (const child of this.children) {
      if (child.tagName === tag.toUpperCase()) return child;
      const found = child.querySelector ? child.querySelector(tag) : null;
      if (found) return found;
    }
    return null;
  }
}
globalThis.Node = Element;
globalThis.document.createElement = (tag) => new Element(tag);
globalThis.document.createTextNode = (text) => ({ textContent: text });
globalThis.document.addEventListener = () => {};

const { initI18n } = await import("../../gateway/webclient/js/core/i18n.js");
const { ConsoleMedia, MEDIA_FREE_GRACE_MS } = await import("../../gateway/webclient/js/components/console-media.js");
const { OFFLINE_GRACE_MS } = await import("../../gateway/webclient/js/components/presence.js");

// A console of this hearing; `held`: it holds its browser's lock, `live`: it sends the media.
function consoleMedia({ held = true, live = false } = {}) {
  const sent = [];
  const said = [];
  const media = new ConsoleMedia("h1", (m) => sent.push(m), (h) => said.push(["held", h]));
  media.onMoved = (moved) => said.push(["moved", moved]);
  media.me = "m";
  media.held = held;
  if (held && !live) media.moved(); // another device's console claimed them
  said.length = 0;
  return { media, sent, said };
}

test("a console whose media moved elsewhere says they are free only once the grace is over", async (t) => {
  await initI18n("en");
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { media, sent, said } = consoleMedia();
  assert.equal(MEDIA_FREE_GRACE_MS, OFFLINE_GRACE_MS); // the presence grace: 4 s
  media.freed();
  t.mock.timers.tick(MEDIA_FREE_GRACE_MS - 1);
  assert.deepEqual(said, []); // still "in use on another device": it may be back
  assert.equal(media.tiles.selfPicture(), "other_device");
  t.mock.timers.tick(1);
  assert.deepEqual(said, [["moved", "free"]]);
  assert.equal(media.tiles.selfPicture(), "nowhere");
  assert.equal(media.tiles.self.querySelector("figcaption").textContent, "You · not in use anywhere");
  assert.deepEqual(sent, []); // never claimed by itself: the mediator chooses the device
  media.freed(); // told again (a socket of its own reopened): nothing new
  t.mock.timers.tick(MEDIA_FREE_GRACE_MS);
  assert.deepEqual(said, [["moved", "free"]]);
  // Then a console claims them (here or on another device): in use elsewhere again.
  media.claimed();
  assert.deepEqual(said, [["moved", "free"], ["moved", "elsewhere"]]);
  assert.equal(media.tiles.selfPicture(), "other_device");
});

test("a holder that reconnects within the grace never reads as free on the other consoles", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { media, said } = consoleMedia();
  media.freed(); // the holder's old socket closed…
  t.mock.timers.tick(MEDIA_FREE_GRACE_MS - 500);
  media.claimed(); // …and its new socket claimed again
  t.mock.timers.tick(10 * MEDIA_FREE_GRACE_MS);
  assert.deepEqual(said, []);
  // The same for a console that held them and was told of the other's claim the old way.
  media.freed();
  media.moved();
  t.mock.timers.tick(10 * MEDIA_FREE_GRACE_MS);
  assert.deepEqual(said, []);
});

test("the console sending the media ignores the notice (its new socket claims again)", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { media, sent, said } = consoleMedia({ live: true });
  media.freed();
  t.mock.timers.tick(10 * MEDIA_FREE_GRACE_MS);
  media.claimed(); // another console's claim, told before this one's own (two at once): kept
  assert.deepEqual(said, []);
  assert.equal(media.elsewhere, false);
  media.claim();
  assert.deepEqual(sent, [{ type: "media.claim" }]);
});

test("Use them here from free claims the media and the grace no longer runs", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { media, sent, said } = consoleMedia();
  let opened = 0;
  media.open = async () => { opened += 1; };
  media.freed();
  t.mock.timers.tick(MEDIA_FREE_GRACE_MS);
  await media.reclaim();
  assert.deepEqual(sent, [{ type: "media.claim" }]);
  assert.equal(opened, 1);
  assert.deepEqual(said, [["moved", "free"], ["moved", false]]);
  media.freed(); // its own socket's reconnect, later: it sends them, nothing to say
  t.mock.timers.tick(10 * MEDIA_FREE_GRACE_MS);
  assert.deepEqual(said, [["moved", "free"], ["moved", false]]);
});

test("a board-only tab takes its browser's lock once the grace is over, and only if it is free", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const asked = [];
  let free = false;
  Object.defineProperty(globalThis.navigator, "locks", { configurable: true, value: {
    request: (name, options, run) => { asked.push([name, options]); return run(free ? { name } : null); },
  } });
  try {
    const { media, sent, said } = consoleMedia({ held: false });
    media.freed(); // another device's holder closed; this browser's lock is with another tab
    t.mock.timers.tick(MEDIA_FREE_GRACE_MS - 1);
    assert.deepEqual(asked, []); // not sooner: a reloaded holder tab takes it back meanwhile
    t.mock.timers.tick(1);
    assert.deepEqual(asked, [["parley-media-h1", { ifAvailable: true }]]);
    assert.deepEqual(said, []);
    free = true; // the browser's holding tab closed
    media.freed();
    t.mock.timers.tick(MEDIA_FREE_GRACE_MS);
    await Promise.resolve();
    assert.deepEqual(said, [["held", true], ["moved", "free"]]);
    assert.deepEqual(sent, []); // offered, not claimed
    assert.equal(media.held && media.elsewhere, true);
    media.stop();
  } finally {
    delete globalThis.navigator.locks;
  }
});

test("a remote tile whose link dropped says so, not its frozen last frame, and recovers", async () => {
  await initI18n("en");
  const { media } = consoleMedia({ live: true });
  const tiles = media.tiles;
  globalThis.CSS ??= { escape: (text) => text };
  tiles.names.set("p1", "Mr Peter Lee");
  const tile = tiles.tile("p1", "camera"); // this DOM finds no tile by its data: found from here on
  Object.assign(tile.dataset, { participant: "p1", kind: "camera" });
  tiles.grid.querySelector = () => tile;
  tiles.stats("p1", { framesDecoded: 300, state: "connected" });
  tiles.name(tile);
  assert.equal(tile.dataset.lost, "false");
  assert.equal(tile.querySelector("figcaption").textContent, "Mr Peter Lee");
  tiles.stats("p1", { framesDecoded: 300, state: "disconnected" }); // ICE lost: the frame freezes
  assert.equal(tile.dataset.lost, "true");
  assert.equal(tile.querySelector("figcaption").textContent, "Mr Peter Lee · connection lost, reconnecting…");
  tiles.stats("p1", { framesDecoded: 300, state: "failed" });
  assert.equal(tile.dataset.lost, "true");
  tiles.stats("p1", { framesDecoded: 420, state: "connected" }); // mended (ICE restart)
  assert.equal(tile.dataset.lost, "false");
  assert.equal(tile.querySelector("figcaption").textContent, "Mr Peter Lee");
});
