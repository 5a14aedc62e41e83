// Who a document shared with everyone (released to joint) will reach, named from the hearing's
// people as this page knows them (those it has seen in a room): the other sides' people by
// name, observers only if there are any, then the mediator. Your own side reads it already.

import { currentLanguage, t } from "../core/i18n.js";
import { personName } from "./person.js";

// Pure: `people` (id → member, as documents-panel.js keeps them), `me` ({id, role, side}).
export function jointAudience(people, me) {
  const others = [];
  const observers = [];
  for (const person of people.values()) {
    if (person.former || person.id === me.id || person.role === "mediator") continue;
    if (person.role === "observer") observers.push(person);
    else if (!me.side || person.side !== me.side) others.push(person);
  }
  const named = (list) => [...new Set(list.map(personName).filter(Boolean))];
  const words = named(others);
  if (!words.length && me.role !== "mediator") words.push(t("participant.docs.reader_others"));
  for (const name of named(observers)) words.push(t("participant.docs.reader_observer", { name }));
  if (me.role !== "mediator") words.push(t("participant.docs.reader_mediator"));
  if (!words.length) words.push(t("participant.docs.reader_sides"));
  return new Intl.ListFormat(currentLanguage(), { type: "conjunction" }).format(words);
}
