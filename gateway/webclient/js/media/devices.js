// Camera and microphone: open them (a participant without them still joins, receive-only),
// switch them, and stop them at once when the hearing ends for this person.

// Why the camera or microphone could not be opened: "blocked" (the person or the browser said
// no: allowing it in the browser fixes it) or "none" (no such device, or it would not start).
// Each is said in its own words: telling someone who blocked the camera that none was found
// sends them looking for the wrong fix.
export function mediaTrouble(error) {
  return error && (error.name === "NotAllowedError" || error.name === "SecurityError") ? "blocked" : "none";
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
      const blocked = [first, second].some((error) => mediaTrouble(error) === "blocked");
      return { stream: null, trouble: blocked ? "blocked" : "none" };
    }
  }
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
