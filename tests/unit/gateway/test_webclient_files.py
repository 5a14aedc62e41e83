"""The web client's files, read from disk: catalogues complete in all three languages, every key
the code uses exists, every module import resolves to a served file, and the total size of
JavaScript and CSS stays within its budget (DESIGN §8)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from gateway.webclient.routes import WEBCLIENT, asset_table, compressed
from proto.errors import ErrorCode
from proto.ws import HearingState

LANGUAGES = ("en", "zh-Hant", "zh-Hans")
AREAS = ("common", "staff", "mediator", "participant", "audit", "admin")
#: JavaScript + CSS one page may load (its shell, stylesheet and screen), as the gateway serves
#: it: what the browser parses (uncompressed), and what crosses the network (gzip). 250 KiB is
#: the web client issue's bound. It had been raised to 288 KiB as the console grew; since the
#: JavaScript is served without its comment lines (webclient/slim.py) the console is ~229 KiB
#: and ~71 KiB compressed, so the bound is the issue's again.
BUDGET_BYTES = 250 * 1024
GZIP_BUDGET_BYTES = 96 * 1024
KEY = r"(?:common|staff|mediator|participant|audit|admin)\.[A-Za-z0-9_.-]+"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def catalogue(lang: str, area: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((WEBCLIENT / "i18n" / lang / f"{area}.json").read_text())
    return data


def all_keys(lang: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for area in AREAS:
        merged.update(catalogue(lang, area))
    return merged


def js_sources() -> dict[str, str]:
    return {p.relative_to(WEBCLIENT).as_posix(): p.read_text()
            for p in sorted((WEBCLIENT / "js").rglob("*.js"))}


def variants(message: Any) -> list[str]:
    return list(message.values()) if isinstance(message, dict) else [message]


@pytest.mark.parametrize("area", AREAS)
def test_every_area_has_the_same_keys_in_every_language(area: str) -> None:
    english = catalogue("en", area)
    for key in english:
        assert key.startswith(f"{area}."), f"{key} is in the {area} catalogue"
    for lang in LANGUAGES[1:]:
        other = catalogue(lang, area)
        assert set(other) == set(english), (
            f"{lang}/{area}: missing {sorted(set(english) - set(other))}, "
            f"extra {sorted(set(other) - set(english))}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_messages_are_complete_and_keep_their_placeholders(lang: str) -> None:
    english = all_keys("en")
    for key, message in all_keys(lang).items():
        for text in variants(message):
            assert isinstance(text, str) and text.strip(), f"{lang} {key} is empty"
        if isinstance(message, dict):
            assert "other" in message, f"{lang} {key}: a plural needs 'other'"
            if lang == "en":
                assert "one" in message, f"{key}: English plurals need 'one'"
        wanted = {n for t in variants(english[key]) for n in PLACEHOLDER.findall(t)}
        used = {n for t in variants(message) for n in PLACEHOLDER.findall(t)}
        assert used <= wanted, f"{lang} {key} uses {used - wanted}, unknown in English"
        if lang != "en" and not isinstance(message, dict):
            assert used == wanted, f"{lang} {key} drops {wanted - used}"


def test_every_key_the_code_uses_exists() -> None:
    known = set(all_keys("en"))
    used: set[str] = set()
    for name, text in js_sources().items():
        for key in re.findall(rf"""\bt\(\s*["']({KEY})["']""", text):
            used.add(key)
        if name == "js/routes.js":
            used.update(re.findall(rf'title:\s*"({KEY})"', text))
    # Keys built at run time from a closed set of values.
    used.update(f"common.error.{code.value}" for code in ErrorCode)
    used.add("common.error.network")
    used.update(f"mediator.state.{state.value}" for state in HearingState)
    used.update(f"common.language.{lang}" for lang in LANGUAGES)
    assert used, "no t('…') call found: the pattern no longer matches the code"
    assert sorted(used - known) == []


def test_every_module_import_resolves_to_a_served_file() -> None:
    served = asset_table()
    for name, text in js_sources().items():
        base = Path(name).parent
        for target in re.findall(r"""(?:from\s+|import\()\s*["'](\.{1,2}/[^"']+)["']""", text):
            resolved = (base / target).as_posix()
            parts: list[str] = []
            for part in resolved.split("/"):
                if part == "..":
                    parts.pop()
                elif part != ".":
                    parts.append(part)
            assert "/".join(parts) in served, f"{name} imports {target}, which is not served"
    shell = (WEBCLIENT / "index.html").read_text()
    for src in re.findall(r'(?:src|href)="/static/([^"]+)"', shell):
        assert src in served, f"index.html loads {src}, which is not served"
    assert "<script>" not in shell and " style=" not in shell  # the CSP forbids inline code


_STATIC_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^;]*?\bfrom\s*["'](\.{1,2}/[^"']+\.js)["']|^\s*import\s*["'](\.{1,2}/[^"']+\.js)["']""", re.M)
_DYNAMIC_IMPORT = re.compile(r"""import\(\s*["'](\.{1,2}/[^"']+\.js)["']\s*\)""")


def _closure(start: str, sources: dict[str, str], *, dynamic: bool) -> set[str]:
    """`start` and every module it imports (statically; dynamically too where `dynamic`)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        text = sources[name]
        specs = [a or b for a, b in _STATIC_IMPORT.findall(text)]
        if dynamic:
            specs += _DYNAMIC_IMPORT.findall(text)
        base = name.rsplit("/", 1)[0]
        for spec in specs:
            parts = [*base.split("/"), *spec.split("/")]
            out: list[str] = []
            for part in parts:
                if part == "..":
                    out.pop()
                elif part not in (".", ""):
                    out.append(part)
            todo.append("/".join(out))
    return seen


_ROUTE_LINE = re.compile(r'import\("\./(screens/[\w-]+\.js)"\)')


_SHEET_LIST = re.compile(r"^const (\w+) = \[([^\]]*)\];", re.M)
_ROUTE_SHEETS = re.compile(r"sheets: (\w+)")


def screen_sheets() -> dict[str, set[str]]:
    """js/screens/<name>.js → the stylesheets beyond parley.css its routes add: routes.js writes
    `sheets: NAME` on a route's line, NAME a list declared at its top (`const STAFF = ["staff"];`)."""
    text = (WEBCLIENT / "js" / "routes.js").read_text()
    lists = {name: set(re.findall(r'"([\w-]+)"', items)) for name, items in _SHEET_LIST.findall(text)}
    found: dict[str, set[str]] = {}
    for line in text.splitlines():
        screen = _ROUTE_LINE.search(line)
        if screen:
            named = _ROUTE_SHEETS.search(line)
            found.setdefault(f"js/{screen.group(1)}", set()).update(lists[named.group(1)] if named else ())
    return found


@pytest.mark.parametrize("packed", [False, True], ids=["parsed", "sent"])
def test_javascript_and_css_stay_within_the_budget(packed: bool) -> None:
    """What one page loads, uncompressed (`parsed`) and as sent gzip-compressed (`sent`): the
    shell's entry module and its static imports, parley.css and the stylesheets its route adds
    (routes.js `sheets`), and one screen with everything it imports. Screens are loaded lazily
    by the router, so a participant's page never downloads the auditor's console."""
    table = asset_table()
    sent = compressed(table) if packed else {}
    assets = {path: sent.get(path, body) for path, (body, _) in table.items()}
    budget = GZIP_BUDGET_BYTES if packed else BUDGET_BYTES
    sources = {path: body.decode() for path, (body, _) in table.items() if path.endswith(".js")}
    sheets = screen_sheets()
    shell = _closure("js/app.js", sources, dynamic=False)
    screens = sorted(path for path in sources if path.startswith("js/screens/"))
    assert screens
    sizes = {}
    for screen in screens:
        page = shell | _closure(screen, sources, dynamic=True)
        css = ["css/parley.css", *(f"css/{name}.css" for name in sheets.get(screen, ()))]
        sizes[screen] = sum(len(assets[path]) for path in [*css, *page])
    biggest = max(sizes, key=lambda k: sizes[k])
    assert 0 < sizes[biggest] < budget, f"{biggest}: {sizes[biggest]} bytes of JS + CSS (budget {budget})"


def test_no_inner_html_or_eval_in_the_client() -> None:
    for name, text in js_sources().items():
        for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "new Function"):
            assert forbidden not in text, f"{name} uses {forbidden}"


def test_the_asset_version_changes_with_any_file_and_prefixes_every_shell_link() -> None:
    from gateway.webclient.routes import SHELL_BODY, VERSION, asset_table, asset_version, etag_matches
    table = asset_table()
    assert asset_version(table) == VERSION and re.fullmatch(r"[0-9a-f]{16}", VERSION)
    changed = dict(table)
    body, kind = changed["js/app.js"]
    changed["js/app.js"] = (body + b"\n", kind)
    assert asset_version(changed) != VERSION
    links = re.findall(rb'(?:src|href)="(/static/[^"]+)"', SHELL_BODY)
    assert links and all(link.startswith(f"/static/{VERSION}/".encode()) for link in links)
    assert etag_matches('"a", W/"b"', "b") and etag_matches("*", "z")
    assert not etag_matches('"ab"', "a") and not etag_matches("", "a")
