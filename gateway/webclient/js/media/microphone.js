// The microphone's loudness for the tech check's level meter (screens/techcheck.js), in dBFS:
// Web Audio where it runs, else the level the call sends; and the meter's scale.

// The meter runs from FLOOR_DB (empty) to 0 dBFS (full). Speech at a normal distance from the
// microphone is well above HEARD_DB, a quiet room well below it; HEARD_SAMPLES meter samples
// above it (0.3 s in all) count as "we heard you", so a single click does not.
export const FLOOR_DB = -60;
export const HEARD_DB = -42;
export const HEARD_SAMPLES = 3;
// The bar falls back by this factor per sample rather than at once, as a level meter does,
// so a syllable shows as a movement and not a flicker.
export const METER_FALL = 0.7;

// Web Audio's view of the microphone (null where it cannot be made).
function analyserOf(stream) {
  let context = null;
  try {
    context = new AudioContext();
    const node = context.createAnalyser();
    node.fftSize = 1024;
    // The page's own stream, which outlives this: Chromium silences the source of a stream
    // that was garbage-collected (a new MediaStream made here went quiet after a few seconds).
    context.createMediaStreamSource(stream).connect(node);
    return { context, node, samples: new Float32Array(node.fftSize) };
  } catch (_) {
    if (context) context.close().catch(() => {});
    return null;
  }
}

// The root mean square of the latest samples (0 silence … 1 full scale).
function rms({ node, samples }) {
  node.getFloatTimeDomainData(samples);
  let sum = 0;
  for (const v of samples) sum += v * v;
  return Math.sqrt(sum / samples.length);
}

// The level the call sends (0 … 1, getStats "media-source"), or null.
async function sentLevel(pc) {
  let level = null;
  (await pc.getStats()).forEach((s) => {
    if (s.type === "media-source" && s.kind === "audio" && typeof s.audioLevel === "number") level = s.audioLevel;
  });
  return level;
}

// The microphone's loudness now, in dBFS (null: cannot tell). Web Audio where it runs; while a
// browser keeps the audio context suspended (its autoplay rules, until the person touches the
// page), the level the call sends. `call()` is the connection to the echo peer, once made.
export function microphone(stream, call) {
  if (!stream || !stream.getAudioTracks().length) return null;
  const analyser = analyserOf(stream);
  const wake = () => analyser && analyser.context.resume().catch(() => {});
  const wakers = ["pointerdown", "keydown"];
  for (const event of wakers) document.addEventListener(event, wake, { once: true });
  return {
    async db() {
      const running = analyser && analyser.context.state === "running";
      const level = running ? rms(analyser) : (call() ? await sentLevel(call()).catch(() => null) : null);
      return level === null ? null : 20 * Math.log10(Math.max(level, 1e-6));
    },
    close() {
      for (const event of wakers) document.removeEventListener(event, wake);
      if (analyser) analyser.context.close().catch(() => {});
    },
  };
}
