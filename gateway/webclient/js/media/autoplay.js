// Remote sound and the browser's autoplay policy: a remote video is played with its sound; a
// browser that refuses that before the person has touched the page (NotAllowedError) gets the
// picture muted instead, and the page offers "Turn on sound". That offer shows exactly while
// some remote sound is held back: a video that later plays with sound (a reconnect's new
// stream, after the person clicked anything on the page) or goes away takes its hold with it.

// Play `video` with its sound, else muted: true when its sound plays, false when it is held back.
export async function playRemote(video) {
  video.muted = false;
  try {
    await video.play();
    return true;
  } catch (_) {
    video.muted = true;
    video.play().catch(() => {}); // the picture at least (muted play is always allowed)
    return false;
  }
}

// Which remote videos have their sound held back, by key; `onChange(held)` hears when the
// answer to "is any held back?" changes.
export class SoundHolds {
  constructor(onChange = null) {
    this.keys = new Set();
    this.onChange = onChange;
    this.any = false;
  }

  set(key, held) {
    if (held) this.keys.add(key);
    else this.keys.delete(key);
    const any = this.keys.size > 0;
    if (any !== this.any) {
      this.any = any;
      if (this.onChange) this.onChange(any);
    }
  }

  has(key) {
    return this.keys.has(key);
  }
}
