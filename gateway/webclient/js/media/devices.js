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

export function stopStream(stream) {
  if (!stream) return;
  for (const track of stream.getTracks()) track.stop();
}

export async function screenMedia() {
  return navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
}
