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

/** The names query's rows (`names`) with each caucus named as it is now. The log's directory
 *  knows a caucus by the name it was created with (its row's `index` is that entry); renaming
 *  its side renamed it when that name began with the side's old name (services/signalling/
 *  sides.py `renamed_caucuses`), so each later rename (`renameRows`, {index, event}) is applied
 *  the same way here. A caucus named by default has no name: it follows its side by itself. */
export function caucusesNamedNow(names, renameRows) {
  const renames = renameRows.filter((r) => r.event.action === 'hearing.side_rename' && r.event.outcome === 'allowed')
    .sort((a, b) => a.index - b.index);
  if (!renames.length) return names;
  return names.map((n) => {
    if (n.kind !== 'room' || !n.name || !n.side) return n;
    let name = n.name;
    for (const { index, event } of renames) {
      const d = event.details ?? {};
      if (index <= (n.index ?? -1) || event.resource?.id !== n.side) continue;
      if (nameOf(d.previous_name) && nameOf(d.name) && d.previous_name !== d.name && name.startsWith(d.previous_name)) {
        name = (d.name + name.slice(d.previous_name.length)).slice(0, 200);
      }
    }
    return name === n.name ? n : { ...n, name };
  });
}
