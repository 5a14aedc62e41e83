"""The stylesheets' split (css/parley.css for every page, css/staff.css added by routes.js
`sheets` for the staff's pages other than the console): a room page (the console, the
participant's) never uses a rule that only staff.css holds, and every page that uses one takes
staff.css. A class counts as used by a page when its name appears in the page's JavaScript
(the shell, the screen and everything it imports) or the shell's HTML: a name only built at
run time (`state-${x}`) appears nowhere and stays in parley.css."""

from __future__ import annotations

import re

from gateway.webclient.routes import WEBCLIENT, asset_table
from tests.unit.gateway.test_webclient_files import _closure, screen_sheets

_SELECTOR_CLASS = re.compile(r"\.([a-zA-Z][\w-]*)")


def _classes(css: str) -> set[str]:
    """The class names in a stylesheet's selectors (declarations and comments left out)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    while True:  # innermost blocks first: declarations, then an @media's braces
        emptied = re.sub(r"\{[^{}]*\}", ";", css)
        if emptied == css:
            break
        css = emptied
    return set(_SELECTOR_CLASS.findall(css))


def _page_texts() -> dict[str, str]:
    table = asset_table()
    sources = {path: body.decode() for path, (body, _) in table.items() if path.endswith(".js")}
    shell = _closure("js/app.js", sources, dynamic=False)
    html = (WEBCLIENT / "index.html").read_text()
    return {screen: html + "".join(sources[p] for p in shell | _closure(screen, sources, dynamic=True))
            for screen in screen_sheets()}


def test_the_pages_without_staff_css_use_none_of_its_rules() -> None:
    staff_only = (_classes((WEBCLIENT / "css" / "staff.css").read_text())
                  - _classes((WEBCLIENT / "css" / "parley.css").read_text()))
    assert len(staff_only) > 50
    sheets = screen_sheets()
    rooms = [screen for screen, names in sheets.items() if "staff" not in names]
    assert {"js/screens/console.js", "js/screens/hearing.js", "js/screens/join.js"} <= set(rooms)
    for screen, text in _page_texts().items():
        used = sorted(name for name in staff_only if name in text)
        if "staff" not in sheets[screen]:
            assert not used, f"{screen} uses staff.css's {used} but its route does not add it"


def test_every_staff_css_rule_is_used_by_some_page_that_takes_it() -> None:
    staff = _classes((WEBCLIENT / "css" / "staff.css").read_text())
    sheets = screen_sheets()
    taking = "".join(text for screen, text in _page_texts().items() if "staff" in sheets[screen])
    assert sorted(name for name in staff if name not in taking) == []
