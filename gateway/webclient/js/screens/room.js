// The participant page: redeem an invitation (or use a signed-in staff session), open the
// hearing WebSocket, follow the server's peer plans and show who is in the room.
//
// `/join#t=<token>`: the invitation link. The token rides in the fragment, so it never reaches
// a server log or a Referer; it is removed from the address bar as soon as it is read.
// `/?hearing=<id>`: a signed-in staff member (the mediator) joining its own hearing.

import { api, rememberCsrf } from "../core/api.js";
import { describe } from "../core/errors.js";
import { formatCountdown, t } from "../core/i18n.js";
import { h, mount as mountNodes } from "../core/render.js";
import { HearingSocket, socketUrl } from "../core/socket.js";
import { iceConfiguration, localMedia } from "../media/ice.js";
import { Mesh } from "../media/mesh.js";

const $ = (id) => document.getElementById(id);

function setStatus(text) {
  $("status").textContent = text;
}

function invitationToken() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get("t");
  if (token) history.replaceState(null, "", location.pathname + location.search);
  return token;
}

function redeem(token) {
  return new Promise((resolve) => {
    const form = $("redeem");
    form.hidden = false;
    setStatus(t("participant.redeem.waiting"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      $("redeem-error").textContent = "";
      try {
        const reply = await api("POST", "/api/v1/invitations/redeem", {
          token,
          access_code: $("access-code").value.trim(),
        });
        rememberCsrf(reply && reply.csrf_token);
        form.hidden = true;
        resolve(reply);
      } catch (error) {
        $("redeem-error").textContent = describe(error, "participant.redeem");
      }
    });
  });
}

function tileFor(id) {
  let tile = document.querySelector(`#videos figure[data-participant="${CSS.escape(id)}"]:not(.self)`);
  if (!tile) {
    tile = document.createElement("figure");
    tile.className = "tile remote";
    tile.dataset.participant = id;
    tile.dataset.receiving = "no";
    tile.dataset.framesDecoded = "0";
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement("figcaption");
    caption.textContent = names.get(id) || t("participant.room.someone");
    tile.append(video, caption);
    $("videos").append(tile);
  }
  return tile;
}

const names = new Map();

function showRemote(id, stream) {
  const video = tileFor(id).querySelector("video");
  if (video.srcObject !== stream) video.srcObject = stream;
  video.play().catch(() => {
    // Autoplay with sound needs a gesture: play muted now, offer to enable sound.
    video.muted = true;
    video.play().catch(() => {});
    $("enable-sound").hidden = false;
  });
}

function removeRemote(id) {
  const tile = document.querySelector(`#videos figure[data-participant="${CSS.escape(id)}"]:not(.self)`);
  if (tile) tile.remove();
}

function showStats(id, stats) {
  const tile = tileFor(id);
  tile.dataset.framesDecoded = String(stats.framesDecoded);
  tile.dataset.audioBytes = String(stats.audioBytes);
  tile.dataset.state = stats.state;
  tile.dataset.receiving = stats.framesDecoded > 0 ? "yes" : "no";
}

// How long this page took to show a change after the server's message arrived.
function measured(message) {
  requestAnimationFrame(() => performance.measure("parley.room", { start: message.receivedAt, end: performance.now() }));
}

function tickTimer() {
  const timer = $("room-timer");
  if (!timer) return;
  const deadline = Number(timer.dataset.deadline);
  timer.hidden = !deadline;
  if (deadline) timer.textContent = t("participant.room.time_left", { time: formatCountdown((deadline - Date.now()) / 1000) });
}

// A broadcast stays on screen until the person acknowledges it.
function showBroadcast(text) {
  const box = h("div", { class: "broadcast", role: "alert" },
    h("p", null, h("strong", null, t("participant.room.broadcast")), " ", text));
  box.append(h("button", { type: "button", class: "button small", onclick: () => box.remove() },
    t("participant.room.dismiss")));
  $("broadcasts").append(box);
  box.querySelector("button").focus();
}

function showRoom(you, room) {
  const banner = $("room-banner");
  const kind = (room && room.kind) || you.room_kind || "lobby";
  banner.dataset.kind = kind;
  banner.dataset.room = (room && room.id) || you.room || "";
  banner.textContent = kind === "lobby"
    ? t("participant.room.lobby")
    : kind === "plenary" ? t("participant.room.plenary")
      : t("participant.room.caucus", { room: room ? room.name : "" });
  banner.className = "banner room-banner";
  banner.dataset.roomKind = kind;
  if (room && room.colour) banner.dataset.colour = room.colour; else delete banner.dataset.colour;
  const deadline = room && room.deadline;
  $("room-timer").dataset.deadline = deadline ? String(deadline) : "";
  tickTimer();
  const knock = $("knock");
  knock.hidden = kind === "lobby";
  knock.setAttribute("aria-pressed", String(Boolean(you.knocking)));
  knock.textContent = t(you.knocking ? "participant.room.knocking" : "participant.room.knock");
  $("lock-badge").hidden = !you.locked;
  const list = $("members");
  list.replaceChildren();
  for (const member of (room && room.members) || []) {
    names.set(member.id, member.name);
    const item = document.createElement("li");
    item.dataset.participant = member.id;
    item.dataset.hand = String(member.hand);
    item.textContent = member.muted ? t("participant.room.muted_name", { name: member.name }) : member.name;
    list.append(item);
    const tile = document.querySelector(`#videos figure[data-participant="${CSS.escape(member.id)}"]:not(.self)`);
    if (tile) tile.querySelector("figcaption").textContent = member.name;
  }
}

async function main() {
  const token = invitationToken();
  if (token) await redeem(token);
  let me;
  try {
    me = await api("GET", "/api/v1/me", undefined, { expect401: true });
  } catch (error) {
    setStatus(t("participant.room.no_session"));
    return;
  }
  rememberCsrf(me && me.csrf_token);
  const hearing = new URLSearchParams(location.search).get("hearing") || me.hearing;
  setStatus(t("participant.room.preparing"));
  const [rtcConfig, stream] = await Promise.all([iceConfiguration(hearing), localMedia()]);
  if (stream) $("self-video").srcObject = stream;
  $("self").dataset.participant = me.id || "";
  $("hearing").hidden = false;
  $("enable-sound").addEventListener("click", () => {
    for (const video of document.querySelectorAll("#videos .remote video")) video.muted = false;
    $("enable-sound").hidden = true;
  });

  let you = null;
  let room = null;
  const socket = new HearingSocket(socketUrl(), {
    onOpen: (s) => { if (hearing) s.send({ type: "join", hearing }); },
  });
  const mesh = new Mesh({
    send: (message) => socket.send(message),
    rtcConfig,
    localStream: stream,
    onRemote: showRemote,
    onGone: removeRemote,
    onStats: showStats,
  });
  socket
    .on("snapshot", (m) => {
      you = m.view.you;
      room = m.view.room || null;
      showRoom(you, room);
      measured(m);
      setStatus(t("participant.room.connected"));
    })
    .on("you", (m) => { you = m.you; showRoom(you, room); measured(m); })
    .on("room", (m) => { room = m.room; if (you) showRoom(you, room); measured(m); })
    .on("peer.plan", (m) => {
      mesh.applyPlan(m);
      if (m.room === null) { room = null; if (you) showRoom(you, null); }
    })
    .on("signal", (m) => mesh.onSignal(m))
    .on("notice", (m) => {
      if (m.kind === "broadcast") showBroadcast(m.text);
      else if (m.kind === "timer") setStatus(t("participant.room.time_up"));
      else setStatus(m.text || m.kind);
    })
    .on("error", (m) => console.warn("server refused a message", m.code, m.message))
    .on("close", (e) => {
      // Peers survive a short socket blip; the snapshot and plan after reconnect resync them.
      setStatus(e.code >= 4000 && e.code < 5000 ? t("participant.room.disconnected") : t("participant.room.reconnecting"));
      if (e.code >= 4000 && e.code < 5000) mesh.stop();
    });
  setStatus(t("participant.room.connecting"));
  $("knock").addEventListener("click", () => {
    socket.send({ type: "knock", on: !(you && you.knocking) });
  });
  const ticker = setInterval(tickTimer, 1000);
  socket.open();
  stopAll = () => { clearInterval(ticker); socket.close(); mesh.stop(); if (stream) stream.getTracks().forEach((tr) => tr.stop()); };
}

let stopAll = () => {};

export function mount(root) {
  mountNodes(root, h("section", { class: "room-screen" },
    h("div", { class: "page-head" },
      h("h1", { class: "visually-hidden" }, t("participant.hearing.title")),
      h("p", { id: "room-banner", class: "banner", "data-room": "", "data-kind": "" }, t("participant.room.not_connected")),
      h("span", { id: "lock-badge", class: "badge locked", hidden: true }, "🔒 ", t("participant.room.locked")),
      h("span", { id: "room-timer", class: "timer", role: "timer", hidden: true, "data-deadline": "" }),
      h("button", { id: "knock", type: "button", class: "button small", hidden: true, "aria-pressed": "false" }, t("participant.room.knock")),
      h("p", { id: "status", class: "status", role: "status" }, "…")),
    h("div", { id: "broadcasts", class: "broadcasts" }),
    h("form", { id: "redeem", class: "card stack narrow", hidden: true },
      h("h2", null, t("participant.redeem.title")),
      h("p", null, t("participant.redeem.lede")),
      h("div", { class: "field" },
        h("label", { for: "access-code" }, t("participant.redeem.code")),
        h("input", { id: "access-code", name: "access_code", autocomplete: "one-time-code", required: true, maxlength: "32" })),
      h("button", { type: "submit", class: "button primary" }, t("participant.redeem.submit")),
      h("p", { id: "redeem-error", class: "form-error", role: "alert" })),
    h("section", { id: "hearing", hidden: true },
      h("div", { id: "videos", class: "videos", "aria-label": t("participant.room.videos") },
        h("figure", { id: "self", class: "tile self", "data-participant": "" },
          h("video", { id: "self-video", autoplay: true, playsInline: true, muted: true }),
          h("figcaption", null, t("participant.room.you")))),
      h("button", { id: "enable-sound", type: "button", class: "button", hidden: true }, t("participant.room.enable_sound")),
      h("ul", { id: "members", class: "members", "aria-label": t("participant.room.people") }))));
  main().catch((error) => {
    console.error(error);
    setStatus(describe(error));
  });
  return { unmount: () => stopAll() };
}
