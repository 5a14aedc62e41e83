"""Every gateway's heartbeat, heard by this process itself (`proto.signalling.BEAT_SUBJECT`).

The `alive` request reaches one signalling process; this plain subscription gives every process
each beat over core NATS, so a sweeper judges a gateway by what it heard, not only by what the
process that answered managed to write to KV (writes fail while a JetStream cluster elects the
bucket's leader). A malformed beat is dropped: only gateways publish here (infra/nats).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import msgspec
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

from proto.signalling import BEAT_SUBJECT, GatewayAlive

from .store import HearingStore

log = logging.getLogger("parley.signalling.beats")
_decoder = msgspec.json.Decoder(GatewayAlive)


async def listen(nc: Client, store: HearingStore, now_ms: Callable[[], int]) -> Subscription:
    async def heard(msg: Msg) -> None:
        try:
            beat = _decoder.decode(msg.data)
        except (msgspec.ValidationError, msgspec.DecodeError):
            log.warning("malformed gateway heartbeat dropped")
            return
        store.heard(beat.instance, now_ms())

    return await nc.subscribe(BEAT_SUBJECT, cb=heard)
