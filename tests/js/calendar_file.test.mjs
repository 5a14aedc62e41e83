// node --test tests/js/: the name a hearing's calendar file is saved under is the server's
// (gateway/api/hearing_calendar.py calendar_file_name, sent in Content-Disposition), read by
// core/disposition.js dispositionFilename and returned by core/api.js `api(…, { named: true })`;
// the page keeps no rule of its own (components/calendar-file.js).
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en"]);

const { dispositionFilename } = await import("../../gateway/webclient/js/core/disposition.js");
const { api } = await import("../../gateway/webclient/js/core/api.js");
const calendarFile = await import("../../gateway/webclient/js/components/calendar-file.js");

// As gateway/api/documents.py content_disposition writes them (ASCII fallback, then RFC 8187).
const SERVED = {
  "Chan v. Lee.ics": "attachment; filename=\"Chan_v._Lee.ics\"; filename*=UTF-8''Chan%20v.%20Lee.ics",
  // Counted in code points by the server: 60 emoji are not cut (a count in UTF-16 units would).
  [`${"😀".repeat(60)}.ics`]: `attachment; filename="${"_".repeat(60)}.ics"; filename*=UTF-8''${"%F0%9F%98%80".repeat(60)}.ics`,
  "Wong v. Ho 🏬 (adjourned) quoted ; 100%.ics": "attachment; filename=\"Wong_v._Ho___(adjourned)_quoted___100_.ics\"; "
    + "filename*=UTF-8''Wong%20v.%20Ho%20%F0%9F%8F%AC%20%28adjourned%29%20quoted%20%3B%20100%25.ics",
};

test("the server's UTF-8 name (filename*) is the one saved, whatever it holds", () => {
  for (const [name, header] of Object.entries(SERVED)) assert.equal(dispositionFilename(header), name);
});

test("filename* comes first in any order and case; else filename, token or quoted", () => {
  assert.equal(dispositionFilename("attachment; FILENAME*=utf-8'en'a%20b.ics; filename=\"x.ics\""), "a b.ics");
  assert.equal(dispositionFilename("attachment; filename=plain.ics"), "plain.ics");
  assert.equal(dispositionFilename('attachment; filename="say \\"hi\\"; now.ics"'), 'say "hi"; now.ics');
  // Not UTF-8 once decoded, or another charset: the plain name (RFC 6266 §4.3).
  assert.equal(dispositionFilename("attachment; filename*=UTF-8''%FF.ics; filename=\"f.ics\""), "f.ics");
  assert.equal(dispositionFilename("attachment; filename*=ISO-8859-1''%E9.ics; filename=e.ics"), "e.ics");
});

test("a header that names no file gives none", () => {
  for (const header of [null, "", "attachment", "inline; size=3", 'attachment; filename=""']) {
    assert.equal(dispositionFilename(header), null, header);
  }
});

test("api(…, { named: true }) gives the body and the server's name for it", async () => {
  globalThis.sessionStorage = { getItem: () => null, setItem: () => {}, removeItem: () => {} };
  const [name, header] = Object.entries(SERVED)[2];
  globalThis.fetch = async (path, init) => {
    assert.equal(init.headers.Accept, "text/calendar");
    return new Response("BEGIN:VCALENDAR", { status: 200, headers: {
      "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": header } });
  };
  assert.deepEqual(await api("GET", "/api/v1/hearings/h1/calendar.ics", undefined,
    { accept: "text/calendar", named: true }), { data: "BEGIN:VCALENDAR", filename: name });
  assert.equal(await api("GET", "/x", undefined, { accept: "text/calendar" }), "BEGIN:VCALENDAR");
});

test("the page has no naming rule of its own", () => {
  assert.equal(calendarFile.calendarFileName, undefined);
  assert.equal(typeof calendarFile.downloadCalendar, "function");
});
