// Chat for the room you are in, and only that room: the room is named above the messages, a
// move clears them and leaves a marker ("You are now in …"), and what was said in a room you
// left never follows you. Arriving in a room asks the server for what was said there in your
// presence ("chat.recall"): back in plenary from a caucus, plenary's lines from before you left
// come back above the marker; nothing said while you were away is ever sent (chatlog.py).
// A refused message (too long, too fast) stays in the box with a sentence saying why. Your own
// lines are marked as yours ("You"), as your video tile is, never by your own name.
// What you write stays in the room you wrote it in (chat-drafts.js): a move keeps the box's
// draft for its room and empties the box; a message that could not go out there is never sent
// elsewhere, and a note above the box (or in the waiting room) says so, with its text to copy.

import { formatNumber, formatTime, t } from "../core/i18n.js";
import { h, mount, uid } from "../core/render.js";
import { personName } from "./person.js";
import { chineseSpacing } from "./chinese-spacing.js";
import { roomLabel } from "../core/room-names.js";
import { lostMessage, moveDraft } from "./chat-drafts.js";
import { copyButton } from "./copy.js";

export const MAX_CHAT = 2000;

// Pure: whether the log shows its newest line (`log`: its scrollTop, clientHeight and
// scrollHeight), a few pixels of slack allowed (rounding). Only then does a new line scroll it: someone
// reading back is not pulled down by every new line; "New messages below" says there are some.
export function atNewest({ scrollTop, clientHeight, scrollHeight }) {
  return scrollHeight - (scrollTop + clientHeight) <= 8;
}

// One line's identity across a live delivery and a history (the server has no line ids).
const lineKey = (line) => `${line.sender}|${line.at}|${line.text}`;

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
      // Room for more than a message holds: a long paste is kept whole and said to be over
      // the limit (counter, submit), never cut silently.
      maxlength: String(MAX_CHAT * 5), "aria-describedby": `${inputId}-help` });
    this.count = h("span", { id: `${inputId}-help`, class: "chat-count" });
    this.error = h("p", { class: "chat-error error", role: "alert" });
    this.button = h("button", { type: "submit", class: "button primary" });
    this.label = h("label", { for: inputId, class: "visually-hidden" });
    this.form = h("form", { class: "chat-form" }, this.label, this.input, h("div", { class: "chat-actions" }, this.count, this.button), this.error);
    // Notes of messages not sent: the screen may show them elsewhere (the waiting room).
    this.unsent = h("div", { class: "chat-unsent-list" });
    this.drafts = new Map(); // room id → the box's text when you left it
    this.tried = null; // the room whose box you pressed Send in, and it did not go
    this.newBelow = h("button", { type: "button", class: "button small chat-new-below", hidden: true,
      onclick: () => this.toNewest() });
    this.log.addEventListener("scroll", () => { if (atNewest(this.log)) this.newBelow.hidden = true; }, { passive: true });
    this.el = h("section", { class: "chat-panel", "aria-labelledby": this.heading.id },
      this.heading, live, this.newBelow, this.unsent, this.form);
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.submit(); });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("input", () => {
      if (!this.input.value.trim()) this.tried = null;
      this.counter();
    });
    this.roomView = null;
    this.marker = null;
    this.shown = new Set(); // lineKey of every line in the log
    this.errorWords = null; // () => sentence, so a language switch can say it again
    this.relabel();
  }

  // Every word of the panel in the current language; the messages themselves stay as written.
  relabel() {
    this.button.textContent = t("participant.chat.send");
    this.newBelow.textContent = t("participant.chat.new_below");
    this.label.textContent = t("participant.chat.label");
    this.heading.textContent = chineseSpacing(t("participant.chat.heading", { room: roomLabel(this.roomView) }));
    if (this.marker) {
      this.marker.textContent = chineseSpacing(t("participant.chat.moved", { room: roomLabel(this.roomView) }));
    }
    for (const line of this.log.querySelectorAll(".chat-line")) {
      line.querySelector(".chat-name").textContent = this.nameOf(line.dataset.sender, line.dataset.name);
    }
    for (const time of this.log.querySelectorAll("time.chat-time")) {
      time.textContent = formatTime(Date.parse(time.dateTime));
    }
    this.say(this.errorWords);
    this.counter();
    for (const note of this.unsent.children) note.redraw();
  }

  say(words) {
    this.errorWords = words;
    this.error.textContent = words ? words() : "";
  }

  // Between rooms (the new room's view is on its way): nothing can be sent meanwhile.
  setUsable(usable) {
    this.input.disabled = !usable;
    this.button.disabled = !usable;
  }

  counter() {
    const left = MAX_CHAT - this.input.value.length;
    this.count.classList.toggle("at-limit", left < 0);
    if (left >= 0 && this.errorWords && this.errorWords === this.tooLong) this.say(null); // shortened
    this.count.textContent = left < 0 ? t("participant.chat.over", { count: -left })
      : t("participant.chat.left", { count: left });
  }

  // The room changed (or the first snapshot): messages of the old room go, a marker says so.
  setRoom(room) {
    const id = room ? room.id : null;
    const before = this.roomView;
    this.roomView = room;
    if (room && this.unsent.parentNode !== this.el) this.form.before(this.unsent);
    this.heading.textContent = chineseSpacing(t("participant.chat.heading", { room: roomLabel(room) }));
    this.setUsable(Boolean(room) && room.kind !== "lobby");
    // Only the first view of the visit gets no marker (a page opened, or reloaded, straight into
    // its room). The waiting room counts as a view: an admission, to plenary or straight into a
    // caucus, is a change of room like any move, and says so.
    const first = !this.seenRoom;
    this.seenRoom = true;
    if (id === this.room) return;
    const moved = moveDraft(this.drafts, { from: this.room, to: id, text: this.input.value,
      tried: this.tried !== null && this.tried === this.room });
    this.drafts = moved.drafts;
    this.input.value = moved.box;
    this.tried = null;
    this.pending = null;
    this.counter();
    if (moved.unsent) this.unsentNote(before, moved.unsent);
    // Back in a room whose message was not sent: it is in the box again, the note has done.
    for (const note of [...this.unsent.children]) if (id && note.dataset.room === id) note.remove();
    this.room = id;
    mount(this.log);
    this.newBelow.hidden = true;
    this.shown = new Set();
    this.say(null);
    this.marker = first ? null : h("li", { class: "chat-marker", "data-room": id || "" },
      chineseSpacing(t("participant.chat.moved", { room: roomLabel(room) })));
    if (this.marker) this.log.append(this.marker);
    if (this.marker && id && room.kind !== "lobby") this.send({ type: "chat.recall" });
  }

  // The room's lines said in your presence (after a snapshot, or the answer to a recall), each
  // in its place by time: those from an earlier stay above the marker of your arrival.
  history(message) {
    if (message.room !== this.room) return;
    const entered = message.entered_at ?? 0;
    for (const line of message.lines) this.add({ ...line, room: message.room }, line.at <= entered);
  }

  add(message, earlier = false) {
    if (message.room !== this.room) return; // never show another room's words
    const key = lineKey(message);
    if (this.shown.has(key)) return; // live and in a history both
    this.shown.add(key);
    const li = h("li", { class: message.sender === this.me ? "chat-line mine" : "chat-line", dataset: { sender: message.sender, name: message.name, at: String(message.at) } },
      h("span", { class: "chat-name" }, this.nameOf(message.sender, message.name)),
      h("time", { class: "chat-time", datetime: new Date(message.at).toISOString() },
        formatTime(message.at)),
      h("p", { class: "chat-text" }, message.text));
    // Walk back from the marker (an earlier stay's line) or the end, past later lines.
    let next = earlier && this.marker?.parentNode === this.log ? this.marker : null;
    let prev = next ? next.previousElementSibling : this.log.lastElementChild;
    while (prev && prev.classList.contains("chat-line") && Number(prev.dataset.at) > message.at) {
      next = prev;
      prev = prev.previousElementSibling;
    }
    // Followed when the newest was in view, or the line is yours or from a history on arrival.
    const follow = earlier || message.sender === this.me || atNewest(this.log);
    this.log.insertBefore(li, next);
    if (follow) this.toNewest();
    else this.newBelow.hidden = false;
    if (this.pending && message.sender === this.me && message.text === this.pending) {
      this.pending = null;
    }
  }

  toNewest() {
    this.log.scrollTop = this.log.scrollHeight;
    this.newBelow.hidden = true;
  }

  // The room's members (id → member), so the mediator is named as on every other part. A line
  // from someone no longer in the room carries its sender's name; only a mediator without a
  // display name has none.
  nameOf(sender, name) {
    if (this.me && sender === this.me) return t("participant.chat.you");
    const member = this.members && this.members.get(sender);
    return member ? personName(member) : name || t("participant.grid.mediator");
  }

  submit() {
    const text = this.input.value.trim();
    this.say(null);
    if (!text) return;
    if (text.length > MAX_CHAT) {
      this.say(this.tooLong = () => t("participant.chat.too_long", { length: formatNumber(text.length), limit: formatNumber(MAX_CHAT) }));
      return;
    }
    // It goes only while you are still in this room (outbox.js): `lost` if not.
    const room = this.room;
    const view = this.roomView;
    const hold = { still: () => this.room === room && !this.input.disabled,
      lost: () => this.lost(room, view, text) };
    // The room goes with the line: a move that crosses it has the server refuse it
    // (`room_changed`), never post it where you are now.
    if (!this.send({ type: "chat", text, room }, hold)) {
      this.tried = room;
      this.say(() => t("participant.chat.offline"));
      return;
    }
    this.pending = text;
    this.pendingIn = { room, view };
    this.input.value = "";
    this.counter();
  }

  // A message that never left the page: back in the box if you are still in its room (not
  // connected now), otherwise said as not sent, never sent where you are now.
  lost(room, view, text) {
    if (this.pending === text) this.pending = null;
    const here = this.input.disabled ? null : this.room;
    const after = lostMessage(this.drafts, { room, here, text, box: this.input.value });
    this.drafts = after.drafts;
    if (after.unsent) {
      this.unsentNote(view, after.unsent);
      return;
    }
    this.input.value = after.box;
    this.tried = room;
    this.counter();
    this.say(() => t("participant.chat.offline"));
  }

  // "Your message written in <room> was not sent", with the text to copy and a way to dismiss.
  unsentNote(view, text) {
    const words = h("p", { class: "chat-unsent-words" });
    const kept = h("textarea", { class: "chat-unsent-text", readonly: true, rows: "2", id: uid("unsent") });
    kept.value = text;
    const label = h("label", { for: kept.id, class: "visually-hidden" });
    const dismiss = h("button", { type: "button", class: "button small" });
    const note = h("div", { class: "chat-unsent", role: "alert", dataset: { room: view ? view.id : "" } },
      words, label, kept, h("div", { class: "chat-unsent-actions" },
        copyButton(() => text, t("participant.chat.unsent_copy")), dismiss));
    note.redraw = () => {
      words.textContent = chineseSpacing(t("participant.chat.unsent", { room: roomLabel(view) }));
      label.textContent = t("participant.chat.unsent_text");
      dismiss.textContent = t("participant.notice.dismiss");
    };
    dismiss.addEventListener("click", () => note.remove());
    note.redraw();
    this.unsent.append(note);
  }

  // The server refused the last message: put it back and say why.
  refused(error) {
    if (error.reason === "room_changed" && this.pending && this.pendingIn) {
      this.lost(this.pendingIn.room, this.pendingIn.view, this.pending); // said as not sent
      return;
    }
    if (this.pending && !this.input.value) this.input.value = this.pending;
    this.pending = null;
    this.counter();
    const key = {
      chat_flood: "participant.chat.flood",
      chat_too_long: "participant.chat.too_long",
    }[error.reason] || (error.code === "forbidden" ? "participant.chat.not_in_room"
      : "participant.chat.failed");
    const count = error.retry_after_s || MAX_CHAT;
    this.say(() => t(key, { count }));
  }
}
