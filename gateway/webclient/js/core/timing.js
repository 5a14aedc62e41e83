// How long a screen takes to show what the server said: from the moment the socket received a
// message (`receivedAt`, set by socket.js) to the next frame after the DOM changed, recorded as
// a User Timing measure (`performance.getEntriesByName(name)`) that browser tests read.

export function measureToNextFrame(name, receivedAt) {
  if (typeof receivedAt !== "number") return;
  requestAnimationFrame(() => performance.measure(name, { start: receivedAt, end: performance.now() }));
}
