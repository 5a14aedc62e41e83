// Resumable upload of one file (docs/uploads.md: the IETF resumable-upload draft's creation,
// append, offset and cancel on an upload resource bound to this session).
//
// 1. Create: POST with `Upload-Length` and no bytes: every check (who, where, name, size,
//    limits) happens before a byte of the file is sent.
// 2. Append `CHUNK_BYTES` at a time with XMLHttpRequest (fetch reports no upload progress).
// 3. A cut connection (offline, a restarted gateway): wait, ask the server for the offset it
//    holds (HEAD), and continue from there: at most the append in flight is sent again.
// 4. Cancel: abort the append in flight and DELETE the upload resource.
//
// Events: onProgress({done, total, rate, secondsLeft}), onState("sending"|"waiting"|"finishing"|
// "done"|"cancelled"|"failed"); "finishing": every byte is sent and the server is checking the
// staged bytes and committing the document, which takes a while for a large file (it reads them
// all back once). `start()` resolves with the DocumentView or rejects with an ApiError.

import { ApiError } from "../core/api.js";
import { CHUNK_BYTES, RateMeter, nextChunk } from "./transfer.js";

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 8000;

function csrfHeader() {
  const csrf = sessionStorage.getItem("parley.csrf");
  return csrf ? { "Parley-CSRF": csrf } : {};
}

function errorFrom(status, text, retryAfter) {
  let body = null;
  try {
    body = JSON.parse(text || "null");
  } catch (_) { /* not JSON */ }
  const error = (body && body.error) || {};
  const failure = new ApiError(status, error.code || (status === 0 ? "network" : "internal"),
    error.message || "", Number(retryAfter) || error.retry_after_s || null);
  failure.reason = error.reason || null;
  return failure;
}

// One request with upload progress; resolves {status, headers(name), text}; status 0 = network.
function send(method, url, headers, body, onSent, track) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    track(xhr);
    xhr.open(method, url);
    for (const [name, value] of Object.entries({ ...csrfHeader(), ...headers })) {
      xhr.setRequestHeader(name, value);
    }
    if (onSent) xhr.upload.addEventListener("progress", (e) => onSent(e.loaded));
    const done = () => resolve({
      status: xhr.status, text: xhr.responseText, header: (n) => xhr.getResponseHeader(n),
    });
    xhr.addEventListener("load", done);
    xhr.addEventListener("error", done);
    xhr.addEventListener("abort", done);
    xhr.addEventListener("timeout", done);
    xhr.send(body === undefined ? null : body);
  });
}

export class Upload {
  constructor({ hearing, file, name, compartment, onProgress, onState }) {
    this.hearing = hearing;
    this.file = file;
    this.name = name;
    this.compartment = compartment;
    this.onProgress = onProgress || (() => {});
    this.onState = onState || (() => {});
    this.meter = new RateMeter();
    this.url = null;
    this.offset = 0;
    this.xhr = null;
    this.cancelled = false;
    this.resumes = 0;
  }

  progress(done) {
    this.meter.add(done, performance.now());
    this.onProgress({ done, total: this.file.size, rate: this.meter.rate(),
      secondsLeft: this.meter.secondsLeft(this.file.size) });
  }

  async create() {
    const r = await send("POST", `/api/v1/hearings/${encodeURIComponent(this.hearing)}/documents`, {
      "Parley-Filename": encodeURIComponent(this.name),
      "Parley-Compartment": this.compartment,
      "Upload-Complete": "?0",
      "Upload-Length": String(this.file.size),
      "Content-Type": this.file.type || "application/octet-stream",
    }, undefined, null, (x) => { this.xhr = x; });
    if (r.status !== 201) throw errorFrom(r.status, r.text, r.header("Retry-After"));
    this.url = r.header("Location");
    this.offset = Number(r.header("Upload-Offset")) || 0;
  }

  async start() {
    this.onState("sending");
    await this.create();
    this.progress(this.offset);
    let wait = RETRY_MIN_MS;
    for (;;) {
      if (this.cancelled) throw new ApiError(0, "cancelled", "cancelled");
      const chunk = nextChunk(this.offset, this.file.size, CHUNK_BYTES);
      const r = await send("PATCH", this.url, {
        "Upload-Offset": String(chunk.start),
        "Upload-Complete": chunk.last ? "?1" : "?0",
        "Content-Type": "application/partial-upload",
      }, this.file.slice(chunk.start, chunk.end), (sent) => {
        this.progress(chunk.start + sent);
        if (chunk.last && chunk.start + sent === chunk.end) this.onState("finishing");
      }, (x) => { this.xhr = x; });
      if (this.cancelled) throw new ApiError(0, "cancelled", "cancelled");
      if (r.status === 201) {
        this.progress(this.file.size);
        this.onState("done");
        return JSON.parse(r.text);
      }
      if (r.status === 204) {
        this.offset = Number(r.header("Upload-Offset"));
        wait = RETRY_MIN_MS;
        continue;
      }
      if (r.status === 409 && r.header("Upload-Offset") !== null) {
        this.offset = Number(r.header("Upload-Offset"));
        continue;
      }
      if (r.status === 0 || r.status === 502 || r.status === 503 || r.status === 504) {
        // The connection dropped or the gateway is restarting: ask where we are, then go on.
        this.onState("waiting");
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, RETRY_MAX_MS);
        await this.recover();
        this.onState("sending");
        continue;
      }
      this.onState("failed");
      throw errorFrom(r.status, r.text, r.header("Retry-After"));
    }
  }

  async recover() {
    const r = await send("HEAD", this.url, {}, undefined, null, (x) => { this.xhr = x; });
    if (r.status === 204 || r.status === 200) {
      this.offset = Number(r.header("Upload-Offset"));
      this.resumes += 1;
      this.progress(this.offset);
    } else if (r.status === 404) {
      this.onState("failed");
      throw errorFrom(404, r.text, null);
    }
    // Anything else (still offline): the next append fails fast and we come back here.
  }

  async cancel() {
    this.cancelled = true;
    if (this.xhr) this.xhr.abort();
    this.onState("cancelled");
    if (this.url) {
      await send("DELETE", this.url, {}, undefined, null, () => {}).catch(() => {});
    }
  }
}

// Download with progress: the bytes are read as they come and kept in memory, then handed to
// the browser as a file (the server's Content-Disposition names it; `download` does too).
export async function download(url, { onProgress, signal } = {}) {
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store", signal });
  if (!response.ok) {
    throw errorFrom(response.status, await response.text(), response.headers.get("Retry-After"));
  }
  const total = Number(response.headers.get("Content-Length")) || 0;
  const reader = response.body.getReader();
  const meter = new RateMeter();
  const parts = [];
  let done = 0;
  for (;;) {
    const { value, done: finished } = await reader.read();
    if (finished) break;
    parts.push(value);
    done += value.length;
    meter.add(done, performance.now());
    if (onProgress) onProgress({ done, total, rate: meter.rate(), secondsLeft: meter.secondsLeft(total) });
  }
  return new Blob(parts);
}

// Hand bytes the page holds to the browser as a file named `filename` (a same-origin blob:
// link with `download`; the URL is let go once the browser has taken it).
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
