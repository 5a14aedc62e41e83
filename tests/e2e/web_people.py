"""People in browsers for the web flows: each participant in a Chromium of its own whose fake
camera shows one solid colour, so sampled pixels tell whose video a page shows.

    async with Cast.start(suite, tmp_path, {"A1": RED, "B1": BLUE}) as cast:
        page = cast.tabs["A1"]
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.browser import Tab, chromium, fake_camera, open_tab
from tests.harness import wait_until
from tests.people import Staff

RGB = tuple[int, int, int]
GREY: RGB = (128, 128, 128)
RED: RGB = (220, 40, 40)
GREEN: RGB = (40, 200, 60)
BLUE: RGB = (40, 70, 230)
YELLOW: RGB = (230, 210, 30)


@dataclass
class Cast:
    tabs: dict[str, Tab] = field(default_factory=dict)
    colours: dict[str, RGB] = field(default_factory=dict)

    @staticmethod
    @contextlib.asynccontextmanager
    async def start(base_url: str, folder: Path, colours: dict[str, RGB],
                    locale: str = "en-GB", rate: int = 15) -> AsyncIterator[Cast]:
        """A browser and tab per person, each camera of its colour at `rate` frames a second."""
        cast = Cast(colours=dict(colours))
        async with contextlib.AsyncExitStack() as stack:
            for name, rgb in colours.items():
                camera = fake_camera(folder / f"{name}.y4m", rgb, rate=rate)
                browser = await stack.enter_async_context(chromium(camera))
                tab = await open_tab(browser, base_url, locale=locale)
                stack.push_async_callback(tab.context.close)
                cast.tabs[name] = tab
            yield cast


# The average colour of a video element's current frame (None: no frame yet).
#: A page's function: the mean colour a <video> shows now (16 x 12 samples), or null before it
#: has a frame.
VIDEO_COLOUR = """(video) => {
  if (!video || video.readyState < 2 || !video.videoWidth) return null;
  const canvas = document.createElement("canvas");
  canvas.width = 16; canvas.height = 12;
  const g = canvas.getContext("2d");
  g.drawImage(video, 0, 0, 16, 12);
  const d = g.getImageData(0, 0, 16, 12).data;
  let r = 0, gr = 0, b = 0;
  for (let i = 0; i < d.length; i += 4) { r += d[i]; gr += d[i + 1]; b += d[i + 2]; }
  const n = d.length / 4;
  return [r / n, gr / n, b / n];
}"""
SAMPLE = f"(selector) => ({VIDEO_COLOUR})(document.querySelector(selector))"


async def sample(tab: Tab, selector: str) -> tuple[float, float, float] | None:
    value = await tab.page.evaluate(SAMPLE, selector)
    return tuple(value) if value else None  # type: ignore[return-value]


def near(colour: tuple[float, float, float] | None, rgb: RGB, tolerance: float = 45) -> bool:
    return colour is not None and all(abs(c - e) <= tolerance for c, e in zip(colour, rgb, strict=True))


async def remote_colours(tab: Tab) -> dict[str, tuple[float, float, float] | None]:
    """Each remote tile on a participant page → the colour its video shows now."""
    remote = ".video-grid figure.tile[data-kind=camera]:not(.self)"
    ids = await tab.value(f"[...document.querySelectorAll('{remote}')].map((f) => f.dataset.participant)")
    return {pid: await sample(tab, f'{remote}[data-participant="{pid}"] video') for pid in ids}


async def audit_actions(auditor: Staff, hearing: str, wanted: set[str]) -> list[dict[str, Any]]:
    """The hearing's audit entries once every `wanted` action is there (the log is async)."""
    entries: list[dict[str, Any]] = []

    async def complete() -> bool:
        entries.clear()
        cursor = ""
        while True:
            status, page = await auditor.call(
                "GET", f"/api/v1/audit/events?hearing={hearing}&limit=1000{cursor}")
            assert status == 200, page
            entries.extend(json.loads(row["entry"]) for row in page["events"])
            if not page.get("next_cursor"):
                break
            cursor = f"&cursor={page['next_cursor']}"
        return wanted <= {e["action"] for e in entries}

    await wait_until(complete, timeout=30, interval=0.5, what="every action in the audit log")
    return entries
