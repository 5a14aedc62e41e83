// The participant's final screens and how a visit ended (screens/hearing.js): the card shown
// when you leave, are removed, are not admitted, the hearing ends, or you open it in another tab
// or window; the end this tab remembers across a reload; and the channel by which the pages of
// one hearing in this browser tell each other which one is live.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { participantDocuments } from "../components/document-retention.js";

export const FINAL = { removed: "removed", ended: "ended", denied: "denied" };
// The ends whose session the server ends too (the hearing ended, removed, not admitted, the
// person took over on another device with a new link): a reload then finds no session, and
// this tab remembers how the visit ended (sessionStorage) to show the same final screen, not
// the invitation's "open your link". "left" keeps the session; "expired" asks for a new link.
export const ENDED_KEY = "parley.participant.final";
// What the ended notice said of the hearing's documents ({destroyed, keptUntil}), kept beside it.
export const DOCUMENTS_KEY = "parley.participant.final_documents";
// "cancelled": the hearing ended before it ever opened (the page knew it was still scheduled).
export const REMEMBERED = new Set(["removed", "ended", "cancelled", "denied", "replaced"]);
// Any other tab, or this one after sessionStorage is gone, learns the same from the server: the
// dead cookie's `/me` answers 401 with why the session was ended (gateway/identity/authn.py).
export const ENDED_BY = { hearing_ended: "ended", removed: "removed", denied: "denied", replaced: "replaced" };

// How a visit ended, for a page opened without a session: what the server says (`why`), except
// that an end this tab saw as a cancellation stays one (the server says "hearing_ended" for
// both, not knowing whether this person ever saw it open).
export function endOf(why) {
  const said = Object.hasOwn(ENDED_BY, why || "") ? ENDED_BY[why] : null;
  const remembered = rememberedEnd();
  return said === "ended" && remembered === "cancelled" ? remembered : said || remembered;
}

// The final kind of a hearing's end, from the state this page last knew it in.
export function endedKind(hearingState) {
  return hearingState === "scheduled" ? "cancelled" : "ended";
}

export function rememberedDocuments() {
  try {
    const fate = JSON.parse(sessionStorage.getItem(DOCUMENTS_KEY) || "null");
    return fate && typeof fate === "object" ? fate : null;
  } catch (_) {
    return null;
  }
}

export function rememberedEnd() {
  try {
    const kind = JSON.parse(sessionStorage.getItem(ENDED_KEY) || "null");
    return REMEMBERED.has(kind) ? kind : null;
  } catch (_) {
    return null;
  }
}

// The final screen: what happened, that camera and microphone are off, and the way back where
// there is one: to the waiting room after leaving, or to this tab after the hearing was opened
// in another tab or window ("elsewhere": the server closed this page's socket, "taken_over").
// "elsewhere_free": the page that had taken over was closed (see `PageChannel`).
// `again` comes from a page that was in the hearing (hearing.js drawFinal). A page that opened
// on an end already over (a reload, the link opened again) never had camera or microphone, so
// it says only what happened: "are off" would tell of something that was never on.
const AGAIN = { left: ["rejoin", "participant.final.rejoin"],
  elsewhere: ["use-here", "participant.final.use_here"],
  elsewhere_free: ["use-here", "participant.final.continue_here"] };
// After the end, `documents` ({destroyed, keptUntil}, from the ended notice) says what becomes of
// the hearing's documents (document-retention.js). A page that never heard the notice (its socket
// was down then: it learnt of the end from the 401 of `/me`) cannot know, a participant being told
// nothing of retention before the end: it says so, and who can tell them.
export function finalCard(kind, again = null, documents = null) {
  const [action, label] = AGAIN[kind] || [];
  const fate = kind === "ended" || kind === "cancelled" ? participantDocuments(documents) || t("participant.final.documents_unknown") : null;
  return h("section", { class: "card final", dataset: { final: kind } },
    h("h1", null, t(`participant.final.${kind}_title`)),
    h("p", null, t(`participant.final.${kind}`)),
    fate ? h("p", { class: "final-documents" }, fate) : null,
    again ? h("p", { class: "hint", dataset: { media: "stopped" } }, t("participant.final.media_stopped")) : null,
    action && again ? h("p", null, h("button", { type: "button", class: "button primary",
      dataset: { action }, onclick: again }, t(label))) : null);
}

// The pages of one hearing in this browser tell each other when one becomes the live page
// ("live": its socket is in) and when the live page goes ("gone": closed, reloaded, navigated
// away). A page that stepped aside then says so and offers "Continue here" at once, focused;
// it never takes over by itself: "gone" also comes from a reload, whose page takes over again
// (two pages would trade the seat and the camera back and forth), and a person who closed the
// live tab may have meant to stop: a hidden tab switching their camera and microphone back on
// in a confidential hearing, without their doing, is the one thing it must not do.
export class PageChannel {
  constructor(hearing, onMessage) {
    this.channel = typeof BroadcastChannel === "function"
      ? new BroadcastChannel(`parley.hearing.${hearing}`) : null;
    if (this.channel) this.channel.onmessage = (event) => onMessage(event.data && event.data.type);
  }

  post(type) {
    if (this.channel) this.channel.postMessage({ type });
  }

  close() {
    if (this.channel) this.channel.close();
    this.channel = null;
  }
}
