// Any URL the client does not know: a real page (the gateway answers it with status 404).

import { t } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";

export function mount(root) {
  mountNodes(root, h("section", { class: "card narrow notfound" },
    h("p", { class: "eyebrow" }, "404"),
    h("h1", null, t("common.notfound.title")),
    h("p", null, t("common.notfound.text")),
    h("div", { class: "actions" },
      h("a", { class: "button primary", href: "/" }, t("common.notfound.home")),
      h("a", { class: "button", href: "/signin" }, t("common.notfound.signin")))));
  return {};
}
