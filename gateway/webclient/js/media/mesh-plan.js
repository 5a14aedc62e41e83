// What a server `peer.plan` means for the connections a mesh (media/mesh.js) holds, as pure
// functions (Node tests them in tests/js/).
//
// A plan names every peer this client must hold now: `connect` ∪ `keep` is the server's whole
// view of the room for this client (services/signalling/membership.py). So a plan is applied as
// a state, not as a difference: a connection to anyone it does not name is closed, whatever
// `drop` says. A difference was not enough: a drop sent while this page's socket was down never
// arrives, and the plan that follows the reconnect (this page is a new client to the server)
// lists only `connect`. The connection to someone who had left then stayed up, peer to peer,
// with their tile, their frames and their fingerprint in the verification code.

// The peers a plan names, each with its link ({peer, offerer}); `keep` before `connect`.
export function plannedLinks(plan) {
  const links = new Map();
  for (const link of [...(plan.keep || []), ...(plan.connect || [])]) links.set(link.peer, link);
  return links;
}

// The held connections to close at once, in order: the plan's `drop` first (isolation), then
// any other peer it does not name, then any it asks to `connect` anew (the other side is a new
// client: the connection held is to a page that is gone).
export function planCloses(held, plan) {
  const have = new Set(held);
  const named = plannedLinks(plan);
  const renewed = new Set((plan.connect || []).map((link) => link.peer));
  const out = [];
  const add = (id) => {
    if (have.has(id) && !out.includes(id)) out.push(id);
  };
  for (const id of plan.drop || []) add(id);
  for (const id of have) if (!named.has(id)) add(id);
  for (const id of renewed) add(id);
  return out;
}

// Once the closes are done, what opening the plan takes: `open`, the links to connect (every
// named peer not held); `resume`, the held peers the plan keeps (an unfinished negotiation
// goes on under the new epoch).
export function planOpens(held, plan) {
  const have = new Set(held);
  const open = [];
  const resume = [];
  for (const [id, link] of plannedLinks(plan)) (have.has(id) ? resume : open).push(link);
  return { open, resume };
}
