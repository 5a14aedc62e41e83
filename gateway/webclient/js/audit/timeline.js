// Who was in which room when, from the audit log alone (pure: no DOM but the SVG it builds).
//
// `lanes(events, names)` folds a hearing's audit events (in log order) into one lane per
// participant: segments {room, start, end} and marks {kind, time, from, to}.
//   participant.redeem (allowed)  → the lobby, from then (details.participant)
//   participant.admit / room.move → leaves details.from, enters details.to (a mark)
//   participant.disconnect        → the segment ends (not connected, so hearing nothing)
//   participant.connect           → a segment opens in details.room
//   participant.leave, participant.remove, room.grace_expired → the segment ends (left the
//   room: the lobby follows only if the person connects again)
//   hearing.close → every open segment ends
// `timelineSvg(model, options)` draws it as inline SVG: one row per lane, a rect per segment
// with data-participant/-room/-start/-end, focusable, labelled with exact times; the same data
// is `timelineRows(model)` for the table alternative.

const SVG = 'http://www.w3.org/2000/svg';

function participantOf(event) {
  if (event.action === 'participant.redeem') return event.details?.participant ?? null;
  return event.resource?.type === 'participant' ? event.resource.id : null;
}

export function lanes(events, { end = null } = {}) {
  const byId = new Map();
  let first = Infinity;
  let last = -Infinity;
  const lane = (id) => {
    if (!byId.has(id)) byId.set(id, { participant: id, segments: [], marks: [], open: null });
    return byId.get(id);
  };
  const close = (l, time) => {
    if (l.open) { l.open.end = time; l.segments.push(l.open); l.open = null; }
  };
  const enter = (l, room, time) => {
    close(l, time);
    if (room) l.open = { room, start: time, end: null };
  };
  for (const e of events) {
    if (e.outcome && e.outcome !== 'allowed') continue;
    const time = e.time;
    const id = participantOf(e);
    switch (e.action) {
      case 'participant.redeem':
        if (id) enter(lane(id), 'lobby', time);
        break;
      case 'participant.admit':
      case 'room.move': {
        if (!id) break;
        const l = lane(id);
        const to = e.details?.to;
        l.marks.push({ kind: e.action === 'room.move' ? 'move' : 'admit', time, from: e.details?.from ?? null, to });
        enter(l, to, time);
        break;
      }
      case 'participant.connect':
        if (id && !lane(id).open) enter(lane(id), e.details?.room ?? null, time);
        break;
      case 'participant.disconnect':
      case 'participant.leave':
      case 'participant.remove':
      case 'room.grace_expired':
        if (id) close(lane(id), time);
        break;
      case 'hearing.close':
        for (const l of byId.values()) close(l, time);
        break;
      default:
        continue;
    }
    first = Math.min(first, time);
    last = Math.max(last, time);
  }
  const stop = end ?? last;
  const result = [...byId.values()].map((l) => {
    close(l, stop);
    return { participant: l.participant, segments: l.segments.filter((s) => s.end >= s.start), marks: l.marks };
  });
  return { start: Number.isFinite(first) ? first : 0, end: Number.isFinite(stop) ? stop : 0, lanes: result };
}

/** Segments as table rows: {participant, room, start, end}, by person then time. */
export function timelineRows(model) {
  return model.lanes.flatMap((l) => l.segments.map((s) => ({ participant: l.participant, ...s })));
}

function el(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  for (const child of children) node.append(child);
  return node;
}

/** The SVG picture. options: {width, laneHeight, label(participant) → text, roomLabel(room) →
 *  text, roomClass(room) → CSS class, time(ms) → text, title} */
export function timelineSvg(model, options) {
  const { width = 1000, laneHeight = 28, label, roomLabel, roomClass, time, title } = options;
  const gutter = 170;
  const axis = 26;
  const height = axis + model.lanes.length * laneHeight + 8;
  const span = Math.max(1, model.end - model.start);
  const x = (ms) => gutter + ((ms - model.start) / span) * (width - gutter - 10);
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', class: 'timeline-svg',
    role: 'group', 'aria-label': title, 'data-start': model.start, 'data-end': model.end });
  const ticks = 6;
  for (let i = 0; i <= ticks; i += 1) {
    const ms = model.start + (span * i) / ticks;
    svg.append(el('line', { x1: x(ms), x2: x(ms), y1: axis - 6, y2: height, class: 'timeline-tick' }),
      el('text', { x: x(ms), y: 14, class: 'timeline-axis', 'text-anchor': i === 0 ? 'start' : i === ticks ? 'end' : 'middle' }, time(ms)));
  }
  model.lanes.forEach((l, row) => {
    const y = axis + row * laneHeight;
    const name = label(l.participant);
    const group = el('g', { class: 'timeline-lane', 'data-participant': l.participant, role: 'list', 'aria-label': name });
    group.append(el('text', { x: 4, y: y + laneHeight / 2 + 4, class: 'timeline-name' }, name));
    for (const s of l.segments) {
      const text = `${name}: ${roomLabel(s.room)}, ${time(s.start)} – ${time(s.end)}`;
      group.append(el('rect', {
        x: x(s.start), y: y + 4, width: Math.max(2, x(s.end) - x(s.start)), height: laneHeight - 8, rx: 3,
        class: `timeline-segment ${roomClass(s.room)}`, tabindex: 0, role: 'listitem', 'aria-label': text,
        'data-participant': l.participant, 'data-room': s.room, 'data-start': s.start, 'data-end': s.end,
      }, el('title', {}, text)));
    }
    for (const m of l.marks) {
      group.append(el('path', {
        d: `M ${x(m.time)} ${y + 2} l 4 -4 l -8 0 z`, class: `timeline-mark mark-${m.kind}`,
        'data-kind': m.kind, 'data-time': m.time, 'aria-hidden': 'true',
      }));
    }
    svg.append(group);
  });
  return svg;
}
