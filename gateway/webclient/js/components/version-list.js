// The versions of a document, opened under its row in the documents panel ("3 versions", or
// "2 versions (+1 of your side only)": the count every reader shares, then the reader's own):
// newest first, each with the time it was uploaded, who uploaded it and its size, Download and
// (for a PDF or an image) View; the newest is marked "Latest", and a version kept where the
// document no longer is (a release shares the latest only) says who sees it; a list mixing
// audiences names each row's (documents/versions.js). `OpenVersions` holds which lists
// are open and what the server said, and draws them afresh each time the panel draws, so a
// language switch or a new listing shows them as they were (read again if the document
// changed). Every button carries `data-focus`, which the panel uses to put focus back.

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { formatDateTime, t } from "../core/i18n.js";
import { h } from "../core/render.js";
import { viewable } from "../documents/inline.js";
import { downloadsInPage } from "../documents/transfer.js";
import { versionCounts, versionEntries, versionKept, versionsStale } from "../documents/versions.js";
import { formatSize } from "./transfer-row.js";

// Who sees a version kept apart from its document (documents/versions.js `versionKept`).
const KEPT = {
  only_side: () => t("participant.docs.version_only_side"),
  with_mediator: () => t("participant.docs.version_with_mediator"),
  in_confidence: () => t("participant.docs.version_in_confidence"),
};

// The tag of a narrower version's file name ("Lease (v1, our side).pdf"), or null.
export const fileTag = (v) => (v && v.narrower ? t(`participant.docs.file_tag_${v.audience}`) : null);

// "Version 2", or "Version 2 · Joint" in a list that mixes audiences (said from where the
// reader stands); `kind`: the key's stem.
export function versionLabel(kind, { audience: a, number }, viewer, params = {}) {
  if (!a) return t(`participant.docs.${kind}`, { ...params, number });
  const audience = t(`participant.docs.audience_${a === "confidential" && viewer === "mediator" ? "in_confidence" : a}`);
  return t(`participant.docs.${kind}_in`, { ...params, number, audience });
}

// What a document's row says of its versions: the count every reader of it shares, and the
// reader's own narrower versions in words ("2 versions (+1 of your side only)"), so counsel of
// two sides comparing notes read the same number. `viewer`: the reader's role.
export function versionsCountWords(doc, viewer) {
  const { shared, side, confidential } = versionCounts(doc);
  const versions = t("participant.docs.versions_count", { count: shared });
  const own = side ? t("participant.docs.versions_extra_side", { count: side }) : null;
  const kept = confidential ? t(`participant.docs.versions_extra_${viewer === "mediator"
    ? "in_confidence" : "confidential"}`, { count: confidential }) : null;
  if (!own && !kept) return versions;
  const extras = own && kept ? t("participant.docs.versions_extra_both", { side: own, confidential: kept })
    : own || kept;
  return t("participant.docs.versions_count_extra", { versions, extras });
}

export class OpenVersions {
  // `url(doc)`: the document's API URL; `redraw()`: draw the panel's list again; `viewer`: the
  // reader's role (who sees a version is said from where they stand).
  constructor({ url, redraw, viewer = null }) {
    this.url = url;
    this.redraw = redraw;
    this.viewer = viewer;
    this.open = new Map(); // document id → {status: loading|ready|failed, reply, error, latest, count, compartment}
  }

  toggle(doc) {
    if (this.open.delete(doc.document)) this.redraw();
    else this.load(doc);
  }

  async load(doc) {
    const state = { status: "loading", latest: doc.version, count: doc.versions || 1,
      compartment: doc.compartment };
    this.open.set(doc.document, state);
    this.redraw();
    try {
      state.reply = await api("GET", `${this.url(doc)}/versions`);
      state.status = "ready";
    } catch (error) {
      state.status = "failed";
      state.error = error;
    }
    if (this.open.get(doc.document) === state) this.redraw();
  }

  // `doc`'s list of versions: the open one while it holds, else read now (not opened).
  async reply(doc) {
    const state = this.open.get(doc.document);
    if (state && state.status === "ready" && !versionsStale(state, doc)) return state.reply;
    return api("GET", `${this.url(doc)}/versions`);
  }

  // The documents were listed anew: forget lists of documents gone, read changed ones again.
  listed(docs) {
    for (const [id, state] of this.open) {
      const doc = docs.find((d) => d.document === id);
      if (!doc) this.open.delete(id);
      else if (state.status !== "loading" && versionsStale(state, doc)) this.load(doc);
    }
  }

  // The cell of the document's row: its count, a button that opens the list when there are more.
  cell(doc) {
    const count = doc.versions || 1;
    if (count < 2) return String(count);
    const open = this.open.has(doc.document);
    return h("button", {
      type: "button", class: "button small versions-toggle", "aria-expanded": String(open),
      "aria-controls": open ? `versions-${doc.document}` : null, dataset: { focus: `versions:${doc.document}` },
      onclick: () => this.toggle(doc),
    }, h("span", { class: "chevron", "aria-hidden": "true" }), versionsCountWords(doc, this.viewer));
  }

  // The open list as a row of its own under the document's (null when closed). `uploader(view)`
  // → a name; `onDownload(entry)`, `onView(entry, focusKey)` get an entry of `versionEntries`.
  row(doc, columns, { uploader, onDownload, onView }) {
    const state = this.open.get(doc.document);
    if (!state) return null;
    return h("tr", { class: "doc-versions", dataset: { versionsOf: doc.document } },
      h("td", { colspan: String(columns) }, list(doc, state, { uploader, onDownload, onView, viewer: this.viewer })));
  }
}

function list(doc, state, { uploader, onDownload, onView, viewer }) {
  const id = `versions-${doc.document}`;
  if (state.status !== "ready") {
    const failed = state.status === "failed";
    return h("p", { id, class: "versions-note", role: failed ? "alert" : "status" },
      failed ? describe(state.error, "participant.docs_versions") : t("participant.docs.versions_loading"));
  }
  const key = (action, v) => `${action}:${doc.document}:${v.version}`;
  const where = (state.reply.document || doc).compartment;
  return h("ol", { id, class: "versions", "aria-label": t("participant.docs.versions_of", { name: doc.filename }) },
    versionEntries(state.reply).map((v) => h("li", {
      class: "version", dataset: { version: v.version, latest: String(v.latest), number: String(v.number) },
    },
    h("span", { class: "version-name" }, versionLabel("version_number", v, viewer),
      v.latest ? h("span", { class: "badge latest" }, t("participant.docs.version_latest")) : null),
    h("span", { class: "version-meta" },
      h("time", { datetime: new Date(v.created_ms).toISOString() }, formatDateTime(v.created_ms)),
      " · ", uploader(v), " · ", formatSize(v.size)),
    h("span", { class: "version-actions" },
      h("button", { type: "button", class: "button small", dataset: { focus: key("download", v) },
        "aria-label": versionLabel("version_download", v, viewer),
        onclick: () => onDownload(v) }, t("participant.docs.download")),
      viewable(v.content_type) && downloadsInPage(v.size) ? h("button", {
        type: "button", class: "button small", dataset: { focus: key("view", v) },
        "aria-label": versionLabel("version_view", v, viewer),
        onclick: () => onView(v, key("view", v)) }, t("participant.docs.view")) : null),
    kept(v, where, viewer))));
}

function kept(v, where, viewer) {
  const words = KEPT[versionKept(v.compartment, where, viewer)];
  return words ? h("span", { class: "version-kept" }, words()) : null;
}
