// Documents: the compartments of DESIGN §1 as tabs a person understands ("Joint", "Our side",
// "Shared with the mediator in confidence", and for the mediator "My notes"); per tab a list
// (name, size, uploader, time, version), upload by picker or drag and drop with progress, speed,
// time left, cancel and resume (document-uploads.js), download with progress and view of images
// and PDFs in the page, every earlier version a button away (version-list.js), release of the
// latest version with a confirmation that says who will see it (and that earlier versions stay
// where they are: document-actions.js). A refused file is a failed row among the transfers, under
// its tab, until dismissed or the same file is uploaded there again; a finished one says which version it became, and where it went
// once shared. The list refreshes when the server says a document was added
// or released to you (`documents` on the WebSocket); a sentence the panel says stays through
// those refreshes, until the person's next action in the panel.

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { formatDateTime, t } from "../core/i18n.js";
import { h, mount, uid } from "../core/render.js";
import { viewable } from "../documents/inline.js";
import { downloadsInPage, releaseTargets } from "../documents/transfer.js";
import { downloadVersion, releaseLatest, viewVersion } from "./document-actions.js";
import { drawTabs, sidesShown, tabFocused, tabLabel, tabsFor } from "./document-tabs.js";
import { dropZone, uploadFiles } from "./document-uploads.js";
import { personName } from "./person.js";
import { TransferList, formatSize } from "./transfer-row.js";
import { OpenVersions } from "./version-list.js";

// How long news that asks nothing of the person (where a shared document went) stays, unless
// an action of theirs in the panel takes it away sooner.
const NEWS_MS = 30000;

// How long a list read stands for the hint or reply of the same action (refreshFor).
const COVER_MS = 5000;

export class DocumentsPanel {
  // `sides` (the mediator's console): the hearing's sides, one confidential tab each
  // (`setSides` when they change). `readOnly` (an ended hearing's set-up page): list, view and
  // download only, as evidence then allows (no upload tab, no release).
  constructor({ hearing, me, sides = null, readOnly = false }) {
    this.hearing = hearing;
    this.me = me;
    this.readOnly = readOnly;
    this.docs = [];
    this.tabs = tabsFor(me, sides, readOnly);
    this.sidesShown = sidesShown(sides);
    this.current = this.tabs[0].key;
    this.maxBytes = null;
    // participant id → the person (name, role) as the page last saw them: named at each
    // drawing, so a name the page supplies ("Mediator") follows a change of language
    this.people = new Map();
    // document id → the list read that shows it ({read, at}): see refreshFor
    this.covering = new Map();
    this.versions = new OpenVersions({ url: (d) => this.documentUrl(d), redraw: () => this.renderList(),
      viewer: me.role });
    const headingId = uid("docs");
    this.tabList = h("div", { class: "tabs", role: "tablist", "aria-labelledby": headingId });
    this.transfers = new TransferList();
    this.message = h("p", { class: "docs-message", role: "alert" });
    this.picker = h("input", { type: "file", class: "visually-hidden", id: uid("file"), multiple: true,
      onchange: () => { uploadFiles(this, [...this.picker.files]); this.picker.value = ""; } });
    // Made once, outside the list drawn afresh (a picker moved by a redraw lost a key).
    this.drop = this.tabs.some((x) => x.upload) ? dropZone(this) : null;
    this.list = h("div");
    this.body = h("div", { class: "docs-body", role: "tabpanel" }, this.drop, this.list);
    this.heading = h("h2", { id: headingId });
    this.el = h("section", { class: "documents", "aria-labelledby": headingId },
      this.heading, this.tabList, this.message, this.body, this.transfers.el);
    this.messageWords = null;
    this.messageKind = null;
    this.messageTimer = null;
    this.relabel();
  }

  // Every word of the panel in the current language (file names stay as they are).
  relabel() {
    this.heading.textContent = t("participant.docs.heading");
    this.renderTabs();
    this.renderList();
    this.message.textContent = this.messageWords ? this.messageWords() : "";
    for (const row of this.rows) row.relabel();
  }

  // Every transfer row (upload or download), whichever tab it shows under.
  get rows() {
    return this.transfers.rows;
  }

  // words() → the panel's message (a function, so a language switch can say it again). It stays
  // until the person's next action in the panel (each action starts with `say(null)`), however
  // often the list is read again meanwhile: `kind` "list" (the list could not be read) goes once
  // a listing succeeds, "news" (where a shared document went) after NEWS_MS too.
  say(words, kind = null) {
    clearTimeout(this.messageTimer);
    this.messageWords = words;
    this.messageKind = words ? kind : null;
    this.message.textContent = words ? words() : "";
    if (words && kind === "news") {
      this.messageTimer = setTimeout(() => { if (this.messageWords === words) this.say(null); }, NEWS_MS);
    }
  }

  // The mediator's console: the hearing's sides as the board reports them now ([{id, name,
  // colour}]), so a side renamed or recoloured live names its tab anew. The tab shown stays,
  // unless its side is gone.
  setSides(sides) {
    const shown = sidesShown(sides);
    if (shown === this.sidesShown) return;
    this.sidesShown = shown;
    this.tabs = tabsFor(this.me, sides, this.readOnly);
    if (!this.tabs.some((tab) => tab.key === this.current)) this.current = this.tabs[0].key;
    this.renderTabs(tabFocused(this));
    this.renderList();
  }

  // `focus`: the tab to focus once drawn (document-tabs.js).
  renderTabs(focus = null) {
    drawTabs(this, focus);
  }

  // A tab chosen (click, Enter, Space or an arrow): focus stays on the tabs, on this one.
  select(key) {
    this.say(null);
    const focused = tabFocused(this) !== null;
    this.current = key;
    this.renderTabs(focused ? key : null);
    this.renderList();
  }

  async open() {
    await this.refresh();
  }

  close() {
    for (const row of this.rows) row.cancel();
  }

  busy() {
    return this.transfers.busy();
  }

  // A `documents` hint from the server: something in a compartment you may read changed.
  // The person's own upload or release is hinted to their page too: one list read serves both
  // (`refreshFor`), so the audit log shows one listing per action, not two.
  changed(hint) {
    return this.refreshFor(hint && hint.document);
  }

  // A read of the list that shows `document` as committed: one that began after the server's
  // hint for it or after the person's own request for it returned (both come after the commit),
  // within the last few seconds, is enough for the other; else a new one. Without a document,
  // always a new one.
  refreshFor(document) {
    const now = Date.now();
    const known = document ? this.covering.get(document) : null;
    for (const [id, read] of this.covering) if (now - read.at > COVER_MS) this.covering.delete(id);
    if (known && now - known.at <= COVER_MS) {
      this.covering.delete(document);
      return known.read;
    }
    const read = this.refresh();
    if (document) this.covering.set(document, { read, at: now });
    return read;
  }

  async refresh() {
    try {
      const reply = await api("GET", `/api/v1/hearings/${encodeURIComponent(this.hearing)}/documents`);
      this.docs = reply.documents || [];
      if (reply.max_document_bytes) this.maxBytes = reply.max_document_bytes;
      if (this.messageKind === "list") this.say(null);
      this.versions.listed(this.docs);
      // A finished upload's line follows its version (shared since: where to, and as which).
      for (const row of this.rows) if (row.told) row.relabel();
    } catch (error) {
      this.say(() => describe(error, "participant.docs_list"), "list");
    }
    this.renderList();
  }

  tab() {
    return this.tabs.find((x) => x.key === this.current);
  }

  // Mediators who held the hearing before a hand-over ({id, name}: the hearing's detail on the
  // console, the person's own view on the hearing page): what they uploaded is credited to them
  // by name ("Mei Ling Chan (former mediator)"), never to "The mediator", who is someone else
  // now. Redrawn only when they change (handed back, one is the mediator again).
  setFormerMediators(formers = []) {
    const shown = JSON.stringify(formers.map((f) => [f.id, f.name]));
    if (shown === this.formersShown) return;
    this.formersShown = shown;
    for (const [id, person] of this.people) if (person.former) this.people.delete(id);
    for (const f of formers) this.people.set(f.id, { id: f.id, name: f.name, role: "mediator", former: true });
    this.renderList();
  }

  renderList() {
    const tab = this.tab();
    const docs = this.docs.filter((d) => tab.match(d.compartment))
      .sort((a, b) => b.created_ms - a.created_ms);
    const table = docs.length === 0
      ? h("p", { class: "docs-empty" }, tab.side
        ? t("participant.docs.empty_confidential_from", { side: tab.side.name })
        : t(`participant.docs.empty_${tab.key}`))
      : h("table", { class: "docs-table" },
        h("caption", { class: "visually-hidden" }, tabLabel(tab)),
        h("thead", null, h("tr", null,
          ["name", "size", "uploader", "time", "version", "actions"].map((c) =>
            h("th", { scope: "col" }, t(`participant.docs.col_${c}`))))),
        h("tbody", null, docs.map((d) => [this.row(d), this.versions.row(d, 6, {
          uploader: (v) => this.uploader(v), onDownload: (v) => downloadVersion(this, d, v),
          onView: (v, key) => viewVersion(this, d, v, key) })])));
    // Drawn afresh: the button that had focus (by its `data-focus`) gets it back.
    const focused = this.list.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
    if (this.drop) {
      this.drop.hidden = !tab.upload;
      this.drop.firstChild.textContent = t("participant.docs.drop");
      this.drop.lastChild.textContent = t("participant.docs.pick");
    }
    mount(this.list, table);
    if (focused) this.focusable(focused)?.focus();
  }

  focusable(key) {
    return [...this.list.querySelectorAll("[data-focus]")].find((x) => x.dataset.focus === key) || null;
  }

  row(d) {
    const actions = [
      h("button", { type: "button", class: "button small", dataset: { focus: `download:${d.document}` },
        onclick: () => downloadVersion(this, d) }, t("participant.docs.download")),
      this.viewable(d) ? h("button", { type: "button", class: "button small", dataset: { focus: `view:${d.document}` },
        onclick: () => viewVersion(this, d, null, `view:${d.document}`) }, t("participant.docs.view")) : null,
      ...(this.readOnly ? [] : releaseTargets(d.compartment, this.me.side)).map((to) => h("button", {
        type: "button", class: "button small", dataset: { release: to },
        onclick: () => releaseLatest(this, d, to) }, t(`participant.docs.release_${to === "joint" ? "joint" : "confidential"}`))),
    ];
    // `data-label`: the column's name, shown beside the value where the panel is too narrow
    // for a table and each document becomes a block (css: container query on .documents).
    const cell = (column, value) => h("td", { "data-label": t(`participant.docs.col_${column}`) }, value);
    return h("tr", { dataset: { document: d.document } },
      h("th", { scope: "row", class: "doc-name" }, d.filename),
      cell("size", formatSize(d.size)),
      cell("uploader", this.uploader(d)),
      cell("time", formatDateTime(d.created_ms)),
      cell("version", this.versions.cell(d)),
      h("td", { class: "doc-actions" }, actions));
  }

  uploader(d) {
    if (d.uploaded_by === this.me.id) return t("participant.docs.you");
    const person = this.people.get(d.uploaded_by);
    // A mediator who held the hearing before a hand-over (setFormerMediators): "The mediator"
    // would read as the one in charge now.
    if (person && person.former) {
      return person.name ? t("participant.docs.owner_former_mediator", { name: person.name })
        : t("participant.docs.owner_former_mediator_unnamed");
    }
    const name = personName(person);
    if (name) return name;
    return t(d.owner === "mediator" ? "participant.docs.owner_mediator" : "participant.docs.owner_side");
  }

  // Refused: the person's own document of this name is in another tab now (its latest version
  // was shared there), and a new version goes where the latest is, never back to a narrower tab.
  elsewhere(name) {
    const owner = this.me.role === "mediator" ? "mediator" : `side:${this.me.side}`;
    const doc = this.docs.find((d) => d.filename === name && d.owner === owner);
    const tab = doc && this.tabs.find((x) => x.match(doc.compartment));
    return tab ? t("participant.docs.name_elsewhere", { name, tab: tabLabel(tab) })
      : t("participant.docs.name_elsewhere_unknown", { name });
  }

  // A transfer's row, under the tab `tab` (an upload's: the tab it went to).
  track(row, tab = this.current) {
    this.transfers.add(row, tab);
  }

  documentUrl(d) {
    return `/api/v1/hearings/${encodeURIComponent(this.hearing)}/documents/${encodeURIComponent(d.document)}`;
  }

  viewable(d) {
    return viewable(d.content_type) && downloadsInPage(d.size);
  }
}
