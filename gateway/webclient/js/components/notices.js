// Notices from the mediator and the hearing: broadcasts as banners you dismiss, moves, the lock,
// the caucus's timer (time up, time added, the limit removed). Each is also spoken by the live region (components/toast.js).
// A banner's words are a function of the language (`relabel()` redraws them after a switch);
// a broadcast's text is the mediator's own and stays as written.

import { t } from "../core/i18n.js";
import { h, mount } from "../core/render.js";
import { chineseSpacing } from "./chinese-spacing.js";
import { changedWords, mediatorChange, rememberMediator, seenMediator } from "./mediator-change.js";
import { roomLabel } from "../core/room-names.js";
import { announce } from "./toast.js";

export class Notices {
  constructor() {
    this.el = h("div", { class: "notices", "aria-live": "polite" });
    this.shown = new Set(); // {item, kind, variant, draw}
    this.onDismiss = null; // (kind): a banner the person dismissed
  }

  // words() → {text, title}: called now and again after a language switch. A `single` kind
  // replaces its earlier banner (only the latest move matters; five moves are not five notices).
  banner(words, { kind = "broadcast", single = false, variant = null, quiet = false } = {}) {
    if (single) {
      for (const entry of [...this.shown]) {
        if (entry.kind === kind) { entry.item.remove(); this.shown.delete(entry); }
      }
    }
    const body = h("div", { class: "notice-text" });
    const dismiss = h("button", { type: "button", class: "button notice-dismiss" });
    const item = h("div", { class: `notice notice-${kind}`, role: "status",
      dataset: variant ? { kind, variant } : { kind } },
      body, dismiss);
    const entry = {
      item,
      kind,
      variant,
      draw: () => {
        const said = words();
        // The hearing's own sentences set names apart in Chinese (chinese-spacing.js); a broadcast
        // is the mediator's own words, as typed.
        const text = kind === "broadcast" ? said.text : chineseSpacing(said.text);
        const title = said.title || null;
        mount(body, title ? h("strong", null, title) : null, h("p", null, text));
        dismiss.textContent = t("participant.notice.dismiss");
        return title ? `${title}: ${text}` : text;
      },
    };
    dismiss.addEventListener("click", () => {
      item.remove();
      this.shown.delete(entry);
      if (this.onDismiss) this.onDismiss(kind);
    });
    this.shown.add(entry);
    // The mediator's latest words first: kept at the top of a scrolled page, under the room's
    // banner, in a box of limited height (css: .room-top), they are what must show there.
    if (kind === "broadcast") this.el.prepend(item);
    else this.el.append(item);
    const text = entry.draw();
    if (!quiet) announce(text, { assertive: kind === "broadcast" });
    return item;
  }

  broadcast(text) {
    return this.banner(() => ({ text, title: t("participant.notice.from_mediator") }),
      { kind: "broadcast" });
  }

  // `variant` "moved_away": into a room without the mediator, which it says too (room-banner.js
  // mediatorWords). `quiet`: the same move said anew (not spoken again).
  moved(room, variant = "moved", quiet = false) {
    const item = this.banner(() => ({ text: t(`participant.notice.${variant}`, { room: roomLabel(room) }) }),
      { kind: "move", single: true, variant, quiet });
    item.dataset.variant = variant;
    return item;
  }

  // The caucus's timer (components/caucus-time.js): `say` "time_up", "time_added" (`count`
  // minutes) or "time_removed"; null: none. One at a time: the latest is the one that holds.
  timer(say, count = 0) {
    if (!say) { this.forget("timer"); return null; }
    return this.banner(() => ({ text: t(`participant.notice.${say}`, { count }) }),
      { kind: "timer", single: true, variant: say });
  }

  // Another mediator holds the hearing now (an administrator's hand-over): said once, when the
  // view (`you`: the SelfView) names a mediator other than the one this tab saw; kept until
  // dismissed, wherever the person goes (mediator-change.js).
  mediator(hearing, you) {
    const { seen, said } = mediatorChange(this.mediatorSeen || seenMediator(hearing), you);
    this.mediatorSeen = seen;
    rememberMediator(hearing, seen);
    if (said) this.banner(() => ({ text: changedWords(said) }), { kind: "mediator", single: true });
  }

  // The variant of the banner of this kind showing (null: none).
  showing(kind) {
    for (const entry of this.shown) if (entry.kind === kind) return entry.variant || kind;
    return null;
  }

  info(key, kind = "info") {
    return this.banner(() => ({ text: t(key) }), { kind });
  }

  // Take away the banners of these kinds (they no longer hold: you changed room).
  forget(...kinds) {
    for (const entry of [...this.shown]) {
      if (kinds.includes(entry.kind)) { entry.item.remove(); this.shown.delete(entry); }
    }
  }

  relabel() {
    for (const entry of this.shown) entry.draw();
  }
}
