// Chat for the room you are in, and only that room: the room is named above the messages, a
// move clears them and leaves a marker ("You are now in …"), and what was said in a room you
// left never follows you (the server keeps nothing of it for you either: chatlog.py).
// A refused message (too long, too fast) stays in the box with a sentence saying why.

import { formatTime, t } from "../core/i18n.js";
import { h, mount, uid } from "../core/render.js";
import { roomLabel } from "./room-banner.js";

export const MAX_CHAT = 2000;

export class ChatPanel {
  constructor({ send }) {
    this.send = send;
    this.room = null;
    this.pending = null;
    const inputId = uid("chat");
    this.heading = h("h2", { class: "chat-room", id: uid("chat-h") });
    // The live region wraps the list: a role on the <ol> itself would take its list semantics
    // away from the lines (axe: listitem outside a list).
    this.log = h("ol", { class: "chat-log" });
    const live = h("div", { role: "log", "aria-live": "polite", "aria-labelledby": this.heading.id }, this.log);
    this.input = h("textarea", { id: inputId, class: "chat-input", rows: "2",
      maxlength: String(MAX_CHAT), "aria-describedby": `${inputId}-help` });
    this.count = h("span", { id: `${inputId}-help`, class: "chat-count" });
    this.error = h("p", { class: "chat-error error", role: "alert" });
    this.button = h("button", { type: "submit", class: "button primary" }, t("participant.chat.send"));
    this.form = h("form", { class: "chat-form" },
      h("label", { for: inputId, class: "visually-hidden" }, t("participant.chat.label")),
      this.input, h("div", { class: "chat-actions" }, this.count, this.button), this.error);
    this.el = h("section", { class: "chat-panel", "aria-labelledby": this.heading.id },
      this.heading, live, this.form);
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.submit(); });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("input", () => this.counter());
    this.counter();
  }

  counter() {
    const left = MAX_CHAT - this.input.value.length;
    this.count.textContent = t("participant.chat.left", { count: left });
  }

  // The room changed (or the first snapshot): messages of the old room go, a marker says so.
  setRoom(room) {
    const id = room ? room.id : null;
    const label = roomLabel(room);
    this.heading.textContent = t("participant.chat.heading", { room: label });
    const usable = Boolean(room) && room.kind !== "lobby";
    this.input.disabled = !usable;
    this.button.disabled = !usable;
    if (id === this.room) return;
    const first = this.room === null && !this.seenRoom;
    this.room = id;
    this.seenRoom = true;
    mount(this.log);
    this.error.textContent = "";
    if (!first) {
      this.log.append(h("li", { class: "chat-marker", "data-room": id || "" },
        t("participant.chat.moved", { room: label })));
    }
  }

  history(message) {
    if (message.room !== this.room) return;
    for (const line of message.lines) this.add({ ...line, room: message.room });
  }

  add(message) {
    if (message.room !== this.room) return; // never show another room's words
    this.log.append(h("li", { class: "chat-line", dataset: { sender: message.sender } },
      h("span", { class: "chat-name" }, message.name),
      h("time", { class: "chat-time", datetime: new Date(message.at).toISOString() },
        formatTime(message.at)),
      h("p", { class: "chat-text" }, message.text)));
    this.log.scrollTop = this.log.scrollHeight;
    if (this.pending && message.sender === this.me && message.text === this.pending) {
      this.pending = null;
    }
  }

  submit() {
    const text = this.input.value.trim();
    this.error.textContent = "";
    if (!text) return;
    if (text.length > MAX_CHAT) {
      this.error.textContent = t("participant.chat.too_long", { count: MAX_CHAT });
      return;
    }
    if (!this.send({ type: "chat", text })) {
      this.error.textContent = t("participant.chat.offline");
      return;
    }
    this.pending = text;
    this.input.value = "";
    this.counter();
  }

  // The server refused the last message: put it back and say why.
  refused(error) {
    if (this.pending && !this.input.value) this.input.value = this.pending;
    this.pending = null;
    this.counter();
    const key = {
      chat_flood: "participant.chat.flood",
      chat_too_long: "participant.chat.too_long",
    }[error.reason] || (error.code === "forbidden" ? "participant.chat.not_in_room"
      : "participant.chat.failed");
    this.error.textContent = t(key, { count: error.retry_after_s || MAX_CHAT });
  }
}
