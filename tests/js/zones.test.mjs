// node --test tests/js/: the time zone picker of "New hearing" (core/zones.js): the zones a Hong
// Kong centre uses first, named in the reader's language with their offset; the rest under their
// current IANA names only, each once; the browser's own zone chosen, under its current name.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import test from "node:test";
import { fileURLToPath } from "node:url";

import { COMMON_ZONES, LEGACY_ZONES, canonicalZone, knownZone, zoneChoices, zoneLabel, zoneListLabel,
  zoneOffset } from "../../gateway/webclient/js/core/zones.js";

const supported = Intl.supportedValuesOf("timeZone");
// A winter day and a summer day (northern hemisphere).
const JANUARY = Date.UTC(2027, 0, 15, 4, 0);
const JULY = Date.UTC(2027, 6, 15, 4, 0);

test("the common zones come first, in the centre's order, and each only there", () => {
  const { common, rest } = zoneChoices({ supported, local: "Asia/Hong_Kong" });
  assert.deepEqual(common, COMMON_ZONES);
  assert.deepEqual(common.slice(0, 4), ["Asia/Hong_Kong", "Asia/Singapore", "Asia/Shanghai", "Asia/Taipei"]);
  for (const zone of common) assert.ok(!rest.includes(zone), `${zone} listed twice`);
  assert.equal(new Set(rest).size, rest.length);
  assert.deepEqual(rest, [...rest].sort());
  assert.ok(rest.length > 300, "every other zone the browser knows is offered");
});

test("outdated names are offered under their current IANA names only", () => {
  const { common, rest } = zoneChoices({ supported, local: "UTC" });
  const all = [...common, ...rest];
  for (const old of ["Asia/Calcutta", "Asia/Saigon", "Europe/Kiev", "America/Godthab", "Asia/Rangoon"]) {
    assert.ok(!all.includes(old), `${old} is offered`);
  }
  for (const current of ["Asia/Kolkata", "Asia/Ho_Chi_Minh", "Europe/Kyiv", "America/Nuuk", "Asia/Yangon"]) {
    assert.ok(all.includes(current), `${current} is missing`);
  }
  // No zone the browser lists is left out: each old name's current one is there.
  for (const name of supported) assert.ok(all.includes(canonicalZone(name)), name);
});

test("an old name becomes the current one only where the browser knows the current one", () => {
  assert.equal(canonicalZone("Asia/Calcutta"), "Asia/Kolkata");
  assert.equal(canonicalZone("Europe/Kiev"), "Europe/Kyiv");
  assert.equal(canonicalZone("Etc/UTC"), "UTC");
  assert.equal(canonicalZone("Asia/Hong_Kong"), "Asia/Hong_Kong");
  const old = (zone) => zone !== "Europe/Kyiv";
  assert.equal(canonicalZone("Europe/Kiev", old), "Europe/Kiev");
  for (const [name, current] of Object.entries(LEGACY_ZONES)) {
    assert.ok(knownZone(current), `${name} → ${current}, which this engine does not know`);
  }
});

test("the browser's own zone is chosen, under its current name, and offered even if unlisted", () => {
  assert.equal(zoneChoices({ supported, local: "Asia/Hong_Kong" }).selected, "Asia/Hong_Kong");
  assert.equal(zoneChoices({ supported, local: "Asia/Calcutta" }).selected, "Asia/Kolkata");
  const kyiv = zoneChoices({ supported, local: "Europe/Kiev" });
  assert.equal(kyiv.selected, "Europe/Kyiv");
  assert.ok(kyiv.rest.includes("Europe/Kyiv"));
  const odd = zoneChoices({ supported, local: "Etc/GMT-8" });
  assert.equal(odd.selected, "Etc/GMT-8");
  assert.equal(odd.common[0], "Etc/GMT-8");
  assert.equal(zoneChoices({ supported, local: "Not/AZone" }).selected, "UTC");
  // A browser without Intl.supportedValuesOf still offers the common zones.
  const bare = zoneChoices({ supported: [], local: "Asia/Hong_Kong" });
  assert.deepEqual(bare.common, COMMON_ZONES);
  assert.deepEqual(bare.rest, []);
});

test("a common zone is named in the reader's language with its offset", () => {
  assert.match(zoneLabel("Asia/Hong_Kong", { locale: "en-GB", at: JANUARY }), /^Hong Kong.* \(GMT\+8\)$/);
  assert.match(zoneLabel("Asia/Hong_Kong", { locale: "zh-Hant", at: JANUARY }), /^香港.*時間 \(GMT\+8\)$/);
  assert.match(zoneLabel("Asia/Shanghai", { locale: "zh-Hans", at: JANUARY }), /^中国.*时间 \(GMT\+8\)$/);
  assert.match(zoneLabel("Asia/Kolkata", { locale: "en-GB", at: JANUARY }), /India.*\(GMT\+5:30\)$/);
  assert.equal(zoneLabel("UTC", { locale: "zh-Hant", at: JANUARY, utc: "協調世界時" }), "協調世界時 (UTC)");
  // No two common zones read alike: a mediator can tell each from the others.
  for (const locale of ["en-GB", "zh-Hant", "zh-Hans"]) {
    const labels = COMMON_ZONES.map((zone) => zoneLabel(zone, { locale, at: JANUARY }));
    assert.equal(new Set(labels).size, labels.length, `${locale}: ${labels}`);
    for (const label of labels) assert.ok(!/_/.test(label), label);
  }
});

test("offsets are those of the hearing's day: summer time counts", () => {
  assert.match(zoneOffset("Europe/London", { at: JANUARY }), /^GMT(\+0)?$/);
  assert.equal(zoneOffset("Europe/London", { at: JULY }), "GMT+1");
  assert.equal(zoneOffset("Australia/Sydney", { at: JANUARY }), "GMT+11");
  assert.equal(zoneOffset("Australia/Sydney", { at: JULY }), "GMT+10");
  assert.match(zoneLabel("America/New_York", { locale: "en-GB", at: JULY }), /\(GMT-4\)$/);
});

test("any other zone reads as its IANA name, without underscores, with its offset", () => {
  assert.equal(zoneListLabel("Asia/Ho_Chi_Minh", { locale: "zh-Hant", at: JANUARY }), "Asia/Ho Chi Minh (GMT+7)");
  assert.equal(zoneListLabel("America/Argentina/Buenos_Aires", { at: JANUARY }), "America/Argentina/Buenos Aires (GMT-3)");
});

test("a zone shown to people never reads as its IANA name", () => {
  // Only an offset: its offset, with POSIX's reversed sign put right (Etc/GMT-8 is GMT+8).
  assert.equal(zoneLabel("Etc/GMT-8", { locale: "en-GB", at: JANUARY }), "GMT+8");
  assert.equal(zoneLabel("Etc/GMT+5", { locale: "zh-Hant", at: JANUARY, offset: false }), "GMT-5");
  // An old name, and UTC under any of its names, read as the current one.
  assert.equal(zoneLabel("Asia/Calcutta", { locale: "en-GB", at: JANUARY }),
    zoneLabel("Asia/Kolkata", { locale: "en-GB", at: JANUARY }));
  assert.equal(zoneLabel("Etc/UTC", { at: JANUARY, utc: "Coordinated Universal Time" }), "Coordinated Universal Time (UTC)");
  assert.equal(zoneLabel("UTC", { at: JANUARY }), "UTC");
  // Without the offset (a span of summer and winter): the name for every season.
  assert.equal(zoneLabel("Europe/London", { locale: "en-GB", at: JULY, offset: false }), "United Kingdom Time");
  assert.equal(zoneLabel("America/New_York", { locale: "en-GB", at: JULY, offset: false }), "Eastern Time");
  assert.match(zoneLabel("Asia/Hong_Kong", { locale: "zh-Hant", at: JULY, offset: false }), /^香港.*時間$/);
  for (const zone of supported) {
    assert.doesNotMatch(zoneLabel(zone, { locale: "en-GB", at: JANUARY }), /\/|_/, zone);
  }
});

test("one zone check for the whole client: knownZone, and no second copy of it", () => {
  assert.equal(knownZone("Asia/Hong_Kong"), true);
  assert.equal(knownZone("Mars/Olympus"), false);
  // A formatter made only to see whether the engine accepts a zone is that check: it lives in
  // core/zones.js alone, and every other module imports knownZone.
  const probe = /new Intl\.DateTimeFormat\([^,()]*,\s*\{\s*timeZone:\s*\w+\s*\}\s*\)/g;
  const root = fileURLToPath(new URL("../../gateway/webclient/js/", import.meta.url));
  const found = [];
  for (const name of readdirSync(root, { recursive: true })) {
    if (!name.endsWith(".js")) continue;
    for (const _ of readFileSync(join(root, name), "utf8").matchAll(probe)) found.push(name);
  }
  assert.deepEqual(found, [join("core", "zones.js")]);
});
