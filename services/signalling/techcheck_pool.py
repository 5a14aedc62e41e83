"""The tech-check peers this process runs: bounded in number, each ending itself."""

from __future__ import annotations

import asyncio
import logging

from aiortc import RTCConfiguration, RTCIceServer

from parley.failures import handled, note_failure
from proto.principal import Principal
from proto.signalling import TechCheckAnswer

from .errors import Invalid
from .ice import IceSettings
from .techcheck_admission import Holder, admit, validate_offer
from .techcheck_peer import TechCheck

log = logging.getLogger("parley.signalling.techcheck")


class TechChecks:
    """The running checks and who holds each; admission rules in techcheck_admission.py."""

    def __init__(self, ice: IceSettings, *, max_checks: int, lifetime_s: float,
                 per_hearing: int | None = None) -> None:
        servers = [RTCIceServer(urls=list(ice.stun_urls))] if ice.stun_urls else []
        self._configuration = RTCConfiguration(iceServers=servers)
        self._max = max_checks
        self._per_hearing = per_hearing if per_hearing is not None else max(1, max_checks // 2)
        self._lifetime = lifetime_s
        self._checks: dict[str, tuple[TechCheck, Holder]] = {}
        self._serial = 0

    def _prune(self) -> None:
        for key in [k for k, (c, _) in self._checks.items() if c.closed]:
            del self._checks[key]

    @property
    def running(self) -> dict[str, Holder]:
        self._prune()
        return {cid: holder for cid, (_, holder) in self._checks.items()}

    async def offer(self, sdp: str, principal: Principal) -> TechCheckAnswer:
        validate_offer(sdp)  # before any slot is taken
        holder = Holder.of(principal)
        for replaced in admit(holder, self.running, max_checks=self._max,
                              per_hearing=self._per_hearing):
            check, _ = self._checks.pop(replaced)
            await check.close()
        self._serial += 1
        check_id = f"tc{self._serial}"
        check = TechCheck(self._configuration, max_lifetime_s=self._lifetime)
        self._checks[check_id] = (check, holder)  # held while answering, too
        try:
            answer = await asyncio.wait_for(check.answer(sdp), 15)
        except Exception as exc:  # aiortc refuses bad SDP in many ways; the client sees one
            note_failure(log, "techcheck.answer", exc)
            self._checks.pop(check_id, None)
            await check.close()
            raise Invalid("the offer could not be answered") from None
        return TechCheckAnswer(id=check_id, sdp=answer)

    async def close_all(self) -> None:
        for check, _ in list(self._checks.values()):
            with handled(log, "techcheck.close"):
                await check.close()
        self._checks.clear()
