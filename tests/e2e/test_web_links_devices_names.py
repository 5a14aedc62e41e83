"""What a walkthrough found at the edges, in the browser on the real suite.

- Links: a link cut short or mangled says it is damaged or incomplete at once, with no form (no
  code could make it work); `/join` opened without a link says where the link is, even in a tab
  that held a genuine one a moment ago (the token kept for a reload is not reused by another
  visit); a well-formed link that is not genuine asks for the code, then says the same.
- The waiting room, when the browser blocks the camera and microphone (getUserMedia refuses with
  NotAllowedError): "blocked, allow them" as the tech check says, never "none found"; and Try
  again asks the browser again.
- Long names: a hearing's title shows its limit as it is typed ("n of 200 characters", then that
  it is the limit); a long side name gives the invitation form's Side picker a row of its own and
  its whole name as a tooltip; on the video tiles a long name is one line, cut with an ellipsis,
  whole in its title, on the console at laptop width and on a phone (390x844); the side's colour
  dot keeps its size beside a long side name.
- The documents panel's "Choose files", reached with Tab, shows the focus ring (the file input
  itself is hidden), on the party's page and on the console.
- The console toolbar's accessible name follows a language switch.
Screenshots in tests/artifacts; axe-core on the new states.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import (
    ARTIFACTS,
    MEDIA_BLOCKED_UNTIL_ALLOWED,
    Tab,
    chromium,
    chromium_page,
    open_tab,
    requires_chromium,
)
from tests.e2e.mediator_steps import Mediator
from tests.e2e.participant_steps import banner_kind, join_in_browser, one_party_each, switch_language
from tests.e2e.staff_steps import t
from tests.harness import Suite
from tests.integration.signalling.sigclient import api
from tests.people import SESSION_COOKIE, People, create_staff, staff_people

pytestmark = [pytest.mark.browser, requires_chromium]
EN, ZH = "en", "zh-Hant"

LONG_TITLE = ("Chan Tai Man Holdings Limited (in liquidation) and Others v. Lee Siu Ming Trading "
              "Company and Hong Kong Commercial Leasing Properties Limited: mediation of the lease "
              "dispute over the Kwun Tong warehouse, Unit 5")
LONG_SIDE = ("Claimant: Chan Tai Man Holdings Limited (in liquidation), acting by its joint and "
             "several liquidators")
LONG_PARTY = "Mr Chan Tai Man, director of Chan Tai Man Holdings Limited (in liquidation)"
LONG_MEDIATOR = "Ms Margaret Wong Siu Ling, Senior Mediator, Commercial Mediation Panel"


async def _sentence(tab: Tab, selector: str, text: str) -> None:
    await tab.page.locator(selector, has_text=text).wait_for()


@pytest.mark.timeout(180)
async def test_a_broken_or_missing_link_says_so_and_asks_for_no_code(suite: Suite) -> None:
    _, _, invitation = await one_party_each(suite)
    token = invitation["token"]
    hearing, inv_id, secret = token.split(".")
    broken = t(EN, "participant.join.refused_invalid")
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        try:
            # Mangled, and cut short (its secret incomplete): said at once, no form.
            for link in ("/join#t=garbage&lang=en", f"/join#t={hearing}.{inv_id}.{secret[:10]}"):
                await page.goto("about:blank")
                await page.goto(link)
                await _sentence(tab, ".join-broken", broken)
                assert await page.locator("input[name=access_code]").count() == 0
            await tab.check_accessible("join-broken-link")
            await tab.screenshot("join-broken-link", "laptop")
            await tab.screenshot("join-broken-link", "phone")
            await switch_language(tab, ZH)
            await _sentence(tab, ".join-broken", t(ZH, "participant.join.refused_invalid"))
            await switch_language(tab, EN)

            # A genuine link: the form, again after a reload (the token is kept for the page).
            await page.goto("about:blank")
            await page.goto(invitation["link_path"])
            await page.wait_for_selector("form.join input[name=access_code]")
            await page.reload()
            await page.wait_for_selector("form.join input[name=access_code]")
            # Then `/join` opened again without the link: where the link is, and no form.
            await page.goto("about:blank")
            await page.goto("/join")
            await _sentence(tab, ".join-no-link", t(EN, "participant.join.no_link"))
            assert "invitation email or message" in t(EN, "participant.join.no_link")
            assert await page.locator("input[name=access_code]").count() == 0
            await tab.check_accessible("join-no-link")
            await tab.screenshot("join-no-link", "laptop")

            # Well-formed but not genuine (the secret changed): the code is asked, then the
            # same sentence, on a final page (no form).
            await page.goto("about:blank")
            await page.goto(f"/join#t={hearing}.{inv_id}.{'B' * 43}")
            await page.fill("input[name=access_code]", invitation["access_code"])
            await page.click("form.join button[type=submit]")
            await _sentence(tab, ".join-final[data-reason=invitation_invalid] p", broken)
            assert await page.locator("input[name=access_code]").count() == 0
            tab.assert_clean(secrets=[secret, invitation["access_code"]])
        except Exception:
            print(tab.dump())
            raise


STATUS = "document.querySelector('.lobby-device-status')"


@pytest.mark.timeout(180)
async def test_the_waiting_room_says_a_blocked_camera_is_blocked_and_asks_again(
        suite: Suite) -> None:
    _, _, invitation = await one_party_each(suite)
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        await tab.context.add_init_script(MEDIA_BLOCKED_UNTIL_ALLOWED)
        try:
            await join_in_browser(tab, invitation)
            blocked = t(EN, "participant.lobby.blocked")
            await _sentence(tab, ".lobby-device-status", blocked)
            said = await page.text_content(".lobby-device-status") or ""
            assert "Allow them in your browser" in said, said
            assert t(EN, "participant.lobby.no_devices") not in said
            retry = page.get_by_role("button", name=t(EN, "participant.lobby.try_again"), exact=True)
            assert await retry.is_visible()
            await tab.check_accessible("lobby-blocked")
            await tab.screenshot("lobby-blocked", "laptop")
            await tab.screenshot("lobby-blocked", "phone")
            await page.set_viewport_size({"width": 1366, "height": 768})
            await switch_language(tab, ZH)
            await _sentence(tab, ".lobby-device-status", t(ZH, "participant.lobby.blocked"))
            await switch_language(tab, EN)
            # Allowed in the browser now: Try again asks again, and the camera shows.
            await page.evaluate("() => { window.__allowMedia = true; }")
            await retry.click()
            await tab.wait_for(f"{STATUS}.textContent === '' && "
                               "document.querySelector('.lobby-preview').srcObject?"
                               ".getVideoTracks().length === 1", timeout=30)
            assert not await retry.is_visible()
            assert not await page.is_disabled("[data-control=camera]")
            tab.assert_clean(secrets=[invitation["access_code"]])
        except Exception:
            print(tab.dump())
            raise


# Another app holds the camera and microphone (another video call): the browser cannot start
# them (getUserMedia refuses with NotReadableError), until the test frees them.
MEDIA_IN_USE = """
window.__freeMedia = false;
const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = (constraints) => window.__freeMedia
  ? realGetUserMedia(constraints)
  : Promise.reject(new DOMException("Could not start video source", "NotReadableError"));
"""


@pytest.mark.timeout(180)
async def test_a_camera_another_app_holds_is_said_as_in_use(suite: Suite) -> None:
    _, _, invitation = await one_party_each(suite)
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        await tab.context.add_init_script(MEDIA_IN_USE)
        try:
            await join_in_browser(tab, invitation)
            in_use = t(EN, "participant.lobby.in_use")
            assert in_use.startswith("Your camera or microphone is being used by another app.")
            await _sentence(tab, ".lobby-device-status", in_use)
            said = await page.text_content(".lobby-device-status") or ""
            assert t(EN, "participant.lobby.no_devices") not in said, said
            assert await page.get_attribute(".lobby-device-status", "data-trouble") == "in_use"
            retry = page.get_by_role("button", name=t(EN, "participant.lobby.try_again"), exact=True)
            assert await retry.is_visible()
            await tab.check_accessible("lobby-in-use")
            await tab.screenshot("lobby-in-use", "laptop")
            # The other call ended: Try again opens the camera.
            await page.evaluate("() => { window.__freeMedia = true; }")
            await retry.click()
            await tab.wait_for(f"{STATUS}.textContent === '' && "
                               "document.querySelector('.lobby-preview').srcObject?"
                               ".getVideoTracks().length === 1", timeout=30)

            # The tech check says the same, its own way: in use, never "no camera".
            await page.evaluate("() => { window.__freeMedia = false; }")
            await page.goto("/techcheck")  # a new page: held again until freed
            camera = page.locator("#verdict-camera[data-outcome=in_use]")
            await camera.wait_for(timeout=30_000)
            assert t(EN, "participant.techcheck.camera_in_use") in await camera.inner_text()
            await page.locator("#verdict[data-level=poor]").wait_for(timeout=60_000)
            assert await page.text_content("#verdict") == t(EN, "participant.techcheck.verdict_in_use")
            assert await page.get_by_role("button", name=t(EN, "participant.techcheck.again"),
                                          exact=True).is_visible()
            await tab.check_accessible("techcheck-in-use")
            await tab.screenshot("techcheck-in-use", "laptop")
            tab.assert_clean(secrets=[invitation["access_code"]])
        except Exception:
            print(tab.dump())
            raise


@pytest.mark.timeout(180)
async def test_a_long_title_shows_its_limit_and_a_long_side_fits_its_picker(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        try:
            await tab.context.add_cookies([{"name": SESSION_COOKIE, "value": people.mediator.cookie,
                                            "url": suite.base_url}])
            await page.goto("/hearings")
            await page.locator("#new-hearing").click()
            title = page.get_by_label(t(EN, "mediator.create.name"), exact=True)
            count = page.locator("#create-hearing .char-count")
            assert await count.text_content() == t(EN, "common.chars", count=0, max=200)
            await title.press_sequentially("Chan v. Lee")
            assert await count.text_content() == t(EN, "common.chars", count=11, max=200)
            await title.fill("")
            await title.press_sequentially(LONG_TITLE)  # longer than the limit, as typed
            assert len(LONG_TITLE) > 200 and len(await title.input_value()) == 200
            await count.filter(has_text=t(EN, "common.chars_full", count=200, max=200)).wait_for()
            assert "at-limit" in (await count.get_attribute("class") or "")
            described = await title.get_attribute("aria-describedby") or ""
            assert await count.get_attribute("id") in described.split(), described
            await tab.check_accessible("create-hearing-limit")
            await tab.screenshot("create-hearing-limit", "laptop")
            await tab.screenshot("create-hearing-limit", "phone")
            await page.set_viewport_size({"width": 1366, "height": 768})
            med = Mediator(tab, EN)
            await med.button("mediator.create.submit")
            await page.locator(".setup").wait_for()
            await med.add_side(LONG_SIDE)
            await med.add_side("Respondent")
            side = page.locator("#invite select[name=side]")
            assert await side.get_attribute("title") == LONG_SIDE
            fit = await tab.value("""(() => {
                const select = document.querySelector('#invite select[name=side]');
                const form = document.querySelector('#invite');
                const style = getComputedStyle(select);
                const ctx = document.createElement('canvas').getContext('2d');
                ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                return { text: ctx.measureText(select.selectedOptions[0].textContent).width,
                         select: select.clientWidth, form: form.clientWidth };
            })()""")
            # A row of its own, wide enough for the whole name at laptop width (the arrow aside).
            assert fit["select"] >= 0.95 * fit["form"], fit
            assert fit["text"] + 40 <= fit["select"], fit
            await med.invite(LONG_PARTY, "party", LONG_SIDE)
            await med.done_inviting()
            dot = await tab.value("(() => { const r = document.querySelector("
                                  "'tbody .swatch').getBoundingClientRect();"
                                  " return [r.width, r.height]; })()")
            assert dot[0] > 10 and abs(dot[0] - dot[1]) < 0.5, dot
            await tab.check_accessible("setup-long-names")
            await tab.screenshot("setup-long-names", "laptop")
            await tab.screenshot("setup-long-names", "phone")
            tab.assert_clean()
        except Exception:
            print(tab.dump())
            raise


def _caption(selector: str) -> str:
    """A tile's caption box against its tile's, its title and whether its text is cut."""
    return f"""(() => {{
        const caption = document.querySelector({selector!r});
        if (!caption) return null;
        const tile = caption.closest('figure').getBoundingClientRect();
        const box = caption.getBoundingClientRect();
        const outer = caption.closest('figcaption').getBoundingClientRect();
        return {{ height: box.height, right: outer.right, tileRight: tile.right,
                  tileHeight: tile.height, title: caption.title, text: caption.textContent,
                  cut: caption.scrollWidth > caption.clientWidth,
                  clamped: caption.scrollHeight > caption.clientHeight + 1 }};
    }})()"""


def _ring(label: str) -> str:
    return f"""(() => {{
        const label = document.querySelector({label!r});
        const style = getComputedStyle(label);
        return {{ focused: document.activeElement === document.getElementById(label.htmlFor),
                  outline: style.outlineStyle, width: style.outlineWidth }};
    }})()"""


def _artifact(name: str) -> str:
    """A screenshot of the viewport as it is (the focused control in view): tests/artifacts."""
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / f"{name}.png")


# The focused file picker, watched: its blurs, and every redraw of the documents list.
WATCH_PICKER = """() => {
  window.__picker = document.activeElement;
  window.__blurs = 0;
  window.__redraws = 0;
  window.__picker.addEventListener('blur', () => { window.__blurs += 1; });
  new MutationObserver(() => { window.__redraws += 1; }).observe(
    document.querySelector('.documents .docs-body'), { childList: true, subtree: true });
  return window.__picker.type;
}"""


async def _tab_to_file_picker(tab: Tab, panel: str) -> dict[str, Any]:
    """From the panel's heading, Tab until the hidden file input has focus; its label's ring."""
    page = tab.page
    await page.click(f"{panel} h2")
    for _ in range(40):
        await page.keyboard.press("Tab")
        if await tab.value("document.activeElement?.type === 'file'"):
            break
    ring: dict[str, Any] = await tab.value(_ring(f"{panel} .file-drop label"))
    assert ring == {"focused": True, "outline": "solid", "width": "3px"}, ring
    return ring


async def _long_named_mediator(suite: Suite, people: People) -> People:
    """A mediator whose display name is long (the name tiles show), in a hearing of their own."""
    mediator = await create_staff(suite, people.admin, "mediator", "longname")
    status, _ = await mediator.call("PATCH", "/api/v1/me", {"display_name": LONG_MEDIATOR})
    assert status == 200, status
    return People(admin=people.admin, mediator=mediator, auditor=people.auditor)


@pytest.mark.timeout(300)
async def test_long_names_stay_on_one_line_and_the_file_picker_shows_its_focus(
        suite: Suite) -> None:
    await suite.ready()
    people = await _long_named_mediator(suite, await staff_people(suite))
    med_api = people.mediator
    status, h = await api(med_api, "POST", "/api/v1/hearings", {"title": "Chan v. Lee"})
    assert status == 201, h
    hearing = h["id"]
    assert (await api(med_api, "POST", f"/api/v1/hearings/{hearing}/open", {}))[0] == 200
    status, side = await api(med_api, "POST", f"/api/v1/hearings/{hearing}/sides",
                             {"name": LONG_SIDE})
    assert status == 201, side
    status, invitation = await api(med_api, "POST", f"/api/v1/hearings/{hearing}/participants",
                                   {"name": LONG_PARTY, "role": "party",
                                    "side": side["side"]["id"]})
    assert status == 201, invitation
    party_id, med_id = invitation["participant"], med_api.account_id
    async with chromium() as browser:
        console = await open_tab(browser, suite.base_url)
        party = await open_tab(browser, suite.base_url, width="phone")
        try:
            await console.context.add_cookies([{"name": SESSION_COOKIE, "value": med_api.cookie,
                                                "url": suite.base_url}])
            await console.page.goto(f"/hearings/{hearing}")
            await console.page.locator(".board .room-column[data-room-kind=lobby]").wait_for()
            await join_in_browser(party, invitation)
            med = Mediator(console, EN)
            await med.menu("mediator.board.admit_named", "mediator.board.admit_to",
                           name=LONG_PARTY, room=t(EN, "mediator.room.plenary"))
            await party.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)

            # --- the console, at laptop width: the party's tile names them in two lines at most
            # (small tiles: a name wraps rather than cut after a few letters), the rest cut ----
            remote = f'.console-videos figure.remote[data-participant="{party_id}"][data-kind=camera]'
            await console.wait_for(f"document.querySelector('{remote} video')?.videoWidth > 0",
                                   timeout=60)
            tile = await console.value(_caption(f"{remote} figcaption"))
            assert tile["title"] == tile["text"] == LONG_PARTY, tile
            assert tile["clamped"] and tile["right"] <= tile["tileRight"] + 0.5, tile
            assert tile["height"] < 0.3 * tile["tileHeight"], tile  # two lines, not the picture
            # The side's colour dot beside the long side name keeps its size.
            dot = await console.value(
                f"(() => {{ const r = document.querySelector('.board li.person[data-participant="
                f"\"{party_id}\"] .swatch').getBoundingClientRect(); return [r.width, r.height]; }})()")
            assert dot[0] > 10 and abs(dot[0] - dot[1]) < 0.5, dot
            await console.check_accessible("console-long-names")
            await console.screenshot("console-long-names", "laptop")

            # --- the party's phone: the mediator's tile, one line within the tile -----------
            named = t(EN, "participant.grid.named_mediator", name=LONG_MEDIATOR)
            mine = f'.video-grid .tile[data-participant="{med_id}"]'
            await party.wait_for(f"document.querySelector('{mine} video')?.videoWidth > 0",
                                 timeout=60)
            await party.wait_for(f"document.querySelector('{mine} .tile-name')?.textContent"
                                 f" === {named!r}")
            tile = await party.value(_caption(f"{mine} .tile-name"))
            assert tile["title"] == tile["text"] == named, tile
            assert tile["cut"] and tile["right"] <= tile["tileRight"] + 0.5, tile
            assert tile["height"] < 0.3 * tile["tileHeight"], tile
            await party.check_accessible("hearing-long-names")
            await party.page.evaluate("() => window.scrollTo(0, 0)")
            await party.screenshot("hearing-long-names", "phone")

            # --- the tabs keep focus when chosen by Enter or Space (drawn afresh) ------------
            await party.page.focus(".documents [data-tab=side]")
            for key in ("Enter", " "):
                await party.page.keyboard.press(key)
                assert await party.value("document.activeElement?.dataset.tab") == "side"
            # --- "Choose files" reached with Tab shows its focus, on both pages -------------
            # Playwright turns a page's file-chooser interception on without waiting for it (a
            # first "filechooser" listener's subscription is sent fire-and-forget), so an Enter
            # pressed at once inside `expect_file_chooser` could reach the page first, and its
            # chooser was lost: about one press in two on a bare page with a picker alone. A
            # listener from here on, before the Tab presses below, has it on when Enter comes.
            party.page.on("filechooser", lambda _chooser: None)
            await _tab_to_file_picker(party, ".documents")
            # The party's list is drawn afresh while it has focus (a joint document from the
            # console: the server tells the party's page, which reads its list again). The
            # picker is not part of what is redrawn: it stays, focused throughout (a picker
            # moved by a redraw lost a key pressed meanwhile), so one Enter opens it.
            await party.value(WATCH_PICKER)
            await console.page.set_input_files(".console-docs .file-drop input[type=file]", files=[{
                "name": "Joint note.txt", "mimeType": "text/plain", "buffer": b"for everyone"}])
            await party.wait_for("window.__redraws > 0", timeout=30)
            assert await party.value("[window.__blurs, document.activeElement === window.__picker]") \
                == [0, True]
            # Enter opens it, as Space does; the upload's end (the list drawn again) leaves
            # focus on it, not on the page's <body>.
            async with party.page.expect_file_chooser(timeout=10_000) as chooser:
                await party.page.keyboard.press("Enter")
            await (await chooser.value).set_files(files=[{
                "name": "Chosen by Enter.txt", "mimeType": "text/plain", "buffer": b"by keyboard"}])
            await party.wait_for("document.querySelector('.documents tr[data-document]') !== null",
                                 timeout=60)
            await party.wait_for("document.querySelector('.transfer[data-kind=upload]')"
                                 "?.dataset.state === 'done'", timeout=60)
            assert await party.value("document.activeElement?.type") == "file"
            await party.page.evaluate(
                "() => document.activeElement.closest('.file-drop').scrollIntoView({block: 'center'})")
            await party.page.screenshot(path=_artifact("file-picker-focus-party-phone"))
            await console.page.click(".documents [data-tab=notes]")
            await _tab_to_file_picker(console, ".console-docs")
            await console.page.evaluate(
                "() => document.activeElement.closest('.file-drop').scrollIntoView({block: 'center'})")
            await console.page.screenshot(path=_artifact("file-picker-focus-console-laptop"))

            # --- a new caucus's Side picker (a dialog's width) says the whole name on hover ---
            await med.button("mediator.console.new_caucus")
            dialog = console.page.get_by_role("dialog")
            picker = dialog.get_by_label(t(EN, "mediator.caucus.side"), exact=True)
            assert await picker.get_attribute("title") == LONG_SIDE
            await dialog.get_by_role("button", name=t(EN, "common.cancel"), exact=True).click()
            await dialog.wait_for(state="detached")

            # --- the console toolbar's name follows the language ----------------------------
            toolbar = "document.querySelector('.console .toolbar').getAttribute('aria-label')"
            assert await console.value(toolbar) == t(EN, "mediator.console.tools")
            await switch_language(console, ZH)
            await console.wait_for(f"{toolbar} === {t(ZH, 'mediator.console.tools')!r}")
            for tab in (console, party):
                tab.assert_clean(secrets=[invitation["access_code"]])
        except Exception:
            for tab in (console, party):
                print(tab.dump())
            raise
        finally:
            for tab in (console, party):
                await tab.context.close()
