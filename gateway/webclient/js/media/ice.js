// ICE servers for the WebRTC mesh (camera and microphone: devices.js).

import { api, ApiError } from "../core/api.js";

// The RTCConfiguration for this participant: STUN/TURN with time-limited credentials, and
// relay-only when the institution demands it. With no ICE route (or no servers) peers still
// connect directly on a local network.
// Staff name the hearing (`hearing`); a participant's session is bound to one already.
export async function iceConfiguration(hearing) {
  const query = hearing ? `?hearing=${encodeURIComponent(hearing)}` : "";
  try {
    const config = await api("GET", `/api/v1/ice-servers${query}`);
    const rtc = { iceServers: config.iceServers || [] };
    if (config.iceTransportPolicy === "relay") rtc.iceTransportPolicy = "relay";
    return rtc;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { iceServers: [] };
    throw error;
  }
}

const GATHER_TIMEOUT_MS = 5000;

// Resolves once `pc` has gathered its ICE candidates (or after GATHER_TIMEOUT_MS): for a peer that
// does not trickle ICE, such as the tech check's echo peer, the offer carries them all.
export function gathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, GATHER_TIMEOUT_MS);
    pc.addEventListener("icegatheringstatechange", () => {
      if (pc.iceGatheringState === "complete") {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
