"""The benchmark's results: a human summary, then the last-line JSON (the keys signalling_load.py's goals are checked on)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from .moves import pct


@dataclass
class Results:
    participants: int
    real_ms: list[float]
    baseline_ms: list[float]
    rss_before: int
    rss_after: int
    switch_s: list[float]

    @property
    def kib_per_participant(self) -> float:
        return (self.rss_after - self.rss_before) / 1024 / self.participants

    def summary(self) -> list[str]:
        real, base = self.real_ms, self.baseline_ms
        p99, base99 = pct(real, 0.99), pct(base, 0.99)
        return [
            f"moves: {len(real)} real, {len(base)} baseline; real p50 {pct(real, 0.5):.1f} ms "
            f"p99 {p99:.1f} ms; baseline p50 {pct(base, 0.5):.1f} ms p99 {base99:.1f} ms; "
            f"ratio p99 {p99 / base99:.2f} (goal p99 < 50 ms and ratio <= 2)",
            f"memory: {self.kib_per_participant:.1f} KiB per participant "
            f"(gateway + signalling RSS {self.rss_before >> 20} → {self.rss_after >> 20} MiB)",
            f"media switch: {', '.join(f'{s:.3f}' for s in self.switch_s)} s (goal <= 1 s)",
        ]

    def as_json(self) -> dict[str, Any]:
        p99, base99 = pct(self.real_ms, 0.99), pct(self.baseline_ms, 0.99)
        return {"participants": self.participants,
                "move_p50_ms": round(pct(self.real_ms, 0.5), 2),
                "move_p99_ms": round(p99, 2), "baseline_p99_ms": round(base99, 2),
                "ratio_p99": round(p99 / base99, 2),
                "kib_per_participant": round(self.kib_per_participant, 1),
                "media_switch_s": round(statistics.median(self.switch_s), 3)}
