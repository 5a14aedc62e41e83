"""`SharedPasses` (gateway/identity/shared_passes.py), with a pass that only records what it was
given: requests asked for together share one pass, a request never joins a pass already under
way, an error reaches exactly its pass's requests, and a caller that gives up stops no one."""

from __future__ import annotations

import asyncio
import gc

import pytest

from gateway.identity.shared_passes import SharedPasses


class Walker:
    """A pass that records each batch and holds until `go` is set (its walk over the bucket)."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.go = asyncio.Event()
        self.go.set()
        self.fail_next = False

    async def __call__(self, batch: list[str]) -> list[str]:
        self.batches.append(list(batch))
        await self.go.wait()
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("the bucket went away")
        return list(batch)


async def test_requests_asked_for_together_share_one_pass() -> None:
    walker = Walker()
    passes = SharedPasses(walker)
    outcomes = await asyncio.gather(*(passes.submit(f"p{i}") for i in range(64)))
    assert passes.passes == 1 and len(walker.batches) == 1
    assert all(f"p{i}" in outcome for i, outcome in enumerate(outcomes))


async def test_a_request_arriving_mid_pass_waits_for_the_next_one() -> None:
    walker = Walker()
    walker.go.clear()
    passes = SharedPasses(walker)
    first = asyncio.create_task(passes.submit("early"))
    while not walker.batches:
        await asyncio.sleep(0)
    late = [asyncio.create_task(passes.submit(f"late{i}")) for i in range(10)]
    await asyncio.sleep(0)
    assert walker.batches == [["early"]]  # the pass under way is not theirs
    walker.go.set()
    assert await first == ["early"]
    served = await asyncio.gather(*late)
    assert walker.batches[1] == [f"late{i}" for i in range(10)]
    assert passes.passes == 2 and all(outcome == walker.batches[1] for outcome in served)


async def test_an_error_reaches_its_pass_and_the_next_pass_still_runs() -> None:
    walker = Walker()
    walker.go.clear()
    walker.fail_next = True
    passes = SharedPasses(walker)
    doomed = [asyncio.create_task(passes.submit(f"a{i}")) for i in range(3)]
    while not walker.batches:
        await asyncio.sleep(0)
    after = asyncio.create_task(passes.submit("b"))
    await asyncio.sleep(0)
    walker.go.set()
    for task in doomed:
        with pytest.raises(ConnectionError):
            await task
    assert await after == ["b"]


async def test_a_caller_that_gives_up_leaves_the_pass_to_the_others() -> None:
    walker = Walker()
    walker.go.clear()
    passes = SharedPasses(walker)
    impatient = asyncio.create_task(passes.submit("x"))
    patient = asyncio.create_task(passes.submit("y"))
    while not walker.batches:
        await asyncio.sleep(0)
    impatient.cancel()
    with pytest.raises(asyncio.CancelledError):
        await impatient
    walker.go.set()
    assert await patient == ["x", "y"]


async def test_a_pass_that_failed_with_nobody_left_waiting_is_quiet_and_the_next_is_served(
        ) -> None:
    """Its error read by no caller is no "Future exception was never retrieved" report."""
    reports: list[dict[str, object]] = []
    asyncio.get_running_loop().set_exception_handler(lambda loop, context: reports.append(context))
    walker = Walker()
    walker.go.clear()
    walker.fail_next = True
    passes = SharedPasses(walker)
    alone = asyncio.create_task(passes.submit("z"))
    while not walker.batches:
        await asyncio.sleep(0)
    alone.cancel()
    walker.go.set()
    with pytest.raises(asyncio.CancelledError):
        await alone
    assert await passes.submit("next") == ["next"]
    gc.collect()
    assert reports == []
