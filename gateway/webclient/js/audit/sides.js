// A hearing's sides as its own entries tell them (pure: no DOM, no words). The signalling
// service records (services/signalling/sides.py):
//   hearing.side_add     details {name, colour}
//   hearing.side_rename  details {name, colour, previous_name, previous_colour}
//   hearing.side_remove  details {name, colour}
// A colour is one of the product's six ('a' … 'f': blue, rust, green, purple, ochre, teal, the
// same `--side-<colour>` every screen draws the side in). The log's directory of names
// (/api/v1/audit/names) knows a side by its latest name only; these steps say what it was
// called, and in which colour, at any moment.

export const SIDE_ACTIONS = ['hearing.side_add', 'hearing.side_rename', 'hearing.side_remove'];
export const SIDE_COLOURS = ['a', 'b', 'c', 'd', 'e', 'f'];

const colourOf = (value) => (SIDE_COLOURS.includes(value) ? value : null);
const nameOf = (value) => (typeof value === 'string' && value ? value : null);

/** id → {id, name, colour, removed (time or null), steps: [{time, action, name, colour}]},
 *  in the order the sides were added; `events` in log order (allowed ones count). A side whose
 *  adding predates the log's events starts at its first rename's previous name and colour. */
export function sideHistory(events) {
  const sides = new Map();
  for (const e of events) {
    if (!SIDE_ACTIONS.includes(e.action) || (e.outcome && e.outcome !== 'allowed')) continue;
    const id = e.resource?.id;
    if (!id) continue;
    const d = e.details ?? {};
    let side = sides.get(id);
    if (!side) {
      side = { id, name: null, colour: null, removed: null, steps: [] };
      sides.set(id, side);
      if (e.action === 'hearing.side_rename' && (nameOf(d.previous_name) || colourOf(d.previous_colour))) {
        side.name = nameOf(d.previous_name);
        side.colour = colourOf(d.previous_colour);
      }
    }
    side.name = nameOf(d.name) ?? side.name;
    side.colour = colourOf(d.colour) ?? side.colour;
    if (e.action === 'hearing.side_remove') side.removed = e.time;
    else side.removed = null; // a side added again under the same id (never today) is back
    side.steps.push({ time: e.time, action: e.action, name: side.name, colour: side.colour });
  }
  return sides;
}
