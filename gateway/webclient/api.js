// Same-origin JSON calls to the gateway's REST API (DESIGN §8).
//
// A cookie session needs the `Parley-CSRF` header on state-changing requests; the token comes
// back in the sign-in or redemption reply and is kept for this tab only (sessionStorage).

const CSRF_KEY = "parley.csrf";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function rememberCsrf(token) {
  if (typeof token === "string" && token) sessionStorage.setItem(CSRF_KEY, token);
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const csrf = sessionStorage.getItem(CSRF_KEY);
  if (csrf && method !== "GET" && method !== "HEAD") headers["Parley-CSRF"] = csrf;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  const type = response.headers.get("Content-Type") || "";
  const data = type.startsWith("application/json") ? await response.json() : null;
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || "internal", error.message || response.statusText);
  }
  return data;
}

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

// Camera and microphone; a participant without them still joins, receive-only.
export async function localMedia() {
  try {
    return await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  } catch (_) {
    try {
      return await navigator.mediaDevices.getUserMedia({ video: false, audio: true });
    } catch (_) {
      return null;
    }
  }
}
