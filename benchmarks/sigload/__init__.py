"""The signalling load benchmark (`benchmarks/signalling_load.py`), one concern per module.

* `stack`: the real processes (nats-server, signalling, gateway) on loopback.
* `participants`: hearings seated for real, sockets, and what each move must reach.
* `moves`: the paced move loop both paths share, and percentiles.
* `baseline`: the bare aiohttp WebSocket + NATS echo path, in its own processes.
* `media`: the time from a move to media flowing in the new room (aiortc peers).
* `report`: the human summary and the last-line JSON.
* `cpu`: CPU seconds per process during a phase (cost per move, steadier than latency).
* `run`: arguments and the order of the phases.
"""
