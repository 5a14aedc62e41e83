// What the console sends: each action a WebSocket command, with the dialogs that ask first, and
// the end (the set-up page's dialog). Nothing here changes the screen: the server's board does.

import { describe } from "../core/errors.js";
import { t } from "../core/i18n.js";
import { h, uid } from "../core/render.js";
import { admits, roomName } from "../components/board.js";
import { confirmDialog, formDialog } from "../components/dialog.js";
import { endHearing } from "../components/end-hearing.js";
import { countedField, field } from "../components/form.js";
import { personName } from "../components/person.js";
import { defaultCaucusName } from "../core/room-names.js";
import { toast } from "../components/toast.js";

// A caucus's name, at most (the server's: proto ShortText).
const CAUCUS_NAME_MAX = 200;

// A side's default caucus name ("{side} caucus"), a long side name cut (at a space near the
// cut, with "…") so the field holds all it shows and its counter never warns of a limit.
export function fittedCaucusName(side, max = CAUCUS_NAME_MAX) {
  const whole = defaultCaucusName(side);
  if (whole.length < max) return whole;
  const room = max - 1 - (whole.length - side.length) - 1; // one under the limit, one for "…"
  let cut = side.slice(0, Math.max(room, 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never half a character
  const space = cut.lastIndexOf(" ");
  if (space > cut.length - 20 && space > 0) cut = cut.slice(0, space);
  return defaultCaucusName(`${cut.trimEnd()}…`);
}

// The longest caucus timer the console offers, in minutes (the server allows up to 24 hours:
// proto/ws.py MAX_TIMER_S).
export const TIMER_MINUTES_MAX = 240;

// The minutes typed for a caucus timer: a whole number from 1 to TIMER_MINUTES_MAX, or null
// (empty, 0, too long, a fraction, anything else).
export function timerMinutes(text) {
  const typed = String(text ?? "").trim();
  if (!/^\d{1,4}$/.test(typed)) return null;
  const minutes = Number(typed);
  return minutes >= 1 && minutes <= TIMER_MINUTES_MAX ? minutes : null;
}

// `c`: {state, socket, pending, timeUps, detail, boardArea, sides(), roomById(id), memberById(id),
// drawBoard(force)}. Returns {send, actions, newCaucus, broadcast, end}.
export function consoleCommands(c) {
  const { state, pending } = c;
  // A caucus held for the other side: said here, in words, before anything is sent.
  const refuseOtherSide = (name, room) => toast(() => t("mediator.board.other_side",
    { name, room: roomName(room) }), { kind: "error" });

  function send(message, action, pendingId = null) {
    if (state.ended) return toast(() => t("mediator.console.ended_already"), { kind: "error" });
    if (!c.socket.send(message)) return toast(() => t("mediator.console.offline"), { kind: "error" });
    state.lastAction = { action, at: performance.now() };
    if (pendingId) { pending.add(pendingId); c.drawBoard(); }
    return true;
  }

  const actions = {
    admit: (p, room) => send({ type: "admit", participant: p.id, room: room.id }, "admit", p.id),
    deny: async (p) => {
      const ok = await confirmDialog({ title: t("mediator.deny.title", { name: p.name }), body: t("mediator.deny.body"),
        confirm: t("mediator.deny.confirm"), danger: true });
      if (ok.confirmed) send({ type: "deny", participant: p.id }, "deny", p.id);
    },
    move: (p, room) => send({ type: "move", participant: p.id, room: room.id }, "move", p.id),
    dropPerson: (pid, room) => {
      const from = state.board.rooms.find((r) => r.members.some((m) => m.id === pid));
      if (!from || from.id === room.id) return;
      const person = from.members.find((m) => m.id === pid);
      if (!admits(room, person)) return refuseOtherSide(personName(person), room);
      if (from.kind === "lobby" && !person.connected) {
        return toast(() => t("mediator.board.not_waiting", { name: personName(person) }), { kind: "error" });
      }
      if (from.kind === "lobby" && room.kind !== "lobby") send({ type: "admit", participant: pid, room: room.id }, "admit", pid);
      else send({ type: "move", participant: pid, room: room.id }, "move", pid);
    },
    // Everyone of the side waiting (side-chips.js `waitingOf`), named and counted before it goes;
    // the server admits each as one by one (a locked hearing admits nobody new).
    admitSide: async (side, room, waiting) => {
      const count = waiting.length;
      const ok = await confirmDialog({ title: t("mediator.admit_side.title", { count, side: side.name, room: roomName(room) }),
        body: t("mediator.admit_side.body", { names: waiting.map(personName).join(", ") }),
        confirm: t("mediator.admit_side.confirm", { count }) });
      if (ok.confirmed) send({ type: "admit.side", side: side.id, room: room.id }, "admit_side");
      focusSideChip(side);
    },
    moveSide: (side, room) => {
      if (room.kind === "caucus" && room.side && room.side !== side) {
        return refuseOtherSide((c.sides().get(side) || {}).name || "", room);
      }
      return send({ type: "move.side", side, room: room.id }, "move_side");
    },
    remove: async (p) => {
      const ok = await confirmDialog({ title: t("mediator.revoke.title", { name: p.name }), body: t("mediator.revoke.body"),
        confirm: t("mediator.revoke.confirm"), danger: true });
      if (ok.confirmed) send({ type: "remove", participant: p.id }, "remove", p.id);
    },
    shuttle: (room) => send({ type: "shuttle", room: room.id }, "shuttle"),
    bring: (k) => {
      const person = c.memberById(k.participant);
      const here = c.roomById(state.you.room);
      if (person && here && !admits(here, person)) return refuseOtherSide(personName(person), here);
      return send({ type: "move", participant: k.participant, room: state.you.room }, "move", k.participant);
    },
    dismiss: (k) => send({ type: "knock.dismiss", participant: k.participant }, "knock"),
    timer: (room, seconds) => send({ type: "caucus.timer", room: room.id, seconds }, "timer"),
    // Added by the server to the deadline it holds (from now after time up), never worked out
    // here from the time left: this page's clock and another console would make that wrong.
    addTime: (room, seconds) => send({ type: "caucus.timer", room: room.id, seconds, extend: true }, "timer"),
    otherTimer: (room) => otherTimer(room),
    // Seen and left as it is: the column's notice goes; keyboard focus to the caucus's menu.
    dismissTimeUp: (room) => {
      c.timeUps.dismiss(room.id);
      c.drawBoard(true);
      focusCaucusMenu(room);
    },
    closeCaucus: async (room) => {
      const ok = await confirmDialog({ title: t("mediator.caucus.close_title", { room: roomName(room) }),
        body: t("mediator.caucus.close_body"), confirm: t("mediator.caucus.close_confirm") });
      if (ok.confirmed) send({ type: "caucus.close", room: room.id }, "caucus_close");
    },
  };

  // Back on the side's chip after its dialog (the chip's "Admit…" may be gone with the people).
  function focusSideChip(side) {
    const chip = c.boardArea.querySelector(`.side-chip[data-side="${CSS.escape(side.id)}"]`);
    const menus = chip ? chip.querySelectorAll("[aria-haspopup=menu]") : [];
    if (menus.length) menus[menus.length - 1].focus();
  }

  // After "Create": focus on the new caucus's menu once the server's board shows it (its column
  // in view), else back on "New caucus" (never left on the page's body).
  function focusNewCaucus(known) {
    const found = () => [...c.boardArea.querySelectorAll(".room-column[data-room-kind=caucus]")]
      .find((column) => !known.has(column.dataset.room));
    const settle = (column) => {
      observer.disconnect();
      clearTimeout(timeout);
      const menu = column && column.querySelector(".room-head [aria-haspopup=menu]");
      if (menu) menu.focus();
      else document.querySelector(".console .toolbar [data-action=new-caucus]")?.focus();
    };
    const observer = new MutationObserver(() => { const column = found(); if (column) settle(column); });
    const timeout = setTimeout(() => settle(found()), 10_000);
    observer.observe(c.boardArea, { childList: true, subtree: true });
  }

  // The caucus's menu button, found again by its name: the board may have been redrawn since.
  function focusCaucusMenu(room) {
    const menu = t("mediator.board.caucus_menu_named", { room: roomName(room) });
    [...c.boardArea.querySelectorAll("[aria-label]")].find((el) => el.getAttribute("aria-label") === menu)?.focus();
  }

  // "Timer: other length…": any whole number of minutes, 1 to 240, from now. A timer running is
  // replaced, and the dialog says so (and where to add time instead). Checked in the page's
  // words, never with the browser's bubble; focus goes back to the caucus's menu either way.
  async function otherTimer(room) {
    const minutes = h("input", { name: "minutes", type: "number", min: "1", max: String(TIMER_MINUTES_MAX),
      step: "1", inputmode: "numeric", autocomplete: "off" });
    minutes.addEventListener("input", () => minutes.removeAttribute("aria-invalid"));
    const minutesField = field(t("mediator.timer.minutes"), minutes, t("mediator.timer.minutes_hint"));
    if (room.deadline) {
      const replaces = h("p", { class: "hint", id: uid("replaces") }, t("mediator.timer.minutes_replaces"));
      minutesField.append(replaces);
      minutes.setAttribute("aria-describedby", `${minutes.getAttribute("aria-describedby")} ${replaces.id}`);
    }
    const asked = formDialog({ title: t("mediator.timer.other_title", { room: roomName(room) }),
      confirm: t("mediator.timer.start"), content: [minutesField],
      validate: () => {
        if (timerMinutes(minutes.value) !== null) return null;
        minutes.setAttribute("aria-invalid", "true");
        return t("mediator.timer.minutes_invalid");
      } });
    minutes.form.noValidate = true;
    const ok = await asked;
    if (ok) send({ type: "caucus.timer", room: room.id, seconds: timerMinutes(minutes.value) * 60 }, "timer");
    focusCaucusMenu(room);
  }

  async function newCaucus() {
    const name = h("input", { name: "name", maxlength: String(CAUCUS_NAME_MAX), autocomplete: "off" });
    const side = h("select", { name: "side" }, h("option", { value: "" }, t("mediator.caucus.no_side")),
      [...c.sides().values()].map((s) => h("option", { value: s.id }, s.name)));
    const moveIn = h("input", { type: "checkbox", id: "caucus-move-side", checked: true });
    const moveRow = h("div", { class: "check" }, moveIn, h("label", { for: "caucus-move-side" }, t("mediator.caucus.move_side")));
    const nameField = countedField(t("mediator.caucus.name"), name);
    // Said while the name is the side's: it is sent without one (see below).
    const byDefault = h("p", { class: "hint caucus-name-default" }, t("mediator.caucus.name_default_hint"));
    nameField.append(byDefault);
    const sync = () => {
      moveRow.hidden = !side.value;
      side.title = side.selectedOptions[0] ? side.selectedOptions[0].textContent : ""; // a long name, whole
      if (!name.value || name.dataset.auto) {
        const s = c.sides().get(side.value);
        name.value = s ? fittedCaucusName(s.name) : "";
        // The counter counts "input": the side's name is counted too, but stays the side's.
        name.dispatchEvent(new Event("input"));
        name.dataset.auto = "1";
      }
      byDefault.hidden = !(side.value && name.dataset.auto);
    };
    name.addEventListener("input", () => { delete name.dataset.auto; byDefault.hidden = true; });
    side.addEventListener("change", sync);
    const firstSide = [...c.sides().keys()][0];
    if (firstSide) side.value = firstSide;
    sync();
    const ok = await formDialog({ title: t("mediator.caucus.new_title"), confirm: t("mediator.caucus.create"),
      content: [field(t("mediator.caucus.side"), side), nameField, moveRow],
      validate: () => (name.value.trim() ? null : t("mediator.caucus.name_missing")) });
    if (!ok) { document.querySelector(".console .toolbar [data-action=new-caucus]")?.focus(); return; }
    // A side's caucus left with its default name is sent without one: each reader's screen
    // names it after the side in their own language (core/room-names.js).
    const named = !(side.value && name.dataset.auto);
    const known = new Set(state.board.rooms.map((r) => r.id));
    if (send({ type: "caucus.create", name: named ? name.value.trim() : "", side: side.value || null,
      move_side: Boolean(side.value) && moveIn.checked }, "caucus_create") === true) focusNewCaucus(known);
  }

  async function broadcast() {
    const text = h("textarea", { name: "text", rows: "4", maxlength: "1000" });
    const ok = await formDialog({ title: t("mediator.broadcast.title"), confirm: t("mediator.broadcast.send"),
      content: [h("p", { class: "muted" }, t("mediator.broadcast.hint")), field(t("mediator.broadcast.text"), text)],
      validate: () => (text.value.trim() ? null : t("mediator.broadcast.missing")) });
    if (ok) send({ type: "broadcast", text: text.value.trim() }, "broadcast");
  }

  // By the same dialog and request as the set-up page (with the choice to destroy the
  // documents); the socket then hears the end like everyone else.
  async function end() {
    try {
      await endHearing(c.detail);
    } catch (failure) {
      toast(() => describe(failure, "mediator.close"), { kind: "error" });
    }
  }

  return { send, actions, newCaucus, broadcast, end };
}
