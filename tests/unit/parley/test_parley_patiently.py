"""`parley.natsconn.patiently`: a process's own NATS call tried again while NATS is unavailable
(a node restarting, a stream electing its leader), within its patience; nothing else retried."""

from __future__ import annotations

import asyncio

import nats.errors
import nats.js.errors
import pytest

from parley import natsconn
from parley.natsconn import patiently


@pytest.fixture(autouse=True)
def quick_back_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(natsconn, "RETRY_FIRST_S", 0.001)
    monkeypatch.setattr(natsconn, "RETRY_LAST_S", 0.004)


class Flaky:
    """Fails with `errors` in turn, then answers "ok"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


async def test_an_election_is_waited_out() -> None:
    call = Flaky(nats.js.errors.NoStreamResponseError(), nats.errors.TimeoutError(),
                 nats.js.errors.ServiceUnavailableError())
    assert await patiently(call, what="test", patience_s=5) == "ok"
    assert call.calls == 4


async def test_past_its_patience_the_last_error_is_raised() -> None:
    call = Flaky(*[nats.errors.NoRespondersError() for _ in range(1000)])
    started = asyncio.get_running_loop().time()
    with pytest.raises(nats.errors.NoRespondersError):
        await patiently(call, what="test", patience_s=0.05)
    assert asyncio.get_running_loop().time() - started < 1
    assert 3 <= call.calls < 1000


@pytest.mark.parametrize("error", [nats.js.errors.NotFoundError(), ValueError("bug")])
async def test_an_answer_that_is_not_unavailable_is_raised_at_once(error: Exception) -> None:
    call = Flaky(error)
    with pytest.raises(type(error)):
        await patiently(call, what="test", patience_s=5)
    assert call.calls == 1


pytestmark = pytest.mark.asyncio
