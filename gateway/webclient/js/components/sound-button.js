// "Turn on sound", for a set of remote tiles (the participant's VideoGrid, the console's
// VideoTiles): shown exactly while the browser holds some remote sound back (media/autoplay.js),
// so a page opened anew, before the person touched it, does not leave them hearing nobody. It is
// the page's one primary action while shown: nothing else matters until people can be heard.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";

// → the button; `tiles` has `unmuteAll()` and calls `onSound(held)` when what is held changes.
export function soundButton(tiles) {
  const button = h("button", { type: "button", class: "button primary sound-held", hidden: true,
    dataset: { action: "sound" }, onclick: () => tiles.unmuteAll() },
  t("participant.room.enable_sound"));
  tiles.onSound = (held) => { button.hidden = !held; };
  return button;
}
