// Camera and microphone: open them (a participant without them still joins, receive-only),
// switch them, and stop them at once when the hearing ends for this person.

// Why the camera or microphone could not be opened, each with its own fix: "blocked" (allow it
// in the browser), "in_use" (another app holds it: close that app; NotReadableError, or
// TrackStartError in older Chromium) or "none" (no such device, or it would not start).
export function mediaTrouble(error) {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError") return "blocked";
  if (name === "NotReadableError" || name === "TrackStartError") return "in_use";
  return "none";
}

// Of two troubles, the one to say: what the person can fix first (allow, then close the other
// app), never "none" while a fix is in reach.
const TROUBLE_ORDER = ["blocked", "in_use", "none"];
function firstTrouble(troubles) {
  return TROUBLE_ORDER.find((trouble) => troubles.includes(trouble)) || "none";
}

// Camera and microphone, else the microphone alone: {stream (null: neither opened), trouble
// (why the camera, or both, could not be opened: `mediaTrouble`; null when both opened)}.
export async function openLocalMedia({ camera = null, microphone = null } = {}) {
  const video = camera ? { deviceId: { exact: camera } } : true;
  const audio = microphone ? { deviceId: { exact: microphone } } : true;
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ video, audio }), trouble: null };
  } catch (first) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: false, audio });
      return { stream, trouble: mediaTrouble(first) };
    } catch (second) {
      return { stream: null, trouble: firstTrouble([first, second].map(mediaTrouble)) };
    }
  }
}

// Which devices a page may offer a choice of ({camera, microphone}): a blocked one has nothing
// true to list (empty names, or "fake_device_0"); one missing or in use keeps its picker.
export function pickable(stream, trouble) {
  const blocked = trouble === "blocked";
  return {
    camera: Boolean(stream && stream.getVideoTracks().length) || !blocked,
    microphone: Boolean(stream && stream.getAudioTracks().length) || !blocked,
  };
}

export async function localMedia(choice = {}) {
  return (await openLocalMedia(choice)).stream;
}

// Switch your microphone ("mic") or camera ("camera") on or off, and tell the room: the message
// to send on the hearing's socket.
export function switchTrack(stream, what, on) {
  const tracks = !stream ? [] : what === "mic" ? stream.getAudioTracks() : stream.getVideoTracks();
  for (const track of tracks) track.enabled = on;
  return what === "mic" ? { type: "mute", muted: !on } : { type: "mute", camera_off: !on };
}

export function stopStream(stream) {
  if (!stream) return;
  for (const track of stream.getTracks()) track.stop();
}

// A screen to share, never Parley's own tab (it lists a side's documents, or every side's
// confidences). `windowsOnly` (the console) also leaves whole screens out, which hold the
// console window too. Chromium honours both; other browsers ignore them.
export async function screenMedia({ windowsOnly = false } = {}) {
  return navigator.mediaDevices.getDisplayMedia({
    video: true, audio: false, selfBrowserSurface: "exclude",
    ...(windowsOnly ? { monitorTypeSurfaces: "exclude" } : {}),
  });
}
