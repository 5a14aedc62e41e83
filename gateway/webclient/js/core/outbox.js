// Messages a page sends on its socket, paced to stay inside the gateway's per-socket budget.
//
// The gateway allows each socket PARLEY_WS_RATE_PER_S messages a second with a burst of
// PARLEY_WS_RATE_BURST (50 and 200 by default), answers the excess with `rate_limited` and, past
// PARLEY_WS_FLOOD_CLOSE_AFTER refusals in a row, closes the socket. A refused message is lost,
// and a lost offer or candidate is a call that never connects, so the page keeps under the
// budget by itself: messages over it wait, in order, and none is dropped. The page's own budget
// is a little under the default (RATE_PER_S, BURST) so clocks that disagree never matter.
//
// A message may hold only where it was written (a chat line belongs to its room): `still()`
// says whether it holds now, checked when its turn comes; one that no longer holds, or is
// cleared with its socket, never goes out, and `lost()` says so to whoever wrote it.

export const RATE_PER_S = 40;
export const BURST = 150;

export class Outbox {
  // `write(text)` puts one message on the wire; `now()` is milliseconds (performance.now);
  // `later(fn, ms)` schedules (setTimeout). All three are injectable for tests.
  constructor(write, { now = () => performance.now(), later = (fn, ms) => setTimeout(fn, ms),
    ratePerS = RATE_PER_S, burst = BURST } = {}) {
    this.write = write;
    this.now = now;
    this.later = later;
    this.ratePerS = ratePerS;
    this.burst = burst;
    this.tokens = burst;
    this.at = now();
    this.waiting = [];
    this.scheduled = false;
  }

  get queued() {
    return this.waiting.length;
  }

  send(text, { still = null, lost = null } = {}) {
    this.waiting.push({ text, still, lost });
    this.drain();
  }

  // Forget what has not gone out (the socket it was meant for is gone).
  clear() {
    const gone = this.waiting;
    this.waiting = [];
    for (const item of gone) if (item.lost) item.lost();
  }

  drain() {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.ratePerS);
    this.at = now;
    while (this.waiting.length && this.tokens >= 1) {
      const item = this.waiting.shift();
      if (item.still && !item.still()) {
        if (item.lost) item.lost();
        continue;
      }
      this.tokens -= 1;
      this.write(item.text);
    }
    if (this.waiting.length && !this.scheduled) {
      this.scheduled = true;
      const ms = Math.ceil(((1 - this.tokens) / this.ratePerS) * 1000);
      this.later(() => {
        this.scheduled = false;
        this.drain();
      }, ms);
    }
  }
}
