// When the page says someone is offline (pure): a connection lost for a few seconds (a network
// change, a reload, a laptop lid) is not news, so "The mediator … is offline" waits out a short
// grace, in the room banner, in "who can hear you", on the tiles and in the waiting room alike.
// Meanwhile the person is never said to hear you: they are shown as connecting (their links
// are dropped), which is true. Someone already offline when this page first sees them (a
// snapshot, a room just entered) is said offline at once: how long they have been is unknown.

// How long someone this page saw connected may be without a connection before it says so.
export const OFFLINE_GRACE_MS = 4000;

// The mediator's own connection as the SelfView says it (`mediator_online`), tracked beside
// the room's people under this id (no participant id has a colon).
export const MEDIATOR_KEY = ":mediator";

// → Map id → null (seen connected) or when they were first seen offline (-Infinity: offline
// when first seen). `since`: the last answer; `people`: [{id, connected}] now (`connected`
// false: offline; anything else counts as connected). Anyone not in `people` is forgotten.
export function offlineSince(since, people, now) {
  const next = new Map();
  for (const p of people) {
    if (p.connected !== false) next.set(p.id, null);
    else if (!since.has(p.id)) next.set(p.id, -Infinity);
    else next.set(p.id, since.get(p.id) ?? now);
  }
  return next;
}

// Whether `id` is to be said offline at `now`.
export function saidOffline(since, id, now, grace = OFFLINE_GRACE_MS) {
  const at = since.get(id);
  return typeof at === "number" && now - at >= grace;
}

// → {you, room, recheckAt}: the SelfView and RoomView as the page says them at `now` (the
// mediator online, a member connecting, while their grace runs), and when that next changes
// (null: nothing pending). The views themselves are left as the server sent them.
export function shownPresence(you, room, since, now, grace = OFFLINE_GRACE_MS) {
  const pending = [];
  const graced = (id) => {
    const at = since.get(id);
    if (typeof at !== "number" || saidOffline(since, id, now, grace)) return false;
    pending.push(at + grace);
    return true;
  };
  const shownYou = you && you.mediator_online === false && graced(MEDIATOR_KEY)
    ? { ...you, mediator_online: true } : you;
  const shownRoom = room && room.members ? {
    ...room,
    members: room.members.map((m) => m.connected === false && graced(m.id)
      ? { ...m, connected: true, links: [], reconnecting: true } : m),
  } : room;
  return { you: shownYou, room: shownRoom, recheckAt: pending.length ? Math.min(...pending) : null };
}

// The people whose connection is tracked for `you` in `room` (either may be null).
export function presencePeople(you, room) {
  const people = ((room && room.members) || []).map((m) => ({ id: m.id, connected: m.connected }));
  if (you) people.push({ id: MEDIATOR_KEY, connected: you.mediator_online });
  return people;
}
