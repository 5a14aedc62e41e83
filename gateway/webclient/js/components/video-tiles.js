// Video tiles for one room: your own camera and each peer's, named from the room view, with
// what actually arrives (frames decoded) kept on the tile for the "who can see whom" display.

import { t } from "../core/i18n.js";
import { h } from "../core/render.js";

export class VideoTiles {
  constructor() {
    this.names = new Map();
    this.grid = h("div", { class: "videos console-videos", role: "group", "aria-label": t("mediator.video.label") });
    this.self = h("figure", { class: "tile self", "data-participant": "" },
      h("video", { autoplay: true, playsInline: true, muted: true }),
      h("figcaption", null, t("mediator.video.you")));
    this.grid.append(this.self);
  }

  showSelf(id, stream) {
    this.self.dataset.participant = id;
    if (stream) this.self.querySelector("video").srcObject = stream;
  }

  tile(id) {
    let tile = this.grid.querySelector(`figure.remote[data-participant="${CSS.escape(id)}"]`);
    if (!tile) {
      tile = h("figure", { class: "tile remote", "data-participant": id, "data-frames-decoded": "0" },
        h("video", { autoplay: true, playsInline: true }),
        h("figcaption", null, this.names.get(id) || t("mediator.video.someone")));
      this.grid.append(tile);
    }
    return tile;
  }

  showRemote(id, stream) {
    const video = this.tile(id).querySelector("video");
    if (video.srcObject !== stream) video.srcObject = stream;
    video.play().catch(() => { video.muted = true; video.play().catch(() => {}); });
  }

  remove(id) {
    const tile = this.grid.querySelector(`figure.remote[data-participant="${CSS.escape(id)}"]`);
    if (tile) tile.remove();
  }

  stats(id, stats) {
    const tile = this.tile(id);
    tile.dataset.framesDecoded = String(stats.framesDecoded);
    tile.dataset.state = stats.state;
  }

  setRoom(room) {
    for (const member of (room && room.members) || []) {
      this.names.set(member.id, member.name);
      const tile = this.grid.querySelector(`figure.remote[data-participant="${CSS.escape(member.id)}"] figcaption`);
      if (tile) tile.textContent = member.name;
    }
  }
}
