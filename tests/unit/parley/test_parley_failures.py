"""Handled failures are logged and counted; production code swallows nothing any other way."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest

from parley.failures import handled, handled_count, note_failure

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = ("parley", "gateway", "services", "proto")
#: Calls that count a failure (note_failure logs too; HANDLED sits beside a log.exception).
COUNTING = {"note_failure", "labels"}


def test_handled_logs_and_counts(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("parley.test.failures")
    before = handled_count("test.handled", "ConnectionResetError")
    with caplog.at_level(logging.WARNING, logger="parley.test.failures"), \
            handled(log, "test.handled", hearing="h1"):
        raise ConnectionResetError("peer went away")
    assert handled_count("test.handled", "ConnectionResetError") == before + 1
    [record] = [r for r in caplog.records if r.name == "parley.test.failures"]
    assert record.getMessage() == "test.handled failed"
    assert record.__dict__["error"] == "ConnectionResetError"
    assert record.__dict__["hearing"] == "h1"


def test_handled_lets_other_kinds_through() -> None:
    log = logging.getLogger("parley.test.failures")
    with pytest.raises(KeyError), handled(log, "test.narrow", ValueError):
        raise KeyError("not mine")
    assert handled_count("test.narrow", "KeyError") == 0


def test_note_failure_bounds_the_detail(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("parley.test.failures")
    with caplog.at_level(logging.WARNING, logger="parley.test.failures"):
        note_failure(log, "test.long", RuntimeError("x" * 1000))
    assert len(caplog.records[-1].__dict__["detail"]) == 200


def _broad(handler: ast.ExceptHandler) -> bool:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return handler.type is None or any(
        isinstance(n, ast.Name) and n.id in ("Exception", "BaseException") for n in names)


def _called(node: ast.AST) -> set[str]:
    return {(c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", ""))
            for c in ast.walk(node) if isinstance(c, ast.Call)}


def _offences() -> list[str]:
    found = []
    for package in PRODUCTION:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            where = path.relative_to(ROOT)
            for node in ast.walk(tree):
                if isinstance(node, ast.ExceptHandler) and _broad(node):
                    body = ast.Module(body=node.body, type_ignores=[])
                    reraises = any(isinstance(n, ast.Raise) for n in ast.walk(body))
                    if not reraises and not COUNTING & _called(body):
                        found.append(f"{where}:{node.lineno}: broad except neither re-raises nor counts")
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "suppress" \
                        and any(isinstance(a, ast.Name) and a.id in ("Exception", "BaseException")
                                for a in node.args):
                    found.append(f"{where}:{node.lineno}: suppress(Exception) swallows silently")
    return found


def test_no_silent_broad_catch_in_production_code() -> None:
    assert _offences() == []


def test_the_scan_finds_a_silent_catch(tmp_path: Path) -> None:
    tree = ast.parse("try:\n    f()\nexcept Exception:\n    pass\n")
    [handler] = [n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler)]
    assert _broad(handler) and not COUNTING & _called(ast.Module(body=handler.body, type_ignores=[]))
