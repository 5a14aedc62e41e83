// node --test tests/js/: core/render.js `keyed`, which redraws a list keeping its unchanged
// children in place. A move on a board of 40 people redrew all eight columns, and the browser
// laid out the whole page again (a board p95 of 150 ms and more); now only what changed is built
// and placed, and nothing that stays is taken out and put back (which would lay it out anew).
import assert from "node:assert/strict";
import test from "node:test";

const { keyed } = await import("../../gateway/webclient/js/core/render.js");

// Just enough of a DOM element to count what `keyed` does to its children.
class Fake {
  constructor(name) {
    this.name = name;
    this.parent = null;
    this.kids = [];
    this.ops = [];
  }
  get children() { return this.kids; }
  get childNodes() { return this.kids; }
  get firstChild() { return this.kids[0] ?? null; }
  get nextSibling() {
    const kids = this.parent.kids;
    return kids[kids.indexOf(this) + 1] ?? null;
  }
  insertBefore(node, ref) {
    if (node.parent) node.parent.kids.splice(node.parent.kids.indexOf(node), 1);
    const at = ref ? this.kids.indexOf(ref) : this.kids.length;
    this.kids.splice(at, 0, node);
    node.parent = this;
    this.ops.push(`place ${node.name}`);
  }
  remove() {
    this.parent.ops.push(`remove ${this.name}`);
    this.parent.kids.splice(this.parent.kids.indexOf(this), 1);
    this.parent = null;
  }
}

function items(list, built) {
  return list.map(([key, signature]) => ({ key, signature,
    build: () => { built.push(key); return new Fake(`${key}:${signature}`); } }));
}

const names = (parent) => parent.kids.map((k) => k.name);

test("a first drawing builds and places every child in order", () => {
  const parent = new Fake("row");
  const built = [];
  keyed(parent, items([["lobby", "1"], ["plenary", "1"], ["a", "1"]], built));
  assert.deepEqual(built, ["lobby", "plenary", "a"]);
  assert.deepEqual(names(parent), ["lobby:1", "plenary:1", "a:1"]);
});

test("the same drawing again builds nothing and touches nothing", () => {
  const parent = new Fake("row");
  keyed(parent, items([["lobby", "1"], ["plenary", "1"], ["a", "1"]], []));
  const before = [...parent.kids];
  parent.ops = [];
  const built = [];
  keyed(parent, items([["lobby", "1"], ["plenary", "1"], ["a", "1"]], built));
  assert.deepEqual(built, []);
  assert.deepEqual(parent.ops, []);
  assert.ok(parent.kids.every((k, i) => k === before[i]));
});

test("a move rebuilds only the two columns it changed, in their places", () => {
  const parent = new Fake("row");
  keyed(parent, items([["lobby", "1"], ["plenary", "1"], ["a", "1"], ["b", "1"]], []));
  const [lobby, , , b] = parent.kids;
  parent.ops = [];
  const built = [];
  keyed(parent, items([["lobby", "1"], ["plenary", "2"], ["a", "2"], ["b", "1"]], built));
  assert.deepEqual(built, ["plenary", "a"]);
  assert.deepEqual(names(parent), ["lobby:1", "plenary:2", "a:2", "b:1"]);
  assert.equal(parent.kids[0], lobby);
  assert.equal(parent.kids[3], b);
  // The old two go, the new two are put where they were; lobby and b are never moved.
  assert.deepEqual(parent.ops, ["remove plenary:1", "remove a:1", "place plenary:2", "place a:2"]);
});

test("a room closed goes, a new one comes in its order, and a swap moves one child", () => {
  const parent = new Fake("row");
  keyed(parent, items([["lobby", "1"], ["plenary", "1"], ["a", "1"], ["b", "1"]], []));
  parent.ops = [];
  keyed(parent, items([["lobby", "1"], ["plenary", "1"], ["b", "1"], ["c", "1"]], []));
  assert.deepEqual(names(parent), ["lobby:1", "plenary:1", "b:1", "c:1"]);
  assert.deepEqual(parent.ops, ["remove a:1", "place c:1"]);
  parent.ops = [];
  keyed(parent, items([["lobby", "1"], ["plenary", "1"], ["c", "1"], ["b", "1"]], []));
  assert.deepEqual(names(parent), ["lobby:1", "plenary:1", "c:1", "b:1"]);
  assert.deepEqual(parent.ops, ["place c:1"]);
});

test("a child not built here is removed, a null build is no child, a repeated key is built once", () => {
  const parent = new Fake("area");
  parent.insertBefore(new Fake("stray"), null);
  parent.ops = [];
  const built = [];
  const list = [{ key: "x", signature: "1", build: () => null }, ...items([["y", "1"], ["y", "1"]], built)];
  keyed(parent, list);
  assert.deepEqual(names(parent), ["y:1", "y:1"]);
  assert.deepEqual(built, ["y", "y"]); // a second item of one key is never the first's node
  assert.equal(new Set(parent.kids).size, 2);
  assert.deepEqual(parent.ops.slice(0, 1), ["remove stray"]);
});
