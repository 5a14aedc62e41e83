"""The tech-check peers this process runs: bounded in number, each ending itself."""

from __future__ import annotations

import asyncio
import logging

from aiortc import RTCConfiguration, RTCIceServer

from parley.failures import handled, note_failure
from proto.signalling import TechCheckAnswer

from .errors import Invalid, RateLimited
from .ice import IceSettings
from .techcheck_peer import TechCheck

log = logging.getLogger("parley.signalling.techcheck")


class TechChecks:
    def __init__(self, ice: IceSettings, *, max_checks: int, lifetime_s: float) -> None:
        servers = [RTCIceServer(urls=list(ice.stun_urls))] if ice.stun_urls else []
        self._configuration = RTCConfiguration(iceServers=servers)
        self._max = max_checks
        self._lifetime = lifetime_s
        self._checks: dict[str, TechCheck] = {}
        self._serial = 0

    def _prune(self) -> None:
        for key in [k for k, c in self._checks.items() if c.closed]:
            del self._checks[key]

    async def offer(self, sdp: str) -> TechCheckAnswer:
        self._prune()
        if len(self._checks) >= self._max:
            raise RateLimited("too many tech checks at once; try again shortly", retry_after_s=5)
        check = TechCheck(self._configuration, max_lifetime_s=self._lifetime)
        try:
            answer = await asyncio.wait_for(check.answer(sdp), 15)
        except Exception as exc:  # aiortc refuses bad SDP in many ways; the client sees one
            note_failure(log, "techcheck.answer", exc)
            await check.close()
            raise Invalid("the offer could not be answered") from None
        self._serial += 1
        check_id = f"tc{self._serial}"
        self._checks[check_id] = check
        return TechCheckAnswer(id=check_id, sdp=answer)

    async def close_all(self) -> None:
        for check in list(self._checks.values()):
            with handled(log, "techcheck.close"):
                await check.close()
        self._checks.clear()
