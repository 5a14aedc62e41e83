"""The last-active-admin rule under concurrency, against the real suite: the last two active
administrators take each other's rights away in the same instant (two real PATCH requests sent
together with `asyncio.gather`), thirty times over, by disabling or demoting. Every time exactly
one request succeeds, the other is refused as a `conflict` with reason `last_admin` (or, when the
machine is so busy that it arrives after the first was done, as a session the first change
ended: 401, `disabled` for a disabling), and one active administrator is left. Each round starts from two new administrators (the one left by
the round before creates them; one of them disables it), because the loser of a round has its
sessions ended by its own account's change and signing in again would wait for a TOTP step."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from tests.harness import Suite
from tests.integration.identity.identity_support import HIGH_LIMITS
from tests.people import Staff, create_staff, staff_people

ROUNDS = 30
#: What each of the two administrators asks for the other, round by round.
CHANGES: tuple[tuple[dict[str, Any], dict[str, Any]], ...] = (
    ({"disabled": True}, {"disabled": True}),
    ({"disabled": True}, {"role": "mediator"}),
    ({"role": "auditor"}, {"role": "mediator"}),
)


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    """Its own suite: the first administrator is disabled in the first round."""
    running = Suite(data_dir=tmp_path_factory.mktemp("suite") / "data", extra_env=HIGH_LIMITS)
    running.start()
    yield running
    running.stop()


async def _active_admins(staff: Staff) -> set[str]:
    status, listed = await staff.call("GET", "/api/v1/accounts")
    assert status == 200, listed
    return {a["id"] for a in listed["accounts"]
            if a["role"] == "admin" and not a.get("disabled", False)}


@pytest.mark.slow  # a race over 60 accounts: `make slow` (in CI), not `make test`'s 15 minutes
@pytest.mark.timeout(300)  # ~40 s on an idle machine: 60 accounts made, each signed in
async def test_two_admins_taking_each_other_away_at_once_leave_one(suite: Suite) -> None:
    await suite.ready()
    survivor = (await staff_people(suite)).admin
    refusals = 0
    for n in range(ROUNDS):
        first, second = [await create_staff(suite, survivor, "admin", f"race-{n}-{who}")
                         for who in ("a", "b")]
        status, reply = await first.call("PATCH", f"/api/v1/accounts/{survivor.account_id}",
                                         {"disabled": True})
        assert status == 200, reply
        assert await _active_admins(first) == {first.account_id, second.account_id}

        to_second, to_first = CHANGES[n % len(CHANGES)]
        (status_1, reply_1), (status_2, reply_2) = await asyncio.gather(
            first.call("PATCH", f"/api/v1/accounts/{second.account_id}", to_second),
            second.call("PATCH", f"/api/v1/accounts/{first.account_id}", to_first))

        outcome = sorted([(status_1, reply_1), (status_2, reply_2)], key=lambda r: r[0])
        assert outcome[0][0] == 200 and outcome[1][0] in (401, 409), (n, outcome)
        survivor = first if status_1 == 200 else second
        refused = outcome[1][1]["error"]
        if outcome[1][0] == 409:  # both were in flight: the rule refused the second
            assert (refused["code"], refused.get("reason")) == ("conflict", "last_admin"), (n, refused)
        else:  # on a busy machine the second came after the first had ended its session
            change = to_second if survivor is first else to_first
            assert refused["code"] == "unauthenticated", (n, refused)
            assert refused.get("reason") == ("disabled" if "disabled" in change else None), (n, refused)
        refusals += 1
        assert await _active_admins(survivor) == {survivor.account_id}, n
    assert refusals == ROUNDS
