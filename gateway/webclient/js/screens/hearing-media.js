// The participant's own camera, microphone and screen (screens/hearing.js): the controls,
// the waiting room's device pickers, and Try again in a room. Methods of `HearingScreen`, kept
// here so the screen holds only its lifecycle.

import { t } from "../core/i18n.js";
import { adoptTracks } from "../components/device-notice.js";
import { announce, toast } from "../components/toast.js";
import { openLocalMedia, screenMedia, stopStream, switchTrack } from "../media/devices.js";

export const mediaControls = {
  setMic(on) {
    this.socket.send(switchTrack(this.stream, "mic", on));
  },

  setCamera(on) {
    this.lobby.setCameraOff(!on);
    this.socket.send(switchTrack(this.stream, "camera", on));
  },

  // On every snapshot the server and this page agree on your microphone and camera, as you
  // chose them last: a new page (a reload) takes the server's word, before any connection
  // opens (you muted, then reloaded: still muted, its tracks silent, not live under a "muted"
  // badge); a page back from a cut tells the server what it holds (set while cut off, it
  // never arrived).
  syncMedia(you) {
    const told = { mic: !you.muted, camera: !you.camera_off };
    const chosen = this.synced ? { ...this.controls.state } : told;
    this.synced = true;
    this.controls.set({ mic: chosen.mic, camera: chosen.camera });
    this.lobby.setCameraOff(!chosen.camera);
    for (const what of ["mic", "camera"]) {
      const message = switchTrack(this.stream, what, chosen[what]);
      if (chosen[what] !== told[what]) this.socket.send(message);
    }
  },

  async setScreen(on) {
    if (!on) {
      this.mesh.stopScreen();
      this.grid.removeRemote(`${this.you.id}`, "local-screen");
      return true;
    }
    let screen;
    try {
      screen = await screenMedia();
    } catch (_) {
      toast(() => t("participant.controls.screen_refused"), { kind: "error" });
      return false;
    }
    screen.getVideoTracks()[0].addEventListener("ended", () => this.controls.set({ screen: false }));
    await this.mesh.startScreen(screen);
    return true;
  },

  // {stream, trouble} (media/devices.js openLocalMedia); the stream in use changes only when
  // a new one opened.
  async switchDevices(choice) {
    const opened = await openLocalMedia(choice);
    const next = opened.stream;
    if (!next) return opened;
    stopStream(this.stream);
    this.stream = next;
    this.mediaTrouble = opened.trouble;
    this.mesh.localStream = next;
    // New tracks start live: as the controls stand (a microphone you muted stays muted).
    for (const what of ["mic", "camera"]) switchTrack(next, what, this.controls.state[what]);
    this.controls.enable({ mic: next.getAudioTracks().length > 0, camera: next.getVideoTracks().length > 0 });
    return opened;
  },

  // In a room: what the others do not get of your camera and microphone, and why (the
  // sentence with Try again; "who can hear you" says nobody while the microphone sends nothing).
  showDevices() {
    const audio = Boolean(this.stream && this.stream.getAudioTracks().length);
    this.devices.update(this.stream, this.mediaTrouble);
    this.hearers.microphone(audio ? null : this.mediaTrouble || "none");
  },

  // Try again in a room: what opened is sent to everyone in it at once (Mesh.useLocalStream),
  // in the stream already sent, as the controls stand (a microphone you muted stays muted).
  async retryDevices() {
    const { stream, trouble } = await openLocalMedia();
    if (this.finished || this.leaving) { stopStream(stream); return; }
    if (stream) {
      this.stream = adoptTracks(this.stream, stream);
      this.mediaTrouble = trouble;
      const { mic, camera } = this.controls.state;
      this.controls.enable({ mic: this.stream.getAudioTracks().length > 0,
        camera: this.stream.getVideoTracks().length > 0 });
      this.socket.send(switchTrack(this.stream, "mic", mic));
      this.socket.send(switchTrack(this.stream, "camera", camera));
      this.mesh.useLocalStream(this.stream);
      this.grid.setLocal(this.me.id || this.you.id, this.stream);
    } else {
      this.mediaTrouble = trouble;
    }
    this.showDevices();
    announce(t(this.devices.key || "participant.room.devices_ok"));
  }
};
