// The name an exported bundle is saved under, and the command that verifies it (pure: no DOM,
// no words). The name says what the bundle holds and when it was made, so that exports sitting
// side by side in a downloads folder are told apart: "parley-audit-log-2026-11-27.jsonl" (the
// whole log), "parley-audit-lam-v-chen-2026-11-27.jsonl" (one hearing, by its title; by its id
// when the title keeps no letters a file name can carry everywhere, as a title in Chinese). The
// date is the auditor's own (their zone), as every time on these screens.

const MAX_SLUG = 40;
const ID = /^[A-Za-z0-9_-]{1,64}$/; // the log's ids: already a file name's characters

/** `text` as a file name's part: ASCII letters and digits, lower case, runs of anything else
 *  one hyphen, at most `max` characters (cut at a hyphen where one is near); '' when nothing is
 *  left. */
export function slug(text, max = MAX_SLUG) {
  const plain = String(text ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const at = cut.lastIndexOf('-');
  return (at >= max / 2 ? cut.slice(0, at) : cut).replace(/-+$/, '');
}

/** The calendar date of `ms` in `zone` as YYYY-MM-DD. */
export function isoDate(ms, zone = undefined) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The file a bundle is saved as: of one hearing ({id, title}) or, with none, of the whole log. */
export function bundleName(hearing, ms, zone = undefined) {
  const date = isoDate(ms, zone);
  if (!hearing) return `parley-audit-log-${date}.jsonl`;
  const what = slug(hearing.title) || (ID.test(hearing.id ?? '') ? hearing.id : 'hearing');
  return `parley-audit-${what}-${date}.jsonl`;
}

/** The command that verifies `file` with the key saved beside it (the export page's button). */
export const verifyCommand = (file) => `parley-audit verify ${file} --vkey parley.vkey`;
