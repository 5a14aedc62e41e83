// The name a download is saved under, as the server's Content-Disposition gives it: the server
// names its files by one rule (e.g. gateway/api/hearing_calendar.py calendar_file_name), and a
// page that fetches a file and saves it as a blob takes that name instead of making its own.

// Pure: the file name in a Content-Disposition header (RFC 6266 §4.3): `filename*`, UTF-8 and
// percent-encoded (RFC 8187 §3.2), before `filename` (a token or a quoted string, its
// backslash escapes undone); null when the header names no file that reads.
export function dispositionFilename(header) {
  const parameters = new Map();
  const parameter = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/g;
  for (const [, name, value] of String(header || "").matchAll(parameter)) {
    const key = name.toLowerCase();
    if (!parameters.has(key)) parameters.set(key, value);
  }
  const extended = /^utf-8'[^']*'(.+)$/i.exec(parameters.get("filename*") || "");
  if (extended) {
    try {
      return decodeURIComponent(extended[1]);
    } catch (_) {
      // Not UTF-8 once decoded: the plain `filename` below, as RFC 6266 §4.3 falls back.
    }
  }
  const plain = parameters.get("filename") || "";
  const name = plain.startsWith('"') ? plain.slice(1, -1).replace(/\\(.)/g, "$1") : plain;
  return name || null;
}
