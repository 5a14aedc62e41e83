// Pure helpers for document transfers: speed and time left, file checks, compartment names.
// No DOM and no network, so Node tests them (tests/js/transfer.test.mjs).

// Speed over a sliding window of samples, so a stall shows at once and a burst does not last.
export class RateMeter {
  constructor(windowMs = 5000) {
    this.windowMs = windowMs;
    this.samples = [];
  }

  // `done`: bytes transferred so far; `at`: a monotonic time in ms.
  add(done, at) {
    this.samples.push({ done, at });
    while (this.samples.length > 2 && at - this.samples[0].at > this.windowMs) this.samples.shift();
  }

  // Bytes per second, or null before there is anything to measure.
  rate() {
    if (this.samples.length < 2) return null;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const ms = last.at - first.at;
    return ms > 0 ? ((last.done - first.done) * 1000) / ms : null;
  }

  // Seconds left for `total` bytes, or null when unknown (no rate yet, or stalled).
  secondsLeft(total) {
    const rate = this.rate();
    if (!rate || rate <= 0 || !this.samples.length) return null;
    return Math.max(0, (total - this.samples[this.samples.length - 1].done) / rate);
  }
}

// "1.5 MB" style sizes, decimal units as file managers show them; `format` formats the number.
const UNITS = ["B", "kB", "MB", "GB", "TB"];
export function sizeParts(bytes) {
  let value = Math.max(0, Number(bytes) || 0);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return { value: Number(value.toFixed(digits)), unit: UNITS[unit] };
}

// Two sizes side by side ("2.1 GB", "2 GB"), in exact bytes where they would read alike.
export function sizesApart(a, b) {
  const [x, y] = [a, b].map(sizeParts);
  return x.value === y.value && x.unit === y.unit ? [a, b].map((value) => ({ value, unit: "B" })) : [x, y];
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

// The name a file will be stored under, as the server sanitises it (DESIGN §6): no folders,
// no control characters, bounded. Shown before uploading so nobody is surprised.
export function cleanFileName(name) {
  const base = String(name).split(/[\\/]/).pop().replace(CONTROL, "").trim();
  const safe = base.replace(/^\.+/, "");
  return (safe || "document").slice(0, 255);
}

// Why a file cannot be uploaded before a byte is sent, or null: "empty" or "too_large".
export function refusal(file, maxBytes) {
  if (!file || file.size === 0) return "empty";
  if (maxBytes && file.size > maxBytes) return "too_large";
  return null;
}

// The failed upload rows ([{kind, name, state, tab}]) that a new upload of `names` to `tab`
// takes the place of: the same file tried again under the same tab. Any other failed row (another
// file, or the same name under another tab) stays until the person dismisses it.
export function retriedRows(rows, tab, names) {
  const again = new Set(names);
  return rows.filter((row) => row.kind === "upload" && row.state === "failed" && row.tab === tab
    && again.has(row.name));
}

// The compartment tabs a person sees, by role and side (DESIGN §1): key, compartment filter
// and the compartment an upload from this tab goes to (null: no uploads there). A mediator who
// knows the hearing's sides ([{id, name, colour}]) sees each side's confidential documents in a
// tab of its own (`side`: named by it), so two sides' confidences are never one list.
export function compartmentTabs(role, side, sides = null) {
  if (role === "mediator") {
    const confidential = sides && sides.length
      ? sides.map((s) => ({ key: `confidential_from:${s.id}`, side: s,
        match: (c) => c === `confidential:${s.id}`, upload: null }))
      : [{ key: "confidential_in", match: (c) => c.startsWith("confidential:"), upload: null }];
    return [
      { key: "joint", match: (c) => c === "joint", upload: "joint" },
      ...confidential,
      { key: "notes", match: (c) => c === "mediator", upload: "mediator" },
    ];
  }
  if ((role === "party" || role === "counsel") && side) {
    return [
      { key: "joint", match: (c) => c === "joint", upload: "joint" },
      { key: "side", match: (c) => c === `side:${side}`, upload: `side:${side}` },
      { key: "confidential", match: (c) => c === `confidential:${side}`, upload: `confidential:${side}` },
    ];
  }
  return [{ key: "joint", match: (c) => c === "joint", upload: null }];
}

// Where a document may be released to from its compartment, by its owning side (never narrower).
export function releaseTargets(compartment, side) {
  if (!side) return [];
  if (compartment === `side:${side}`) return ["joint", `confidential:${side}`];
  if (compartment === `confidential:${side}`) return ["joint"];
  return [];
}

// Appends of this size. The server keeps every whole 64 KiB segment that reaches it, so progress
// is durable per segment and a resume re-sends only what was in flight, whatever the append
// size: a larger append just costs fewer requests (each is a new connection, a ticket from
// evidence and a staged part; 8 MiB appends made a 512 MiB upload 15-37% slower and the
// gateway's CPU per GiB 3-4 times that of 64 MiB ones, in the same runs).
export const CHUNK_BYTES = 64 * 1024 * 1024;

// Downloads up to this size are read by the page (progress bar, speed, time left, cancel) and
// then handed to the browser as a file, so every byte sits in the tab's memory until it is
// saved. A larger file goes to the browser's own download manager, which writes it to disk as
// it arrives and shows its own progress: a 2 GiB bundle held in a tab can exhaust a laptop.
export const IN_PAGE_DOWNLOAD_MAX = 256 * 1024 * 1024;

export function downloadsInPage(size) {
  return size <= IN_PAGE_DOWNLOAD_MAX;
}

export function nextChunk(offset, size, chunk = CHUNK_BYTES) {
  const end = Math.min(size, offset + chunk);
  return { start: offset, end, last: end === size };
}
