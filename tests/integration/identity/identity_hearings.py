"""Hearing-bound principals for the identity matrices, made through the REAL API of a suite.

    world = await hearing_world(suite)       # once per suite (memoised like staff_people)
    world.headers["partyA"]                  # cookie + Parley-CSRF of a redeemed invitation

What `hearing_world` does, every step a real request to the gateway:
- staff (tests/people.py): admin, `mediator` (a staff mediator of NO hearing), auditor;
- two more staff mediators: `medH` creates hearing H, opens it, adds sides A and B; `medG`
  creates hearing G (another mediator's hearing);
- `medH` invites party A, counsel A, party B and an observer; each invitation is redeemed with
  its access code, giving a real participant session bound to H (cookie + CSRF token);
- `medH` uploads one joint document into H (so document rows read a document that exists).

Names (the matrix columns): medH, medG, partyA, counselA, partyB, observer; `Member` holds the
participant id, role and side of each invitee.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import aiohttp

from tests.harness import Suite
from tests.people import CSRF_HEADER, SESSION_COOKIE, People, Staff, create_staff, staff_people

#: name → (role, side label or None)
INVITEES: dict[str, tuple[str, str | None]] = {
    "partyA": ("party", "A"), "counselA": ("counsel", "A"),
    "partyB": ("party", "B"), "observer": ("observer", None),
}


@dataclass
class Member:
    id: str
    role: str
    side: str | None
    headers: dict[str, str]


@dataclass
class HearingWorld:
    people: People
    med_h: Staff
    med_g: Staff
    hearing: str  # H
    other: str  # G
    sides: dict[str, str]  # "A"/"B" → side id in H
    members: dict[str, Member] = field(default_factory=dict)
    document: str = ""  # a joint document of H, uploaded by medH

    @property
    def headers(self) -> dict[str, dict[str, str]]:
        """Credentials of every hearing-bound principal (medH/medG are staff cookies)."""
        out = {"medH": self.med_h.headers(), "medG": self.med_g.headers()}
        out.update({name: m.headers for name, m in self.members.items()})
        return out


async def _ok(staff: Staff, method: str, path: str, body: Any, want: int) -> Any:
    status, reply = await staff.call(method, path, body)
    assert status == want, (method, path, status, reply)
    return reply


async def redeem(base_url: str, token: str, code: str) -> dict[str, str]:
    """Redeem an invitation; the participant session's headers (cookie + CSRF)."""
    async with aiohttp.ClientSession(base_url=base_url) as http, http.post(
            "/api/v1/invitations/redeem", json={"token": token, "access_code": code}) as r:
        reply = await r.json()
        assert r.status == 200, (r.status, reply)
        cookie = r.cookies[SESSION_COOKIE].value
    return {"Cookie": f"{SESSION_COOKIE}={cookie}", CSRF_HEADER: reply["csrf_token"]}


async def _upload_joint(staff: Staff, hearing: str) -> str:
    headers = {**staff.headers(), "Parley-Filename": "agenda.txt",
               "Parley-Compartment": "joint", "Content-Type": "text/plain"}
    async with aiohttp.ClientSession(base_url=staff.base_url, headers=headers) as http, \
            http.post(f"/api/v1/hearings/{hearing}/documents", data=b"the agenda") as r:
        reply = await r.json()
        assert r.status == 201, (r.status, reply)
    document: str = reply["document"]
    return document


async def hearing_world(suite: Suite) -> HearingWorld:
    world: HearingWorld | None = getattr(suite, "_parley_hearing_world", None)
    if world is not None:
        return world
    people = await staff_people(suite)
    await suite.ready()
    med_h = await create_staff(suite, people.admin, "mediator", "mediator-h")
    med_g = await create_staff(suite, people.admin, "mediator", "mediator-g")
    hearing = (await _ok(med_h, "POST", "/api/v1/hearings", {"title": "Matter H"}, 201))["id"]
    other = (await _ok(med_g, "POST", "/api/v1/hearings", {"title": "Matter G"}, 201))["id"]
    await _ok(med_h, "POST", f"/api/v1/hearings/{hearing}/open", {}, 200)
    await _ok(med_g, "POST", f"/api/v1/hearings/{other}/open", {}, 200)
    sides = {}
    for label in "AB":
        added = await _ok(med_h, "POST", f"/api/v1/hearings/{hearing}/sides",
                          {"name": f"Side {label}"}, 201)
        sides[label] = added["side"]["id"]
    world = HearingWorld(people=people, med_h=med_h, med_g=med_g, hearing=hearing, other=other,
                         sides=sides)
    for name, (role, side_label) in INVITEES.items():
        body: dict[str, Any] = {"name": name, "role": role}
        if side_label is not None:
            body["side"] = sides[side_label]
        issued = await _ok(med_h, "POST", f"/api/v1/hearings/{hearing}/participants", body, 201)
        headers = await redeem(suite.base_url, issued["token"], issued["access_code"])
        world.members[name] = Member(id=issued["participant"], role=role,
                                     side=None if side_label is None else sides[side_label],
                                     headers=headers)
    world.document = await _upload_joint(med_h, hearing)
    suite._parley_hearing_world = world  # type: ignore[attr-defined]
    return world
