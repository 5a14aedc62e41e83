// `/`: where a person lands. Signed-in staff go to their work, a participant to the hearing;
// anyone else is told the two ways in (the invitation link, or staff sign-in).

import { whoAmI } from "../core/api.js";
import { t } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";
import { homeFor } from "./signin.js";

export async function mount(root, { navigate }) {
  const me = await whoAmI().catch(() => null);
  if (me && me.kind === "account") return navigate(me.mfa_complete !== false ? homeFor(me.role) : "/signin/enroll", { replace: true });
  if (me && me.kind === "participant") return navigate("/hearing", { replace: true });
  mountNodes(root, h("section", { class: "landing" },
    h("h1", null, t("common.home.heading")),
    h("p", { class: "lede" }, t("common.home.lede")),
    h("div", { class: "landing-cards" },
      h("article", { class: "card" },
        h("h2", null, t("common.home.participant_title")),
        h("p", { id: "status" }, t("common.home.participant_text"))),
      h("article", { class: "card" },
        h("h2", null, t("common.home.staff_title")),
        h("p", null, t("common.home.staff_text")),
        h("a", { class: "button primary", href: "/signin" }, t("common.home.staff_action"))))));
  return {};
}
