"""The stylesheets' split: css/parley.css for every page; css/staff.css added by routes.js
`sheets` for the staff's pages other than the console; css/participant.css for the
participant's pages (join, tech check, lobby and room). A page whose routes do not add a sheet
never uses a rule that only that sheet holds, and every rule in a sheet is used by some page
that takes it. A class counts as used by a page when its name appears in the page's JavaScript
(the shell, the screen and everything it imports) or the shell's HTML: a name only built at
run time (`state-${x}`) appears nowhere and stays in parley.css."""

from __future__ import annotations

import re

import pytest

from gateway.webclient.routes import WEBCLIENT, asset_table
from tests.unit.gateway.test_webclient_files import _closure
from tests.unit.gateway.test_webclient_files import screen_sheets as _route_sheets

_SELECTOR_CLASS = re.compile(r"\.([a-zA-Z][\w-]*)")

# sheet → pages that must not take it, pages that must, and how many classes it alone holds
# at least (so that a sheet emptied by mistake, or a parse that finds nothing, fails)
_SHEETS = {
    "staff": ({"js/screens/console.js", "js/screens/hearing.js", "js/screens/join.js"},
              {"js/screens/hearings.js", "js/screens/setup.js", "js/screens/admin.js"}, 50),
    "participant": ({"js/screens/console.js", "js/screens/setup.js", "js/screens/hearings.js"},
                    {"js/screens/join.js", "js/screens/hearing.js", "js/screens/techcheck.js"}, 30),
}


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
            for screen in _route_sheets()}


def test_the_routes_sheets_are_read_as_routes_js_writes_them() -> None:
    sheets = _route_sheets()
    assert sheets["js/screens/console.js"] == set()
    assert sheets["js/screens/setup.js"] == {"staff"}
    assert sheets["js/screens/hearing.js"] == {"participant"}
    assert all((WEBCLIENT / "css" / f"{name}.css").is_file() for names in sheets.values() for name in names)


@pytest.mark.parametrize("sheet", sorted(_SHEETS))
def test_the_pages_without_a_sheet_use_none_of_its_rules(sheet: str) -> None:
    without, taking, at_least = _SHEETS[sheet]
    sheet_only = (_classes((WEBCLIENT / "css" / f"{sheet}.css").read_text())
                  - _classes((WEBCLIENT / "css" / "parley.css").read_text()))
    assert len(sheet_only) > at_least
    sheets = _route_sheets()
    assert {screen for screen in sheets if sheet not in sheets[screen]} >= without
    assert {screen for screen in sheets if sheet in sheets[screen]} >= taking
    for screen, text in _page_texts().items():
        used = sorted(name for name in sheet_only if name in text)
        if sheet not in sheets[screen]:
            assert not used, f"{screen} uses {sheet}.css's {used} but its route does not add it"


@pytest.mark.parametrize("sheet", sorted(_SHEETS))
def test_every_rule_of_a_sheet_is_used_by_some_page_that_takes_it(sheet: str) -> None:
    classes = _classes((WEBCLIENT / "css" / f"{sheet}.css").read_text())
    sheets = _route_sheets()
    taking = "".join(text for screen, text in _page_texts().items() if sheet in sheets[screen])
    assert sorted(name for name in classes if name not in taking) == []
