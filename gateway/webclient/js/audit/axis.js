// The timeline's time axis (pure): ticks on round local times, a step chosen from the span so
// that no two ticks read the same, and their labels. The tester's two-minute hearing had been
// cut into six equal parts labelled by the minute: "08:51, 08:51 … 08:53, 08:53".

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The axis's possible steps: round numbers of seconds, minutes, hours and days. */
export const TICK_STEPS = [1, 2, 5, 10, 15, 30].map((n) => n * SECOND)
  .concat([1, 2, 5, 10, 15, 30].map((n) => n * MINUTE), [1, 2, 3, 6, 12].map((n) => n * HOUR), [1, 2, 7, 14, 28].map((n) => n * DAY));

/** Ticks on round local times between `start` and `end`: {step, ticks: [ms]}, the smallest
 *  step that puts at most `maxTicks` ticks in the span. `offset(ms)` is the zone's offset from
 *  UTC at `ms` (zoneOffset), so an hour's tick falls on the zone's hour, a day's on its
 *  midnight. */
export function axisTicks(start, end, { maxTicks = 7, offset = () => 0 } = {}) {
  const span = Math.max(0, end - start);
  const most = Math.max(1, maxTicks);
  const step = TICK_STEPS.find((s) => Math.floor(span / s) + 1 <= most) ?? TICK_STEPS[TICK_STEPS.length - 1];
  const shift = offset(start);
  const ticks = [];
  for (let ms = Math.ceil((start + shift) / step) * step - shift; ms <= end && ticks.length < most; ms += step) ticks.push(ms);
  return { step, ticks };
}

/** The ticks' labels: clock times (with seconds under a minute's step), each with its day
 *  when the picture spans more than one (just the day for a step of days). `format`:
 *  {time(ms), seconds(ms), day(ms)}. Distinct ticks read differently. */
export function tickLabels(ticks, step, format, { start = ticks[0], end = ticks[ticks.length - 1] } = {}) {
  if (!ticks.length) return [];
  const days = format.day(start) !== format.day(end);
  return ticks.map((ms) => {
    if (step >= DAY) return format.day(ms);
    const clock = step < MINUTE ? format.seconds(ms) : format.time(ms);
    return days ? `${format.day(ms)} ${clock}` : clock;
  });
}

/** `zone`'s offset from UTC at a moment, in ms (the runtime's own zone when none is named). */
export function zoneOffset(zone) {
  if (!zone) return (ms) => -new Date(ms).getTimezoneOffset() * MINUTE;
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric',
    day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  return (ms) => {
    const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / SECOND) * SECOND;
  };
}
