// "Who can hear you", from the server's view (DESIGN §5): the people in your room whose client
// reports a connected peer connection to yours, updated live; plus the room verification code
// (js/media/verification.js, docs/verification-code.md) for everyone to read out and compare.
// A microphone that sends nothing makes that "nobody", however connected the others are; so
// does this page's own connection while it is cut (`cut`): the room's view is stale then, and
// the code, computed for links that are down, shows nothing.

import { currentLanguage, t } from "../core/i18n.js";
import { h, mount, uid } from "../core/render.js";
import { personLabel, personName } from "./person.js";

// Pure, of a RoomView: the others who report a connected link to `me`, those still connecting,
// and those offline (members during their reconnection grace, with no page open).
export function whoHears(room, me) {
  const hear = [];
  const waiting = [];
  const away = [];
  for (const m of (room && room.members) || []) {
    if (m.id === me) continue;
    if ((m.links || []).includes(me)) hear.push(m);
    else if (m.connected === false) away.push(m);
    else waiting.push(m);
  }
  return { hear, waiting, away };
}

function hearersNote(hear, waiting, away) {
  const parts = [];
  if (hear.length === 0 && !waiting.length && !away.length) parts.push(t("participant.hearers.nobody"));
  else if (hear.length === 0 && waiting.length) parts.push(t("participant.hearers.connecting"));
  else if (waiting.length) parts.push(t("participant.hearers.waiting", { count: waiting.length }));
  if (away.length) parts.push(...awayWords(away));
  return parts.join(" ");
}

// Who is offline, by name (not "1 person is offline": is anyone in charge?), the mediator first;
// anyone the page has no name for, counted.
export function awayWords(away) {
  const words = [];
  const mediator = away.find((m) => m.role === "mediator");
  if (mediator) {
    words.push(mediator.name ? t("participant.hearers.away_mediator", { name: mediator.name })
      : t("participant.hearers.away_mediator_unnamed"));
  }
  const others = away.filter((m) => m !== mediator);
  const named = others.map(personName).filter(Boolean);
  if (named.length) {
    const names = new Intl.ListFormat(currentLanguage(), { type: "conjunction" }).format(named);
    words.push(t("participant.hearers.away_named", { names, count: named.length }));
  }
  const unnamed = others.length - named.length;
  if (unnamed) words.push(t("participant.hearers.away", { count: unnamed }));
  return words;
}

// Pure: the others in the room, named, who cannot hear you, and why (`trouble`: mediaTrouble).
export function unheardWords(room, me, trouble) {
  const others = ((room && room.members) || []).filter((m) => m.id !== me);
  const why = ["blocked", "in_use"].includes(trouble) ? trouble : "none";
  if (!others.length) return t(`participant.hearers.mic_${why}`);
  const names = new Intl.ListFormat(currentLanguage(), { type: "conjunction" }).format(others.map(personLabel));
  return t(`participant.hearers.unheard_${why}`, { names });
}

export class Hearers {
  constructor() {
    const headingId = uid("hear");
    this.list = h("ul", { class: "hearers-list", "aria-live": "polite" });
    this.note = h("p", { class: "hearers-note" });
    this.code = h("p", { class: "verify-code", "data-code": "" });
    this.codeNote = h("p", { class: "verify-note" });
    this.heading = h("h2", { id: headingId });
    this.codeHeading = h("h3");
    this.codeHelp = h("p", { class: "verify-help" });
    this.el = h("section", { class: "hearers", "aria-labelledby": headingId },
      this.heading, this.list, this.note,
      h("div", { class: "verify" }, this.codeHeading, this.code, this.codeNote, this.codeHelp));
    this.last = { room: null, me: null, moving: false, verification: null };
    this.micTrouble = null;
    this.cut = false;
    this.describe = null; // a participant's page: (member) → "Other side · Party" (person-side.js)
    this.relabel();
  }

  relabel() {
    this.heading.textContent = t("participant.hearers.heading");
    this.codeHeading.textContent = t("participant.verify.heading");
    this.codeHelp.textContent = t("participant.verify.help");
    const { room, me, moving, verification } = this.last;
    this.update(room, me, { moving });
    if (verification) this.verification(verification);
  }

  // Why your microphone sends nothing, or null.
  microphone(trouble) {
    this.micTrouble = trouble || null;
    const { room, me, moving } = this.last;
    this.update(room, me, { moving });
  }

  // This page's socket is down (true) or back (false).
  offline(cut) {
    if (this.cut === cut) return;
    this.cut = cut;
    const { room, me, moving, verification } = this.last;
    this.update(room, me, { moving });
    if (verification) this.verification(verification);
  }

  // `moving`: between rooms, the new room's view not here yet: nobody is shown as hearing you.
  update(room, me, { moving = false } = {}) {
    this.last = { ...this.last, room, me, moving };
    const inRoom = room && room.kind !== "lobby";
    this.el.dataset.unheard = inRoom && this.micTrouble || "";
    this.el.dataset.offline = this.cut ? "true" : "";
    if (!inRoom || this.micTrouble || this.cut) {
      mount(this.list);
      this.el.dataset.hearers = "";
      this.note.textContent = this.cut ? t("participant.hearers.offline")
        : inRoom ? unheardWords(room, me, this.micTrouble)
        : t(moving ? "participant.hearers.moving" : "participant.hearers.lobby");
      return;
    }
    const { hear, waiting, away } = whoHears(room, me);
    this.el.dataset.hearers = hear.map((m) => m.id).sort().join(",");
    mount(this.list, hear.map((m) => h("li", { dataset: { participant: m.id } },
      personLabel(m), this.describe && this.describe(m) ? h("span", { class: "hearer-side" }, ` · ${this.describe(m)}`) : null,
      m.muted ? h("span", { class: "hint" }, ` · ${t("participant.grid.muted")}`) : null)));
    this.note.textContent = hearersNote(hear, waiting, away);
  }

  // {code, members, waiting} from the mesh.
  verification(v) {
    this.last.verification = v;
    if (this.cut) {
      this.code.dataset.code = "";
      this.code.dataset.members = "";
      this.code.textContent = "—";
      this.codeNote.textContent = t("participant.verify.offline");
      return;
    }
    this.code.dataset.code = v.code || "";
    this.code.dataset.members = v.members.slice().sort().join(",");
    this.code.textContent = v.code || "—";
    this.codeNote.textContent = !v.code ? t("participant.verify.alone")
      : v.waiting ? t("participant.verify.partial", { count: v.waiting })
        : t("participant.verify.covers", { count: v.members.length + 1 });
  }
}
