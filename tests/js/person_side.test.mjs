// node --test tests/js/: what a tile without a picture shows of a name (its initial, past an
// honorific), and whose side a participant's page says each person is on, from what its view
// carries (each member's role and side id; never another side's name).
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles();
const { initI18n } = await import("../../gateway/webclient/js/core/i18n.js");
const { initialOf } = await import("../../gateway/webclient/js/components/person.js");
const { sideOf, sideRole } = await import("../../gateway/webclient/js/components/person-side.js");

test("the initial skips an honorific, with or without its dot", () => {
  const cases = {
    "Ms Grace Ho": "G", "Mr Peter Lee": "P", "Mrs Jane Wong": "J", "Dr. Alan Chan": "A",
    "Prof Mary Tse": "M", "Miss Ivy Lam": "I", "Sir John Kwok": "J", "Dame Ann Fok": "A",
    "Hon. Carl Yip": "C", "Judge Rita Ma": "R", "mr. ken so": "K",
    // a name that only starts like an honorific keeps its own first letter
    "Mrinal Sen": "M", "Drake Lo": "D", "Msimang": "M", "Sirius Ng": "S",
    // a Chinese name: its first character, the surname
    "何嘉欣": "何", "李彼得": "李",
    // nothing after the honorific: the honorific's own letter, never an empty avatar
    "Dr": "D", "": "", "  Ms  Grace": "G",
  };
  for (const [name, initial] of Object.entries(cases)) assert.equal(initialOf(name), initial, name);
});

const you = { id: "b1", side: "sB", sides: 2 };
const grace = { id: "b2", role: "counsel", side: "sB", name: "Ms Grace Ho" };
const peter = { id: "a1", role: "party", side: "sA", name: "Mr Peter Lee" };

test("each person's side and role, as a party reads them", async () => {
  await initI18n("en");
  assert.equal(sideOf(grace, you), "own");
  assert.equal(sideOf(peter, you), "other");
  assert.equal(sideRole(grace, you), "Our side · Counsel");
  assert.equal(sideRole(peter, you), "Other side · Party");
  assert.equal(sideRole(peter, { ...you, sides: 3 }), "Another side · Party");
  assert.equal(sideRole({ id: "m", role: "mediator", name: "Ms Anna Lee" }, you), "");
  assert.equal(sideRole({ id: "o", role: "observer", name: "Dr Ed Yu" }, you), "Observer");
  // an observer's own page (no side): roles only, no side claimed
  assert.equal(sideOf(peter, { id: "o" }), "");
  assert.equal(sideRole(peter, { id: "o" }), "Party");
  await initI18n("zh-Hant");
  assert.equal(sideRole(grace, you), "我方 · 代表律師");
  assert.equal(sideRole(peter, you), "對方 · 當事人");
  await initI18n("zh-Hans");
  assert.equal(sideRole(grace, you), "我方 · 代理律师");
  await initI18n("en");
});
