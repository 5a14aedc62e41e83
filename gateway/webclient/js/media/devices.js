// Camera and microphone: open them (a participant without them still joins, receive-only),
// switch them, and stop them at once when the hearing ends for this person.

export async function localMedia({ camera = null, microphone = null } = {}) {
  const video = camera ? { deviceId: { exact: camera } } : true;
  const audio = microphone ? { deviceId: { exact: microphone } } : true;
  try {
    return await navigator.mediaDevices.getUserMedia({ video, audio });
  } catch (_) {
    try {
      return await navigator.mediaDevices.getUserMedia({ video: false, audio });
    } catch (_) {
      return null;
    }
  }
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
