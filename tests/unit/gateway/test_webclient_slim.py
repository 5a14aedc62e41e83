"""The served JavaScript loses its comments and indentation and nothing else, the stylesheet its
comments (a comment-like text in a CSS string stays) (gateway/webclient/slim.py):
each line that is only a `//` comment is emptied, its newline kept; a comment after code goes
with the blanks before it; what merely looks like a
comment (in a string, a template literal's text or a regular expression) stays; a file the
lexer cannot follow is served as written. Every file the gateway serves is followed to its end,
still parses (as `node --check` parses a module; one node process checks them all), and keeps
its line count."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from gateway.webclient.routes import WEBCLIENT, asset_table
from gateway.webclient.slim import css_without_comments, slim_javascript


def test_a_comment_line_is_emptied_and_its_newline_kept() -> None:
    source = "// What this does.\n  // Indented too.\nconst a = 1; // cut: after code\n"
    assert slim_javascript(source) == "\n\nconst a = 1;\n"


def test_a_comment_after_code_goes_and_what_only_looks_like_one_stays() -> None:
    source = "\n".join([
        "  f(\"a // b\", 'c // d'); // gone",
        "  const r = /\\/\\//g; // gone too",
        "  const s = `x // y`;\t// and this",
        "  g(1 / 2 / 3); // the divisions stay",
        ""])
    assert slim_javascript(source) == "\n".join([
        "f(\"a // b\", 'c // d');",
        "const r = /\\/\\//g;",
        "const s = `x // y`;",
        "g(1 / 2 / 3);",
        ""])


def test_code_lines_lose_their_indentation_and_text_keeps_its_spaces() -> None:
    source = "\n".join([
        "function f() {",
        "    const said = `first",
        "    second line of the text ${",
        "      1 + 1} still text",
        "    `;",
        "    const long = 'one \\",
        "    two';",
        "  /* a block",
        "     comment */",
        "  return said;",
        "}",
    ])
    assert slim_javascript(source).split("\n") == [
        "function f() {",
        "const said = `first",
        "    second line of the text ${",  # in the template's text: the string's spaces
        "1 + 1} still text",  # in its expression: code
        "    `;",
        "const long = 'one \\",
        "    two';",  # a string continued over a line end
        "/* a block",
        "     comment */",
        "return said;",
        "}",
    ]


def test_what_only_looks_like_a_comment_stays() -> None:
    source = "\n".join([
        'const url = "http://example.org"; const other = \'//x\';',
        "const said = `first line",
        "// inside the template's text: part of the string",
        "${ { a: 1 }.a",
        "// inside an expression: a comment",
        "} last`;",
        "const re = /\\/\\/[/]/g, half = 4 / 2 / 1;",
        "/* a block",
        "// inside the block comment",
        "*/",
        "// a comment after all that",
        "",
    ])
    slim = slim_javascript(source).split("\n")
    assert slim == [
        'const url = "http://example.org"; const other = \'//x\';',
        "const said = `first line",
        "// inside the template's text: part of the string",
        "${ { a: 1 }.a",
        "",
        "} last`;",
        "const re = /\\/\\/[/]/g, half = 4 / 2 / 1;",
        "/* a block",
        "// inside the block comment",
        "*/",
        "",
        "",
    ]


@pytest.mark.parametrize("source", [
    "const t = `never closed\n// a comment?\n",
    "const s = 'cut by\n// a line end';\n",
    "/* never closed\n// x\n",
    "const e = `${ 1 + \n// x\n",
])
def test_a_file_the_lexer_cannot_follow_is_served_as_written(source: str) -> None:
    assert slim_javascript(source) == source


def test_every_served_module_is_slimmed_and_still_parses() -> None:
    table = asset_table()
    sources = {path: (WEBCLIENT / path).read_text(encoding="utf-8")
               for path in table if path.endswith(".js")}
    assert len(sources) > 50
    saved = 0
    for path, source in sources.items():
        served = table[path][0].decode("utf-8")
        assert served.count("\n") == source.count("\n"), path
        # No module has a template literal with a `//` line in its text: none may stay.
        assert not any(line.lstrip().startswith("//") for line in served.split("\n")), path
        saved += len(source) - len(served)
    assert saved > sum(map(len, sources.values())) // 10  # comments really went
    assert unparsable_modules({path: table[path][0].decode("utf-8") for path in sources}) == []


#: Parses each module of a JSON object {name: source} read from stdin, as `node --check` does a
#: .mjs file (parsed, not linked or run), and prints "name: error" for each that does not parse.
#: One node process for all of them: a process per file took most of this module's time.
_PARSE_ALL = """
const vm = require("node:vm");
let text = "";
process.stdin.setEncoding("utf8").on("data", (part) => { text += part; }).on("end", () => {
  for (const [name, source] of Object.entries(JSON.parse(text))) {
    try { new vm.SourceTextModule(source, { identifier: name }); }
    catch (error) { console.log(`${name}: ${error.name}: ${error.message}`); }
  }
});
"""


def unparsable_modules(sources: dict[str, str]) -> list[str]:
    """The "name: error" lines of the modules node cannot parse (skips the test without node)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    checked = subprocess.run(
        [node, "--experimental-vm-modules", "--no-warnings", "-e", _PARSE_ALL],
        input=json.dumps(sources), capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    return checked.stdout.splitlines()


def test_the_parse_check_names_each_module_that_does_not_parse() -> None:
    # A module is parsed, not linked or run: an import of nothing and a top-level await pass.
    found = unparsable_modules({
        "ok.js": 'import { a } from "./nowhere.js";\nexport const b = a;\nawait 1;\n',
        "broken.js": "export const a = ;\n",
        "twice.js": "const a = 1;\nconst a = 2;\n",
    })
    assert [line.split(": ")[:2] for line in found] == [["broken.js", "SyntaxError"], ["twice.js", "SyntaxError"]]
    assert "'a' has already been declared" in found[1], found



def test_css_comments_go_and_their_lines_stay() -> None:
    source = ('/* the palette */\n:root { --ink: #111; }\n'
              '.a::before { content: "/* not a comment */"; } /* after code,\n over two lines */\n'
              ".b { background: url('x/*y.png'); }\n")
    assert css_without_comments(source) == (
        '\n:root { --ink: #111; }\n'
        '.a::before { content: "/* not a comment */"; } \n\n'
        ".b { background: url('x/*y.png'); }\n")


@pytest.mark.parametrize("source", [".a { color: red; } /* never closed\n", '.a::before { content: "cut\n'])
def test_a_stylesheet_the_lexer_cannot_follow_is_served_as_written(source: str) -> None:
    assert css_without_comments(source) == source


def test_the_served_stylesheet_has_no_comment_and_the_same_rules() -> None:
    table = asset_table()
    for path in (p for p in table if p.endswith(".css")):
        source = (WEBCLIENT / path).read_text(encoding="utf-8")
        served = table[path][0].decode("utf-8")
        assert "/*" not in served and served.count("\n") == source.count("\n"), path
        assert len(served) < len(source) * 0.9, path  # the comments really went
        # Every rule is still there: the same selectors and declarations, in the same order.
        assert served.count("{") == source.count("{") and served.count(";") <= source.count(";")
