"""Hearing moves under load: the real gateway + signalling path against a raw WebSocket + NATS echo.

    python benchmarks/signalling_load.py [--quick] [--participants N] [--hearing-size K]
                                         [--move-rate R] [--seconds S] [--lock FILE]

Real processes on loopback: nats-server (Parley's config and permissions), one signalling
process and one gateway (`python -m services.signalling`, `python -m gateway`). A mediator and
K-1 participants per hearing (N sockets in all, mediators included) sign in for real (staff
password + TOTP; invitation + access code) and open `/api/v1/ws`; everyone is admitted to
plenary and each hearing gets one caucus. Then each hearing's mediator moves a random participant
between plenary and the caucus, all hearings at once, paced to R moves per second in total, for
S seconds. Measured per move: the time from the mediator's `move` frame to the LAST affected
client's `peer.plan` (the moved participant's own, a `drop` to everyone in the room it left, a
`connect` to everyone in the room it entered). The baseline runs in the same run with the same
sockets, hearings, fan-out and pacing through a bare aiohttp WebSocket server and a NATS echo
responder (WS frame → NATS request → one publish per affected client → WS frames): what the
transport alone costs. Memory: RSS growth of gateway + signalling from before the sockets open to
after all joined, per socket. Media: aiortc peers (mediator, A1, B1) in plenary; B1 is moved to a
caucus and the mediator follows; the time until both receive each other's frames over the new
connections.

Goals (what a live hearing needs to feel instant): move p99 < 50 ms and ≤ 2 times the baseline's p99; media switch ≤ 1 s.
Last stdout line: {"participants", "move_p50_ms", "move_p99_ms", "baseline_p99_ms", "ratio_p99",
"kib_per_participant", "media_switch_s"}. The parts live in benchmarks/sigload/.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.sigload.run import main

if __name__ == "__main__":
    main(__doc__.split("\n")[0] if __doc__ else "")
