"""What a mediator does in the browser, step by step, in any language (names from the catalogue).

Each step acts through clicks, keys and drags on the page exactly as a person would, and waits
for the page to show the result (never for a fixed time).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from tests.browser import Tab
from tests.e2e.staff_steps import t


@dataclass
class Invited:
    name: str
    role: str
    side: str
    link: str
    code: str
    participant: str


@dataclass
class Mediator:
    tab: Tab
    lang: str
    invited: dict[str, Invited] = field(default_factory=dict)

    @property
    def page(self) -> Page:
        return self.tab.page

    def t(self, key: str, **params: object) -> str:
        return t(self.lang, key, **params)

    async def button(self, key: str, **params: object) -> None:
        await self.page.get_by_role("button", name=self.t(key, **params), exact=True).click()

    async def create_hearing(self, title: str, when: str = "", zone: str = "") -> str:
        page = self.page
        await page.locator("#new-hearing").click()
        await page.get_by_label(self.t("mediator.create.name"), exact=True).fill(title)
        if when:
            await page.get_by_label(self.t("mediator.create.when"), exact=True).fill(when)
            await page.get_by_label(self.t("mediator.create.zone"), exact=True).select_option(zone)
        await self.button("mediator.create.submit")
        await page.get_by_role("heading", name=title, exact=True).wait_for()
        return page.url.rstrip("/").split("/")[-2]

    async def add_side(self, name: str) -> None:
        page = self.page
        await page.get_by_label(self.t("mediator.setup.side_name"), exact=True).fill(name)
        await self.button("mediator.setup.add_side")
        await page.locator(".side-list li", has_text=name).wait_for()

    async def invite(self, name: str, role: str, side: str, letter: str | None = None) -> Invited:
        """Invite someone; `letter`: the invitation's language (default: the page's)."""
        page = self.page
        await page.get_by_label(self.t("mediator.setup.person_name"), exact=True).fill(name)
        await page.get_by_label(self.t("mediator.setup.role"), exact=True).select_option(role)
        await page.get_by_label(self.t("mediator.setup.side"), exact=True).select_option(label=side)
        language = page.get_by_label(self.t("mediator.setup.letter_language"), exact=True)
        assert await language.input_value() == self.lang  # the mediator's own, unless changed
        if letter is not None:
            await language.select_option(letter)
        cards = page.locator(".invite-once")
        before = {await c.get_attribute("data-participant") for c in await cards.all()}
        await self.button("mediator.setup.invite")
        # Cards stack, the newest first: wait for this invitation's own card (the earlier first
        # card is on the page until the new one is put above it).
        panel = cards.first
        deadline = asyncio.get_running_loop().time() + 20
        while await cards.count() == 0 or await panel.get_attribute("data-participant") in before:
            assert asyncio.get_running_loop().time() < deadline, f"no invitation card for {name}"
            await asyncio.sleep(0.05)
        person = Invited(name=name, role=role, side=side,
                         link=await panel.locator("[data-secret=link]").inner_text(),
                         code=await panel.locator("[data-secret=code]").inner_text(),
                         participant=await panel.get_attribute("data-participant") or "")
        self.invited[name] = person
        return person

    async def done_inviting(self) -> None:
        await self.button("mediator.invite.done")
        await self.page.locator(".invite-once").wait_for(state="detached")

    async def open_console(self) -> None:
        page = self.page
        await self.button("mediator.setup.open")
        await page.get_by_role("link", name=self.t("mediator.hearings.console"), exact=True).click()
        await page.locator(".board .room-column[data-room-kind=lobby]").wait_for()

    def card(self, name: str) -> str:
        return f'.board li.person[data-participant="{self.invited[name].participant}"]'

    async def in_room(self, name: str, kind: str, timeout: float = 40_000) -> None:
        person = f'li.person[data-participant="{self.invited[name].participant}"]'
        try:
            await self.page.locator(f".room-column[data-room-kind={kind}] {person}").wait_for(
                timeout=timeout)
        except PlaywrightError as exc:
            board = await self.page.locator("main").inner_text()
            raise AssertionError(f"{name} not in {kind}:\n{board}\n{self.tab.dump()}") from exc

    async def menu(self, opener_key: str, item_key: str, **params: object) -> None:
        """Open a "…" menu by its accessible name and choose an item by click."""
        page = self.page
        await page.get_by_role("button", name=self.t(opener_key, **params), exact=True).click()
        await page.get_by_role("menuitem", name=self.t(item_key, **params), exact=True).click()

    async def admit_by_keyboard(self, name: str) -> None:
        """Focus the person's "Admit…" button, open with ArrowDown, choose the first (Plenary)."""
        page = self.page
        await page.get_by_role("button", name=self.t("mediator.board.admit_named", name=name),
                               exact=True).focus()
        await page.keyboard.press("ArrowDown")
        await page.keyboard.press("Enter")

    async def drag(self, source: str, room_kind: str) -> None:
        """Drag the card (or side chip) onto the room's drop area: the HTML drag-and-drop events
        a browser fires for a mouse drag, in order, with one DataTransfer (dispatched rather than
        driven by mouse moves, which stall on a machine this loaded)."""
        page = self.page
        data = await page.evaluate_handle("() => new DataTransfer()")
        target = page.locator(f".room-column[data-room-kind={room_kind}] .drop-zone")
        try:
            await page.locator(source).wait_for(timeout=20_000)
        except PlaywrightError as exc:
            board = await page.locator("main").inner_text()
            raise AssertionError(f"nothing to drag at {source}:\n{board}\n{self.tab.dump()}") from exc
        await page.locator(source).dispatch_event("dragstart", {"dataTransfer": data})
        await target.dispatch_event("dragenter", {"dataTransfer": data})
        await target.dispatch_event("dragover", {"dataTransfer": data})
        await target.dispatch_event("drop", {"dataTransfer": data})
        await page.evaluate("() => document.body.classList.remove('dragging')")

    async def new_caucus(self, side: str, move_side: bool) -> None:
        page = self.page
        await self.button("mediator.console.new_caucus")
        dialog = page.get_by_role("dialog")
        await dialog.get_by_label(self.t("mediator.caucus.side"), exact=True).select_option(label=side)
        box = dialog.get_by_label(self.t("mediator.caucus.move_side"), exact=True)
        if await box.is_checked() != move_side:
            await box.click()
        await dialog.get_by_role("button", name=self.t("mediator.caucus.create"), exact=True).click()
        await page.locator(".room-column[data-room-kind=caucus]").wait_for()

    async def new_caucus_unbound(self, name: str) -> None:
        """A caucus for no side in particular, named by the mediator."""
        page = self.page
        await self.button("mediator.console.new_caucus")
        dialog = page.get_by_role("dialog")
        await dialog.get_by_label(self.t("mediator.caucus.side"), exact=True).select_option("")
        await dialog.get_by_label(self.t("mediator.caucus.name"), exact=True).fill(name)
        await dialog.get_by_role("button", name=self.t("mediator.caucus.create"), exact=True).click()
        await page.locator(".room-column[data-room-kind=caucus]", has_text=name).wait_for()

    async def confirm(self, key: str) -> None:
        await self.page.get_by_role("dialog").get_by_role(
            "button", name=self.t(key), exact=True).click()

    async def broadcast(self, text: str) -> None:
        page = self.page
        await self.button("mediator.console.broadcast")
        dialog = page.get_by_role("dialog")
        await dialog.get_by_label(self.t("mediator.broadcast.text"), exact=True).fill(text)
        await dialog.get_by_role("button", name=self.t("mediator.broadcast.send"), exact=True).click()
        # Said back once the server delivered it (the mediator is in a room too).
        await page.locator("#toasts").get_by_text(self.t("mediator.broadcast.sent", text=text)).wait_for()

    async def where_am_i(self, room: str) -> None:
        await self.page.get_by_role(
            "heading", name=self.t("mediator.console.you_are_in", room=room), exact=True).wait_for()


async def join(tab: Tab, lang: str, person: Invited) -> None:
    """A participant opens the link, types the access code, skips the tech check and waits in
    the lobby."""
    page = tab.page
    await page.goto(person.link)
    await page.get_by_label(t(lang, "participant.join.code"), exact=True).fill(person.code)
    await page.get_by_role("button", name=t(lang, "participant.join.submit"), exact=True).click()
    refused = await tab.wait_for("document.querySelector('.join-next') ? 'ok'"
                                 " : document.querySelector('form.join .error')?.textContent", timeout=30)
    assert refused == "ok", f"{person.name} was refused: {refused}"
    await page.locator(".join-next [data-action=skip]").click()
    await tab.wait_for("document.querySelector('.lobby-title') !== null", timeout=30)


BANNER_KIND = "((document.querySelector('.room-banner') || {dataset: {}}).dataset.roomKind || '')"


async def banner_kind(tab: Tab, kind: str, timeout: float = 40) -> None:
    await tab.wait_for(f"{BANNER_KIND} === '{kind}'", timeout=timeout)


async def final(tab: Tab, why: str) -> None:
    """The participant's page has ended the visit (removed, ended) and says so."""
    await tab.wait_for(f"document.querySelector('[data-final={why}]') !== null")
