// node --test tests/js/: a socket refused before its upgrade (a dead cookie reaches the browser
// as 1006, like a blip) asks the screen's probe, and ends with its answer instead of retrying.
import assert from "node:assert/strict";
import test from "node:test";

const made = [];
class FakeWebSocket extends EventTarget {
  static OPEN = 1;
  constructor(url) {
    super();
    this.url = url;
    this.readyState = 0;
    made.push(this);
  }
  open() { this.readyState = 1; this.dispatchEvent(new Event("open")); }
  drop(code = 1006, reason = "") {
    this.readyState = 3;
    const event = new Event("close");
    Object.assign(event, { code, reason });
    this.dispatchEvent(event);
  }
  send() {}
  close() {}
}
globalThis.WebSocket = FakeWebSocket;
const timers = [];
globalThis.setTimeout = (fn, ms) => { timers.push({ fn, ms }); return timers.length; };

const { HearingSocket } = await import("../../gateway/webclient/js/core/socket.js");

const settle = () => new Promise((resolve) => setImmediate(resolve));

function watched(probe) {
  made.length = 0;
  timers.length = 0;
  const socket = new HearingSocket("ws://x/api/v1/ws", { probe });
  const closes = [];
  socket.on("close", (e) => closes.push(e));
  socket.open();
  return { socket, closes };
}

test("a handshake refused because the session ended ends the page with the probe's close", async () => {
  let asked = 0;
  const { closes } = watched(async () => { asked += 1; return { code: 4000, reason: "ended" }; });
  made[0].drop(1006);
  await settle();
  assert.equal(asked, 1);
  assert.deepEqual(closes, [{ code: 4000, reason: "ended" }]);
  assert.equal(timers.length, 0); // final: no reconnect scheduled
});

test("a blip (the probe says the session is good, or cannot tell) is retried", async () => {
  const { closes } = watched(async () => null);
  made[0].drop(1006);
  await settle();
  assert.deepEqual(closes, [{ code: 1006, reason: "" }]);
  assert.equal(timers.length, 1);
  const failing = watched(async () => { throw new Error("offline"); });
  made[0].drop(1006);
  await settle();
  assert.deepEqual(failing.closes, [{ code: 1006, reason: "" }]);
  assert.equal(timers.length, 1);
});

test("a socket that was open is not probed: its close is the server's own", async () => {
  let asked = 0;
  const { closes } = watched(async () => { asked += 1; return { code: 4000, reason: "ended" }; });
  made[0].open();
  made[0].drop(1006);
  await settle();
  assert.equal(asked, 0);
  assert.deepEqual(closes, [{ code: 1006, reason: "" }]);
  assert.equal(timers.length, 1);
});
