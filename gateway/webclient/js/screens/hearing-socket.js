// The participant's socket (screens/hearing.js): which server message goes where, a notice
// from the server, and a refused action. Methods of `HearingScreen`, kept here so the screen
// holds only its lifecycle.

import { t } from "../core/i18n.js";
import { fateOf } from "../components/document-retention.js";
import { toast } from "../components/toast.js";
import { FINAL, endedKind } from "./hearing-final.js";

export const socketWiring = {
  listen() {
    this.socket
      .on("snapshot", (m) => {
        this.pages.post("live");
        this.setStatus("participant.room.connected");
        this.hearers.offline(false);
        this.mesh.online(m.reconnect_grace_ms);
        this.syncMedia(m.view.you);
        this.update(m.view.you, m.view.room || null, { snapshot: true });
      })
      .on("you", (m) => this.update(m.you, this.room, { message: m }))
      .on("room", (m) => this.update(this.you, m.room, { message: m }))
      .on("peer.plan", (m) => {
        this.mesh.applyPlan(m);
        if (m.room === null || m.room === "lobby") this.update(this.you, null);
      })
      .on("signal", (m) => this.mesh.onSignal(m))
      .on("chat", (m) => this.chat.add(m))
      .on("chat.history", (m) => this.chat.history(m))
      .on("documents", (m) => this.documents.changed(m))
      .on("notice", (m) => this.notice(m))
      .on("error", (m) => this.refused(m))
      .on("close", (e) => {
        // One live page per person: a newer tab or window of yours took over (its session
        // is yours too). This one stops its camera at once and offers to take it back.
        if (e.code === 4000 && e.reason === "taken_over") this.finish("elsewhere");
        else if (e.code === 4001 && e.reason === "session expired") this.finish("expired");
        else if (e.code === 4000 || e.code === 4001) this.finish(e.reason === "ended" ? endedKind(this.liveState)
          : e.reason === "denied" ? "denied" : e.reason === "left" ? "left"
            : e.reason === "replaced" ? "replaced" : "removed");
        else if (!this.finished) {
          this.setStatus("participant.room.reconnecting");
          // Cut off: nobody hears you, whatever the last view of the room said; past the
          // server's grace, no connection to anyone is left either (Mesh.offline).
          this.hearers.offline(true);
          this.mesh.offline(() => this.setStatus("participant.room.reconnecting_closed"));
        }
      });
  },

  notice(m) {
    if (m.kind === "broadcast") this.notices.broadcast(m.text);
    else if (m.kind === "timer") this.timeUp(m);
    else if (FINAL[m.kind]) {
      if (m.kind === "ended") this.documentsFate = fateOf(m);
      this.finish(m.kind === "ended" ? endedKind(this.liveState) : FINAL[m.kind]);
    }
  },

  // The caucus you are in ran out of time: said with what happens next, in place of the move
  // that brought you there (old news by now; the banner says where you are and, with it gone,
  // whether the mediator is away), so the notices above the banner stay few.
  timeUp(m) {
    if (!this.you || (m.room && m.room !== this.you.room)) return;
    this.notices.forget("move");
    this.banner.sayAway = true;
    this.notices.timer("time_up");
    this.drawPresence();
  },

  refused(m) {
    // The mesh's own messages are mended by the mesh (mesh.js `mend`): nothing to tell a person.
    if (m.about === "signal" || m.about === "peer.state") return;
    if (m.about === "leave") this.stayed();
    if (m.about === "chat") this.chat.refused(m);
    else if (m.about) toast(() => t("participant.error.action", { action: t(`participant.action.${m.about}`) }), { kind: "error" });
  }
};
