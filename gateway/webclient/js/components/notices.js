// Notices from the mediator and the hearing: broadcasts as banners you dismiss, moves, the lock,
// caucus time running out. Each is also spoken by the live region (components/toast.js).

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { announce } from "./toast.js";

export class Notices {
  constructor() {
    this.el = h("div", { class: "notices", "aria-live": "polite" });
  }

  banner(text, { kind = "broadcast", title = null } = {}) {
    const item = h("div", { class: `notice notice-${kind}`, role: "status", dataset: { kind } },
      h("div", { class: "notice-text" },
        title ? h("strong", null, title) : null,
        h("p", null, text)),
      h("button", { type: "button", class: "button notice-dismiss",
        onclick: () => item.remove() }, t("participant.notice.dismiss")));
    this.el.append(item);
    announce(title ? `${title}: ${text}` : text, { assertive: kind === "broadcast" });
    return item;
  }

  broadcast(text) {
    return this.banner(text, { kind: "broadcast", title: t("participant.notice.from_mediator") });
  }

  moved(roomName) {
    return this.banner(t("participant.notice.moved", { room: roomName }), { kind: "move" });
  }

  info(text, kind = "info") {
    return this.banner(text, { kind });
  }
}
