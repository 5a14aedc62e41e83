// What a camera sends each peer of a mesh (pure). DESIGN §5 sizes a room for up to 8 people, so a
// page may encode and send its camera 7 times, each copy on its own connection, each encoder on
// its own: left alone, every connection's congestion control takes what it can of one shared
// uplink and every encoder runs at the camera's full rate. A party on a hotel's Wi-Fi, or a
// mediator on a modest laptop, then loses the whole room rather than some sharpness. So the
// copies share one upstream (UPSTREAM_BPS, within [MIN_BPS, MAX_BPS] each) and send fewer
// frames as they grow; a screen share is never budgeted (its detail is the point of it).

export const UPSTREAM_BPS = 2_500_000;
export const MIN_BPS = 250_000;
export const MAX_BPS = 1_200_000;

// The frame rate a copy may send, by the number of copies: [at most this many peers, fps].
const FRAME_RATES = [[2, 30], [4, 24], [Infinity, 15]];

// `peers`: how many connections carry the camera. {maxBitrate (bit/s), maxFramerate (fps)}.
export function cameraBudget(peers) {
  const copies = Math.max(1, peers);
  const share = Math.round(UPSTREAM_BPS / copies);
  return {
    maxBitrate: Math.min(MAX_BPS, Math.max(MIN_BPS, share)),
    maxFramerate: FRAME_RATES.find(([most]) => copies <= most)[1],
  };
}

// The sender parameters (`RTCRtpSender.getParameters()`) with `budget` on every encoding, or null
// when they carry it already or have no encoding yet (before negotiation: set again once stable).
export function budgeted(params, budget) {
  const encodings = params && params.encodings;
  if (!encodings || !encodings.length) return null;
  const same = encodings.every((e) => e.maxBitrate === budget.maxBitrate && e.maxFramerate === budget.maxFramerate);
  if (same) return null;
  return { ...params, encodings: encodings.map((e) => ({ ...e, ...budget })) };
}
