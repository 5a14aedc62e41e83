// node --test tests/js/: the page's socket keeps under the gateway's per-socket message budget.
import assert from "node:assert/strict";
import test from "node:test";

import { Outbox } from "../../gateway/webclient/js/core/outbox.js";

function clockwork() {
  const timers = [];
  const clock = { t: 0, timers };
  clock.now = () => clock.t;
  clock.later = (fn, ms) => timers.push({ at: clock.t + ms, fn });
  clock.advance = (ms) => {
    clock.t += ms;
    for (const timer of timers.splice(0).sort((a, b) => a.at - b.at)) {
      if (timer.at <= clock.t) timer.fn(); else timers.push(timer);
    }
  };
  return clock;
}

test("a burst goes out at once; the rest waits in order and none is lost", () => {
  const clock = clockwork();
  const wire = [];
  const box = new Outbox((m) => wire.push(m), { now: clock.now, later: clock.later, ratePerS: 10, burst: 5 });
  for (let i = 0; i < 12; i += 1) box.send(`m${i}`);
  assert.deepEqual(wire, ["m0", "m1", "m2", "m3", "m4"]);
  assert.equal(box.queued, 7);
  clock.advance(100);
  assert.deepEqual(wire.slice(5), ["m5"]);
  for (let i = 0; i < 10; i += 1) clock.advance(100);
  assert.deepEqual(wire, Array.from({ length: 12 }, (_, i) => `m${i}`));
  assert.equal(box.queued, 0);
});

test("never more than the rate over any second once the burst is spent", () => {
  const clock = clockwork();
  const sentAt = [];
  const box = new Outbox(() => sentAt.push(clock.t), { now: clock.now, later: clock.later, ratePerS: 40, burst: 150 });
  for (let i = 0; i < 600; i += 1) box.send(i);
  for (let step = 0; step < 20_000 && box.queued; step += 1) clock.advance(5);
  assert.equal(sentAt.length, 600);
  for (let start = 0; start <= clock.t; start += 250) {
    const inWindow = sentAt.filter((t) => t >= start && t < start + 1000).length;
    assert.ok(inWindow <= 150 + 40, `${inWindow} messages in the second from ${start} ms`);
  }
  const afterBurst = sentAt.filter((t) => t >= 1000 && t < 2000).length;
  assert.ok(afterBurst <= 41, `${afterBurst} messages in a second after the burst`);
});

test("cleared messages never go out", () => {
  const clock = clockwork();
  const wire = [];
  const box = new Outbox((m) => wire.push(m), { now: clock.now, later: clock.later, ratePerS: 1, burst: 1 });
  box.send("a");
  box.send("b");
  box.clear();
  clock.advance(5000);
  assert.deepEqual(wire, ["a"]);
});

test("a message that no longer holds when its turn comes never goes out, and says so", () => {
  const clock = clockwork();
  const wire = [];
  const lost = [];
  let room = "caucus";
  const box = new Outbox((m) => wire.push(m), { now: clock.now, later: clock.later, ratePerS: 1, burst: 1 });
  box.send("signal");
  const hold = (text) => ({ still: () => room === "caucus", lost: () => lost.push(text) });
  box.send("caucus only", hold("caucus only")); // waits for the budget
  room = "plenary"; // moved before it went
  box.send("plenary words", { still: () => room === "plenary", lost: () => lost.push("plenary words") });
  clock.advance(5000);
  assert.deepEqual(wire, ["signal", "plenary words"]);
  assert.deepEqual(lost, ["caucus only"]);
});

test("messages cleared with their socket are said lost; one that went out is not", () => {
  const clock = clockwork();
  const lost = [];
  const box = new Outbox(() => {}, { now: clock.now, later: clock.later, ratePerS: 1, burst: 1 });
  box.send("gone out", { lost: () => lost.push("gone out") });
  box.send("waiting", { lost: () => lost.push("waiting") });
  box.clear();
  assert.deepEqual(lost, ["waiting"]);
});
