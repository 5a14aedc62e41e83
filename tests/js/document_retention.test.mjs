// node --test tests/js/: what an ended hearing's documents become, in words (components/
// document-retention.js): the end dialog's day kept documents go (only with a retention period),
// the mediator's "destroyed on <day>" after the period (not "when it ended"), and a party's final
// screen: kept by the mediator until a day, kept, destroyed, or nothing when it never heard.
import assert from "node:assert/strict";
import test from "node:test";

import { useCatalogueFiles } from "./catalogues.mjs";

useCatalogueFiles(["en-GB"]);

const { initI18n, formatDate } = await import("../../gateway/webclient/js/core/i18n.js");
const { DAY_MS, endDialogRetention, fateOf, mediatorDocuments, participantDocuments } =
  await import("../../gateway/webclient/js/components/document-retention.js");

const ENDED = Date.UTC(2026, 10, 27, 10, 0);

test("the end dialog says the day only with a retention period", async () => {
  await initI18n("en");
  assert.equal(endDialogRetention({ document_retention_days: 0 }, ENDED), null);
  assert.equal(endDialogRetention({}, ENDED), null);
  assert.equal(endDialogRetention({ document_retention_days: 90 }, ENDED),
    `Kept documents are destroyed on ${formatDate(ENDED + 90 * DAY_MS)} (90 days after the end).`);
  assert.match(endDialogRetention({ document_retention_days: 1 }, ENDED), /\(1 day after the end\)/);
});

test("the mediator reads when documents went, or until when they stay", async () => {
  await initI18n("en");
  const kept = { documents_destroyed: false, ended_at: ENDED, documents_kept_until: ENDED + DAY_MS };
  assert.match(mediatorDocuments(kept), new RegExp(`destroyed on ${formatDate(ENDED + DAY_MS)}\\.$`));
  assert.equal(mediatorDocuments({ ...kept, documents_kept_until: null }), null);
  const atEnd = { documents_destroyed: true, ended_at: ENDED, documents_destroyed_at: ENDED };
  assert.match(mediatorDocuments(atEnd), /destroyed when it ended/);
  const later = { ...atEnd, documents_destroyed_at: ENDED + DAY_MS };
  assert.match(mediatorDocuments(later), /retention period/);
});

test("a party's final screen says what becomes of the documents, never guessing", async () => {
  await initI18n("en");
  assert.equal(participantDocuments(null), null);
  assert.equal(participantDocuments(fateOf({ documents_destroyed: true })),
    "The hearing's documents were destroyed.");
  assert.match(participantDocuments(fateOf({ documents_kept_until: ENDED + DAY_MS })),
    new RegExp(`stay with the mediator until ${formatDate(ENDED + DAY_MS)};`));
  assert.match(participantDocuments(fateOf({})), /^The hearing's documents stay with the mediator; ask/);
});
