// Who a document shared with everyone (released to joint) will reach, named from the hearing's
// people as this page knows them (those it has seen in a room): the other sides' people by
// name, observers only if there are any, then the mediator. Your own side reads it already.
// The page knows the number of sides (`SelfView.sides`), not who is on a side it has not seen:
// in a hearing of three or more, a side nobody of which was seen is "every other side" (or
// "everyone else on the other sides" beside the names), never "the other side".

import { currentLanguage, t } from "../core/i18n.js";
import { personName } from "./person.js";

// Pure: `people` (id → member, as documents-panel.js keeps them), `me` ({id, role, side}),
// `sides`: how many sides the hearing has (0: not known).
export function jointAudience(people, me, sides = 0) {
  const others = [];
  const observers = [];
  for (const person of people.values()) {
    if (person.former || person.id === me.id || person.role === "mediator") continue;
    if (person.role === "observer") observers.push(person);
    else if (!me.side || person.side !== me.side) others.push(person);
  }
  const named = (list) => [...new Set(list.map(personName).filter(Boolean))];
  const words = named(others);
  if (me.role !== "mediator") {
    // Other sides none of whose people the page has seen (a party's own side is not one).
    const unseen = sides > 2 && new Set(others.map((p) => p.side).filter(Boolean)).size < sides - (me.side ? 1 : 0);
    if (unseen) words.push(t(words.length ? "participant.docs.reader_other_sides_rest" : "participant.docs.reader_other_sides"));
    else if (!words.length) words.push(t("participant.docs.reader_others"));
  }
  for (const name of named(observers)) words.push(t("participant.docs.reader_observer", { name }));
  if (me.role !== "mediator") words.push(t("participant.docs.reader_mediator"));
  if (!words.length) words.push(t("participant.docs.reader_sides"));
  return new Intl.ListFormat(currentLanguage(), { type: "conjunction" }).format(words);
}

// A document is where its latest version is (services/evidence/vault.py): shared, it leaves its
// tab for its new audience's, and the dialog and its button say so, naming that tab.
export function releaseWords(body, to) {
  const tab = t(`participant.docs.tab_${to === "joint" ? "joint" : "confidential"}`);
  return { body: t("participant.docs.release_and_move", { body, tab }),
    confirm: t("participant.docs.release_move_confirm", { tab }) };
}
