"""README.md's "Using the API" example, run as written against a real suite.

The Python block is taken from the README verbatim and run in a fresh interpreter with the
mediator's credentials in its environment; then the API is asked whether it did what it says.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

from tests.harness import Suite
from tests.people import staff_people

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_example() -> str:
    section = README.read_text().split("\n## Using the API\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the section holds one Python example"
    return str(blocks[0])


def test_the_example_is_found_and_complete() -> None:
    code = readme_example()
    for path in ("/api/v1/auth/signin", "/api/v1/hearings", "/sides", "/participants",
                 "/documents"):
        assert path in code
    compile(code, "README.md", "exec")


async def test_readme_example_runs_verbatim(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    mediator = people.mediator
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    env.update(PARLEY_URL=suite.base_url, PARLEY_USER=mediator.username,
               PARLEY_PASSWORD=mediator.password, PARLEY_TOTP=await mediator.next_totp())
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", readme_example(), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    found = re.search(r"^hearing (\S+) document (\S+) sha256 ([0-9a-f]{64})$", out.decode(), re.M)
    assert found is not None, out.decode()
    hearing, document, sha256 = found.groups()
    assert re.search(r"^invitation: http://\S+/join#\S+ access code: \S+$", out.decode(), re.M)

    status, detail = await mediator.call("GET", f"/api/v1/hearings/{hearing}")
    assert status == 200 and detail["state"] == "open"
    assert sorted(s["name"] for s in detail["sides"]) == ["Claimant", "Respondent"]
    [ann] = [p for p in detail["roster"] if p["name"] == "Ann Smith"]
    claimant = next(s["id"] for s in detail["sides"] if s["name"] == "Claimant")
    assert (ann["role"], ann["side"]) == ("party", claimant)
    status, listed = await mediator.call("GET", f"/api/v1/hearings/{hearing}/documents")
    assert status == 200
    [doc] = listed["documents"]
    assert (doc["document"], doc["sha256"], doc["filename"], doc["compartment"]) == (
        document, sha256, "agreed facts.txt", "joint")
