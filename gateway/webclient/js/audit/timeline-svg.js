// A hearing's timeline (audit/timeline.js `lanes`) drawn as inline SVG: one row per lane, its
// name in one or two lines of its column, a rect per stay with each reconnection's gap inside it,
// a mark per room change, hand-over or removal from the hearing, a rule across every lane where
// the hearing ended, and an axis whose ticks fall on round times (audit/axis.js).

import { axisTicks, tickLabels } from './axis.js';

const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  for (const child of children) node.append(child);
  return node;
}

// A rough width of text in the lane names' type (12 px, semi-bold): CJK characters are square,
// others about 0.6 em. The page passes a measure of its own font (a canvas) when it has one.
const roughWidth = (text) => [...text].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 12 : 7.2), 0);

/** `text`, cut to fit `width` with an ellipsis at the end (whole when it fits). */
export function ellipsize(text, width, measure = roughWidth) {
  if (measure(text) <= width) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) { // the longest prefix that fits with its ellipsis
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${chars.slice(0, mid).join('').trimEnd()}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('').trimEnd()}…`;
}

/** A lane's name in at most two lines of `width`: whole on one when it fits; else `parts` (the
 *  name and its role: ["Mr David Lam", "(mediator)"]) one a line, or the text broken at its
 *  last space that leaves a first line that fits (anywhere, for a name without one); a line
 *  is cut with an ellipsis only when it still does not fit. */
export function labelLines(text, width, measure = roughWidth, parts = null) {
  if (measure(text) <= width) return [text];
  if (parts && parts.length === 2 && parts.every((p) => typeof p === 'string' && p)) return parts.map((p) => ellipsize(p, width, measure));
  const chars = [...text];
  let fits = 0; // the longest prefix that fits
  while (fits < chars.length && measure(chars.slice(0, fits + 1).join('').trimEnd()) <= width) fits += 1;
  const space = chars.slice(0, fits + 1).lastIndexOf(' ');
  const cut = space > 0 ? space : Math.max(1, fits);
  const rest = chars.slice(cut).join('').trim();
  return rest ? [chars.slice(0, cut).join('').trimEnd(), ellipsize(rest, width, measure)] : [text];
}

/** The SVG picture. options: {width, laneHeight, label(participant) → text, roomLabel(room) →
 *  text, roomClass(room) → CSS class, time(ms) → text, tickFormat: {time, seconds, day} (the
 *  axis's labels, tickLabels), offset(ms) → the zone's offset (zoneOffset), title,
 *  measure(text) → px, reconnected(stay) → text ('' for none: what a stay's label adds),
 *  parts(participant) → [name, role] or null (the two lines of a name too long for one),
 *  markLabel(mark, name) → text ('' for none: a mark with one is an item of its lane, focusable,
 *  as a stay is; a removal, which no stay's label tells), endLabel(ms) → [label, short text]
 *  (the hearing's end, `model.ended`: a rule across every lane, focusable, its short text
 *  under the lanes)}.
 *  A name too long for its column takes two lines (labelLines), every lane then taller. */
export function timelineSvg(model, options) {
  const { width = 1000, label, roomLabel, roomClass, time, title, measure, reconnected = () => '', parts = () => null,
    markLabel = () => '', endLabel = null } = options;
  const tickFormat = options.tickFormat ?? { time, seconds: time, day: () => '' };
  const gutter = 170;
  const nameWidth = gutter - 14; // the names' column, less a margin before the chart
  const names = new Map(model.lanes.map((l) => [l.participant, labelLines(label(l.participant), nameWidth, measure, parts(l.participant))]));
  const laneHeight = options.laneHeight ?? ([...names.values()].some((lines) => lines.length > 1) ? 40 : 28);
  const bar = 20; // a stay's height, centred in its lane
  const inset = (laneHeight - bar) / 2;
  const axis = 26;
  const ended = model.ended !== null && model.ended !== undefined && endLabel && model.lanes.length ? model.ended : null;
  const lanesBottom = axis + model.lanes.length * laneHeight;
  const height = lanesBottom + (ended === null ? 8 : 22);
  const span = Math.max(1, model.end - model.start);
  const chart = width - gutter - 10;
  const x = (ms) => gutter + ((ms - model.start) / span) * chart;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', class: 'timeline-svg',
    role: 'group', 'aria-label': title, 'data-start': model.start, 'data-end': model.end });
  // As many ticks as their labels leave room for (a label with its day is wider).
  const days = tickFormat.day(model.start) !== tickFormat.day(model.end);
  const { step, ticks } = axisTicks(model.start, model.end, { maxTicks: Math.max(2, Math.floor(chart / (days ? 150 : 80))), offset: options.offset });
  const labels = tickLabels(ticks, step, tickFormat, { start: model.start, end: model.end });
  ticks.forEach((ms, i) => {
    const at = x(ms);
    const anchor = at - gutter < 30 ? 'start' : gutter + chart - at < 30 ? 'end' : 'middle';
    svg.append(el('line', { x1: at, x2: at, y1: axis - 6, y2: height, class: 'timeline-tick' }),
      el('text', { x: at, y: 14, class: 'timeline-axis', 'text-anchor': anchor, 'data-ms': ms }, labels[i]));
  });
  model.lanes.forEach((l, row) => {
    const y = axis + row * laneHeight;
    const name = label(l.participant);
    const group = el('g', { class: 'timeline-lane', 'data-participant': l.participant, role: 'list', 'aria-label': name });
    // A long name takes two lines of its column (the full name is the lane's label and its
    // tooltip); only what still does not fit is cut.
    const lines = names.get(l.participant);
    const middle = y + laneHeight / 2 + 4;
    group.append(el('text', { x: 4, y: middle, class: 'timeline-name', 'data-lines': lines.length },
      ...(lines.length === 1 ? lines : lines.map((line, n) => el('tspan', { x: 4, y: middle + (n ? 7 : -7) }, line))),
      el('title', {}, name)));
    for (const s of l.stays) {
      const text = `${name}: ${roomLabel(s.room)}, ${time(s.start)} – ${time(s.end)}${reconnected(s)}`;
      group.append(el('rect', {
        x: x(s.start), y: y + inset, width: Math.max(2, x(s.end) - x(s.start)), height: bar, rx: 3,
        class: `timeline-segment ${roomClass(s.room)}`, tabindex: 0, role: 'listitem', 'aria-label': text,
        'data-participant': l.participant, 'data-room': s.room, 'data-start': s.start, 'data-end': s.end,
        'data-reconnects': s.reconnects,
      }, el('title', {}, text)));
      // Each reconnection's gap, inside the stay (the stay's label says how many): at least
      // 2 units wide, so a few seconds away on a day-long axis still shows.
      for (const g of s.gaps) {
        const width = Math.max(2, x(g.end) - x(g.start));
        group.append(el('rect', {
          x: Math.min(x(g.start), x(s.end) - width), y: y + inset, width, height: bar,
          class: 'timeline-gap', 'aria-hidden': 'true', 'data-participant': l.participant, 'data-start': g.start, 'data-end': g.end,
        }));
      }
    }
    for (const m of l.marks) {
      // A room change: a notch above the lane; a hand-over: a bar across it; a removal: a
      // cross on it, where the lane ends.
      const at = x(m.time);
      const shape = m.kind === 'handover' ? `M ${at - 1.5} ${y + inset - 3} h 3 v ${bar + 6} h -3 z`
        : m.kind === 'remove' ? `M ${at - 5} ${y + inset + 5} l 10 10 m 0 -10 l -10 10` : `M ${at} ${y + inset - 2} l 4 -4 l -8 0 z`;
      const text = markLabel(m, name);
      group.append(el('path', {
        d: shape, class: `timeline-mark mark-${m.kind}`, 'data-participant': l.participant, 'data-kind': m.kind, 'data-time': m.time,
        ...(text ? { tabindex: 0, role: 'listitem', 'aria-label': text } : { 'aria-hidden': 'true' }),
      }, ...(text ? [el('title', {}, text)] : [])));
    }
    svg.append(group);
  });
  if (ended !== null) svg.append(endRule(x(ended), ended, lanesBottom, endLabel(ended)));
  return svg;
}

// The hearing's end: a rule from the axis through every lane, its short text under them (its end
// at the rule, which is the picture's right edge unless something came after), focusable.
function endRule(at, ms, bottom, [label, short]) {
  return el('g', { class: 'timeline-end', tabindex: 0, role: 'img', 'aria-label': label, 'data-time': ms },
    el('title', {}, label),
    el('line', { x1: at, x2: at, y1: 20, y2: bottom + 4, class: 'timeline-end-rule' }),
    el('text', { x: at, y: bottom + 16, 'text-anchor': 'end', class: 'timeline-end-text' }, short));
}
