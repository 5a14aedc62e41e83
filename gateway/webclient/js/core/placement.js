// Where a passing message (the toasts) may sit on the screen without covering a control: pure
// geometry on rectangles ({left, top, right, bottom}), the page's controls passed in
// (components/toast.js measures them), tested by tests/js/placement.test.mjs.
//
// Candidates, in order of preference: along the bottom edge, then up the screen a step at a
// time; at each height the right edge first (where toasts usually are), then the left, then the
// middle. The first spot that covers nothing wins; where every spot covers something, the one
// covering the least area.

const overlap = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left))
  * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));

// → {left, top, clear}: the box's top-left corner, and whether it covers no control at all.
export function clearSpot({ viewport, size, obstacles = [], margin = 16, step = 8, pad = 4 }) {
  const width = Math.min(size.width, viewport.width - 2 * margin);
  const height = size.height;
  const columns = [viewport.width - margin - width, margin, Math.round((viewport.width - width) / 2)];
  const lowest = viewport.height - margin - height;
  const grown = obstacles
    .filter((r) => r.right > 0 && r.bottom > 0 && r.left < viewport.width && r.top < viewport.height)
    .map((r) => ({ left: r.left - pad, top: r.top - pad, right: r.right + pad, bottom: r.bottom + pad }));
  let best = null;
  for (let top = lowest; top >= margin || top === lowest; top -= step) {
    for (const left of columns) {
      const box = { left, top, right: left + width, bottom: top + height };
      let covered = 0;
      for (const r of grown) covered += overlap(box, r);
      if (covered === 0) return { left, top, clear: true };
      if (!best || covered < best.covered) best = { left, top, covered };
    }
    if (top < margin) break;
  }
  return { left: best.left, top: best.top, clear: false };
}
