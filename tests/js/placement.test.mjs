// node --test tests/js/: where a toast sits (core/placement.js): covering no control of the page,
// bottom right when that is free, else along the bottom, else higher up; where every spot covers
// something, the one covering least.
import assert from "node:assert/strict";
import test from "node:test";

import { clearSpot } from "../../gateway/webclient/js/core/placement.js";

const viewport = { width: 1366, height: 768 };
const size = { width: 300, height: 60 };
const rect = (left, top, width, height) => ({ left, top, right: left + width, bottom: top + height });
const covers = (spot, r) => spot.left < r.right && spot.left + size.width > r.left
  && spot.top < r.bottom && spot.top + size.height > r.top;

test("nothing in the way: bottom right, a margin from the edges", () => {
  assert.deepEqual(clearSpot({ viewport, size }), { left: 1366 - 16 - 300, top: 768 - 16 - 60, clear: true });
});

test("a button at the bottom right (Create the account): the toast goes to the bottom left", () => {
  const create = rect(1130, 700, 190, 40);
  const spot = clearSpot({ viewport, size, obstacles: [create] });
  assert.equal(spot.clear, true);
  assert.ok(!covers(spot, create));
  assert.equal(spot.top, 768 - 16 - 60);
  assert.equal(spot.left, 16);
});

test("the whole bottom row taken (a form's fields and its button): the toast moves up", () => {
  const row = [rect(40, 680, 400, 44), rect(480, 680, 400, 44), rect(920, 680, 420, 44)];
  const spot = clearSpot({ viewport, size, obstacles: row });
  assert.equal(spot.clear, true);
  for (const r of row) assert.ok(!covers(spot, r));
  assert.ok(spot.top + size.height <= 680 - 4, "above the row, clear of it");
  assert.equal(spot.left, 1366 - 16 - 300, "on the right, where toasts are looked for");
});

test("controls off screen do not count; nowhere free: the spot covering least", () => {
  const offscreen = rect(1000, 900, 300, 300);
  assert.equal(clearSpot({ viewport, size, obstacles: [offscreen] }).clear, true);
  const everywhere = [rect(0, 0, 1366, 768), rect(1000, 600, 366, 168)];
  const spot = clearSpot({ viewport, size, obstacles: everywhere });
  assert.equal(spot.clear, false);
  assert.ok(!covers(spot, everywhere[1]), "not over the second control as well");
});

test("a narrow screen: the toast is never wider than the screen allows", () => {
  const phone = { width: 360, height: 640 };
  const spot = clearSpot({ viewport: phone, size: { width: 416, height: 80 } });
  assert.equal(spot.left, 16);
  assert.equal(spot.clear, true);
});
