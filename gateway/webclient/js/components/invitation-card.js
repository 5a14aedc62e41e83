// An invitation just issued: the link and the access code, shown once, each with a copy button,
// and the two messages to send them in (separately: whoever intercepts one has nothing), ready
// to print or paste. The secrets stay in this panel; they never go into a URL. The two messages
// are in the language the mediator chose for this person (`words`: core/i18n.js wordsIn), which
// may not be the page's: a Hong Kong mediator working in English writes to a party who reads
// 繁體中文 in 繁體中文; what is copied and printed is that text.

import { t, zonePair } from "../core/i18n.js";
import { h } from "../core/render.js";
import { offersCalendar } from "./calendar-file.js";
import { copyButton } from "./copy.js";

export function invitationTexts({ title, name, link, code, scheduledAt, zone }, words = { t, zonePair }) {
  let when = words.t("mediator.invite.when_unset");
  if (scheduledAt) {
    const pair = words.zonePair(scheduledAt, zone);
    when = pair.hearing || pair.local;
  }
  return {
    link: words.t("mediator.invite.message_link", { name, title, when, link }),
    code: words.t("mediator.invite.message_code", { name, title, code }),
  };
}

// Each card's own ids: cards stack (setup-people.js), so no two share one.
let cards = 0;

function secretRow(label, value, copyLabel, id, kind) {
  return h("div", { class: "secret-row" },
    h("span", { class: "secret-label", id: `${id}-label` }, label),
    h("code", { class: "secret-value", id, "data-secret": kind, "aria-labelledby": `${id}-label` }, value),
    copyButton(() => value, copyLabel));
}

function messageBlock(heading, text, copyLabel, lang) {
  return h("section", { class: "message-block" },
    h("h4", null, heading),
    h("pre", { class: "message-text", lang }, text),
    copyButton(() => text, copyLabel));
}

function printAlone(card) {
  const others = [...document.querySelectorAll(".invite-once")].filter((c) => c !== card);
  others.forEach((c) => c.classList.add("print-skip"));
  window.print();
  others.forEach((c) => c.classList.remove("print-skip"));
}

// The card holds the secrets, shown once; its letter is the hearing's as it is now: when the
// mediator changes the hearing's title or time while the card is open, `update(hearing)` writes
// the two messages (and what Copy and Print take) and the calendar button again.
export function invitationCard({ issued, person, hearing, words, onDone, onCalendar }) {
  const link = new URL(issued.link_path, location.origin).href;
  const messages = h("div", { class: "messages" });
  const calendar = h("button", { type: "button", class: "button", onclick: () => onCalendar(words.lang) },
    t("mediator.setup.calendar"));
  const update = (current) => {
    const texts = invitationTexts({ title: current.title, name: person.name, link,
      code: issued.access_code, scheduledAt: current.scheduled_at, zone: current.time_zone }, words);
    messages.replaceChildren(
      messageBlock(t("mediator.invite.message1"), texts.link, t("mediator.invite.copy_message1"), words.lang),
      messageBlock(t("mediator.invite.message2"), texts.code, t("mediator.invite.copy_message2"), words.lang));
    calendar.hidden = !offersCalendar(current);
  };
  update(hearing);
  const n = ++cards;
  // Cards stack, each with its Done: the card's title tells whose this one is.
  const done = h("button", { type: "button", class: "button primary", onclick: onDone,
    "aria-describedby": `invite-once-title-${n}` },
    t("mediator.invite.done"));
  const card = h("section", { class: "card invite-once", role: "region",
    "aria-labelledby": `invite-once-title-${n}`, "data-participant": issued.participant },
    h("h3", { id: `invite-once-title-${n}` }, t("mediator.invite.issued_title", { name: person.name })),
    h("p", { class: "notice warn" }, t("mediator.invite.once")),
    secretRow(t("mediator.invite.link"), link, t("mediator.invite.copy_link"), `invite-link-${n}`, "link"),
    secretRow(t("mediator.invite.code"), issued.access_code, t("mediator.invite.copy_code"), `invite-code-${n}`, "code"),
    messages,
    h("div", { class: "actions no-print" },
      calendar,
      // Printed alone: other cards still open on the page stay off the paper.
      h("button", { type: "button", class: "button", onclick: () => printAlone(card) },
        t("mediator.invite.print")),
      done));
  return { card, participant: issued.participant, focus: () => done.focus(), update };
}
