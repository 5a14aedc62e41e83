"""CPU seconds each process spent during a phase: a cost per move that a loaded machine
changes far less than it changes latency (a descheduled process waits, it does not spend)."""

from __future__ import annotations

import psutil


class CpuMeter:
    """CPU seconds each process spent between `start` and `stop` (a move phase)."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.before: dict[str, float] = {}
        self.used: dict[str, float] = {}

    @staticmethod
    def _cpu(proc: psutil.Process) -> float:
        times = proc.cpu_times()
        return float(times.user + times.system)

    def start(self) -> None:
        self.before = {n: self._cpu(p) for n, p in self.procs.items()}

    def stop(self) -> dict[str, float]:
        self.used = {n: self._cpu(p) - self.before[n] for n, p in self.procs.items()}
        return self.used
