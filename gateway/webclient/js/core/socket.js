// The hearing WebSocket (`/api/v1/ws`): JSON messages tagged by `type`.
//
// Every server message carries `seq`, a per-connection counter; the first one after (re)connect
// is a full `snapshot`, so a reconnect needs no replay: the snapshot replaces what we knew.
// A socket that drops is reopened with backoff unless it was closed on purpose or refused.
// A refusal before the upgrade (the cookie died while the page was cut off: the hearing ended,
// you were removed) reaches a browser only as 1006, like a network blip, so a socket that
// closes without having opened asks `probe` (the screen's: is my session still good?) and
// ends with the close it answers instead of retrying forever; null means "retry".
// What the page sends is paced under the gateway's per-socket budget (outbox.js).

import { Outbox } from "./outbox.js";

export function socketUrl(path = "/api/v1/ws") {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

const MAX_BACKOFF_MS = 8000;

export class HearingSocket {
  constructor(url, { onOpen, probe } = {}) {
    this.url = url;
    this.onOpen = onOpen || (() => {});
    this.probe = probe || (async () => null);
    this.handlers = new Map();
    this.ws = null;
    this.seq = -1;
    this.stopped = false;
    this.backoff = 250;
  }

  on(type, handler) {
    const list = this.handlers.get(type) || [];
    list.push(handler);
    this.handlers.set(type, list);
    return this;
  }

  emit(type, message) {
    for (const handler of this.handlers.get(type) || []) {
      try {
        handler(message);
      } catch (error) {
        console.error(`handler for ${type} failed`, error);
      }
    }
  }

  open() {
    this.stopped = false;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    if (this.outbox) this.outbox.clear();
    const outbox = new Outbox((text) => { if (ws.readyState === WebSocket.OPEN) ws.send(text); });
    this.outbox = outbox;
    let opened = false;
    ws.addEventListener("open", () => {
      opened = true;
      this.seq = -1;
      this.backoff = 250;
      this.emit("open", {});
      this.onOpen(this);
    });
    ws.addEventListener("message", (event) => this.receive(event.data));
    ws.addEventListener("close", async (event) => {
      outbox.clear(); // meant for this connection: a new one starts from its own snapshot
      if (this.ws !== ws) return;
      let { code, reason } = event;
      if (!opened && !this.stopped) ({ code, reason } = await this.probe().catch(() => null) || event);
      if (this.ws !== ws) return;
      this.ws = null;
      this.emit("close", { code, reason });
      // 1008 (policy) and 4000–4999 (Parley's own refusals: removed, ended, unauthenticated)
      // are final; anything else is a network blip worth retrying.
      const refused = code === 1008 || (code >= 4000 && code < 5000);
      if (!this.stopped && !refused) {
        setTimeout(() => { if (!this.stopped) this.open(); }, this.backoff);
        this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
      }
    });
  }

  receive(raw) {
    let message;
    try {
      message = JSON.parse(raw);
    } catch (_) {
      return;
    }
    if (!message || typeof message.type !== "string") return;
    // When this page learnt it (the page's clock): screens measure their own reaction time.
    message.receivedAt = performance.now();
    if (typeof message.seq === "number") {
      if (message.type !== "snapshot" && message.seq <= this.seq) return; // duplicate or stale
      this.seq = message.seq;
    }
    this.emit(message.type, message);
    this.emit("*", message);
  }

  get connected() {
    return Boolean(this.ws && this.ws.readyState === WebSocket.OPEN);
  }

  // `hold`: {still, lost} for a message that holds only where it was written (outbox.js).
  send(message, hold = {}) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.outbox.send(JSON.stringify(message), hold);
      return true;
    }
    return false;
  }

  close() {
    this.stopped = true;
    if (this.ws) this.ws.close(1000, "bye");
  }
}
