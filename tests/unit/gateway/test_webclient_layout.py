"""The web client's modules keep the team's size rule: a JavaScript module over 300 lines says
why in its opening comment ("Longer than 300 lines ..."), as the Python modules do in their
docstrings (test_gateway_layout.py)."""

from __future__ import annotations

from pathlib import Path

from gateway.webclient.routes import WEBCLIENT

LIMIT = 300
REASON = "Longer than 300 lines"


def opening_comment(text: str) -> str:
    """The `//` lines a module starts with, up to its first line that is not one."""
    lines = []
    for line in text.split("\n"):
        if not line.lstrip().startswith("//"):
            break
        lines.append(line.lstrip()[2:].strip())
    return " ".join(lines)


def unexplained(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "js").rglob("*.js")):
        text = path.read_text()
        if text.count("\n") > LIMIT and REASON not in opening_comment(text):
            found.append(f"{path.relative_to(root).as_posix()} ({text.count(chr(10))} lines)")
    return found


def test_opening_comment_is_the_leading_comment_lines_only() -> None:
    assert opening_comment("// a\n//   b\n\n// c\nx") == "a b"
    assert opening_comment(f"import x;\n// {REASON}: no\n") == ""


def test_the_rule_catches_a_long_module_without_a_reason(tmp_path: Path) -> None:
    (tmp_path / "js" / "deep").mkdir(parents=True)
    body = "let x = 1;\n" * (LIMIT + 1)
    (tmp_path / "js" / "deep" / "long.js").write_text("// Renders x.\n" + body)
    (tmp_path / "js" / "why.js").write_text(f"// Renders x.\n// {REASON}: one renderer.\n" + body)
    (tmp_path / "js" / "late.js").write_text("let y;\n" + f"// {REASON}: too late.\n" + body)
    (tmp_path / "js" / "short.js").write_text("let x = 1;\n" * LIMIT)
    assert unexplained(tmp_path) == [f"js/deep/long.js ({LIMIT + 2} lines)",
                                     f"js/late.js ({LIMIT + 3} lines)"]


def test_long_modules_say_why() -> None:
    """Every module under js/ over 300 lines states why in its opening `//` comment."""
    assert unexplained(WEBCLIENT) == []
