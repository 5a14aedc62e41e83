// Camera and microphone: open them (a participant without them still joins, receive-only),
// switch them, and stop them at once when the hearing ends for this person.

// Why the camera or microphone could not be opened: "blocked" (the person or the browser said
// no: allowing it in the browser fixes it), "in_use" (the device is there but another app holds
// it, as another video call does on Windows: closing that app fixes it; NotReadableError, or
// TrackStartError in older Chromium) or "none" (no such device, or it would not start). Each is
// said in its own words: telling someone who blocked the camera, or whose camera another call
// holds, that none was found sends them looking for the wrong fix.
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

// Which of the camera and microphone a page may offer a choice of ({camera, microphone}): one
// the browser blocks has nothing true to list (without permission a device's name is empty, or
// a placeholder such as "fake_device_0"), so the page says it is blocked instead of a picker.
// A device that is missing or in use for another reason keeps its picker: another one may do.
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

// A screen to share. Never Parley's own tab: it would show the room everything the page lists
// (a side's own documents, the console's every side's confidences). `windowsOnly` (the
// mediator's console, which lists every side) also leaves whole screens out of the picker,
// since a whole screen holds the console window too: the mediator shares a window or a tab.
// (Chromium honours both; other browsers ignore them and offer what they always do.)
export async function screenMedia({ windowsOnly = false } = {}) {
  return navigator.mediaDevices.getDisplayMedia({
    video: true, audio: false, selfBrowserSurface: "exclude",
    ...(windowsOnly ? { monitorTypeSurfaces: "exclude" } : {}),
  });
}
