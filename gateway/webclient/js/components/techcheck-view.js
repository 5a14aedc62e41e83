// The tech check page's figures and verdicts as they change (screens/techcheck.js draws the page
// and runs the check): an item's badge and sentence, the overall verdict, the status line.

import { t } from "../core/i18n.js";
import { levelOf, overall } from "../media/techcheck-verdict.js";

export const $ = (id) => document.getElementById(id);

export function show(id, value, text) {
  const el = $(id);
  el.dataset.value = value === null || value === undefined ? "" : String(value);
  el.textContent = text;
}

// Words that follow the language: the element keeps its key for `retranslate`.
export function say(el, key) {
  el.dataset.i18n = key;
  el.textContent = t(key);
}

export function setStatus(key) {
  say($("status"), key);
}

export function showItem(item, outcome) {
  const row = $(`verdict-${item}`);
  const level = levelOf(outcome);
  row.dataset.outcome = outcome || "";
  row.dataset.level = level;
  const badge = row.querySelector(".badge");
  badge.className = `badge ${BADGE_CLASS[level]}`;
  say(badge, `participant.techcheck.level_${level}`);
  say(row.querySelector(".verdict-text"), `participant.techcheck.${item}_${outcome || "checking"}`);
}

// The stylesheet's badge colours for good (green), needs attention (amber) and a problem (red).
const BADGE_CLASS = { checking: "", good: "level-good", fair: "level-fair", poor: "level-poor" };

export function showOverall(outcomes) {
  const box = $("verdict");
  const { level, key } = overall(outcomes);
  box.dataset.level = level;
  box.className = level === "good" ? "notice" : "notice warn";
  say(box, key);
}
