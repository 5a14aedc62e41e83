"""The served JavaScript without its comment lines and indentation, and the stylesheet without
its comments (pure: text in, text out).

The client's modules are written for the people who keep them: a fifth of their bytes are `//`
comments on lines of their own, and a twentieth indentation, which every page load would
download and parse for nothing. `slim_javascript` empties each line whose first non-blank
characters start a `//` comment, cuts a `//` comment that follows code on its line (with the
blanks before it), and takes the indentation off each line that begins in code, keeping every
newline, so every line number a browser reports (an error's stack) is the source's (a column
is then counted from the line's first character of code). Nothing else changes: any text that
only looks like a comment stays, and a line that begins inside a template literal's text keeps
its spaces (they are the string's).

Only lines that begin in code are touched. A small lexer follows what can hide `//` from a
reader: quoted strings, template literals (with their `${…}` expressions, nested), block
comments and regular expression literals (a `/` that starts one is told from a division by the
token before it, as the language does). A file it cannot follow to a clean end (a string or
regular expression cut by a line end, an unclosed template, comment or expression) is returned
as written: serving the source unchanged is always right.

A stylesheet's comments are simpler: CSS has no comment to the line's end, no regular
expressions and no templates, only quoted strings that may hold `/*`. `css_without_comments`
removes every `/* … */` outside a string and keeps the newlines it held, so line numbers stay
the source's; a stylesheet with an unclosed comment or string is served as written.
"""

from __future__ import annotations

import re

#: Keywords after which a `/` starts a regular expression, not a division.
_REGEX_AFTER_WORD = frozenset({
    "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case",
    "do", "else", "yield", "await",
})
_WORD = re.compile(r"[A-Za-z0-9_$]+")


class _Unfollowable(Exception):
    """The lexer lost the thread: the file is served as written."""


def _skip_quoted(text: str, i: int, quote: str) -> int:
    """The index after the string opened at `i` (a line end inside it: unfollowable)."""
    i += 1
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == quote:
            return i + 1
        if c == "\n":
            raise _Unfollowable
        i += 1
    raise _Unfollowable


def _skip_regex(text: str, i: int) -> int:
    """The index after the regular expression literal opened at `i`, its flags included."""
    i += 1
    in_class = False
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n":
            raise _Unfollowable
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "/" and not in_class:
            i += 1
            while i < len(text) and (text[i].isalnum() or text[i] == "_"):
                i += 1
            return i
        i += 1
    raise _Unfollowable


def _comment_lines(text: str) -> tuple[list[tuple[int, int]], set[int]]:
    """(start, end) of each `//` comment (end: its line end; a comment after code starts at
    the blanks before it), and where each line begins that begins in code (not in a
    template's text, a string continued over a line end, or a block comment)."""
    found: list[tuple[int, int]] = []
    code_lines = {0}
    # The open template literals' expressions: the `{` depth inside each `${…}`, innermost last;
    # `in_template` says whether the innermost context is a template's text.
    expressions: list[int] = []
    in_template = False
    regex_may_start = True
    line_start = 0
    i = 0
    while i < len(text):
        c = text[i]
        if in_template:
            if c == "\\":
                i += 2
            elif c == "`":
                in_template, regex_may_start = False, False
                i += 1
            elif text.startswith("${", i):
                expressions.append(0)
                in_template, regex_may_start = False, True
                i += 2
            else:
                if c == "\n":
                    line_start = i + 1
                i += 1
            continue
        if c == "\n":
            line_start = i + 1
            code_lines.add(line_start)
            i += 1
        elif c in " \t\r":
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            before = text[line_start:i]
            found.append((i - (len(before) - len(before.rstrip(" \t"))), end))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise _Unfollowable
            line_start = text.rfind("\n", 0, end) + 1 if "\n" in text[i:end] else line_start
            i = end + 2
        elif c == "/":
            if regex_may_start:
                i = _skip_regex(text, i)
                regex_may_start = False
            else:
                i += 1
                regex_may_start = True
        elif c in "'\"":
            i = _skip_quoted(text, i, c)
            regex_may_start = False
        elif c == "`":
            in_template = True
            i += 1
        elif c == "{":
            if expressions:
                expressions[-1] += 1
            regex_may_start = True
            i += 1
        elif c == "}":
            if expressions and expressions[-1] == 0:
                expressions.pop()
                in_template = True
            elif expressions:
                expressions[-1] -= 1
            regex_may_start = False
            i += 1
        elif c in ")]":
            regex_may_start = False
            i += 1
        else:
            word = _WORD.match(text, i)
            if word:
                regex_may_start = word.group() in _REGEX_AFTER_WORD
                i = word.end()
            else:
                regex_may_start = True
                i += 1
    if in_template or expressions:
        raise _Unfollowable
    return found, code_lines


def slim_javascript(source: str) -> str:
    """`source` with every `//` comment cut (a line that held only one is left empty) and
    every line that begins in code unindented (each newline kept)."""
    try:
        spans, code_lines = _comment_lines(source)
    except _Unfollowable:
        return source
    cut = {source.rfind("\n", 0, start) + 1: start for start, _ in spans}  # line → where
    out: list[str] = []
    at = 0
    for line in source.split("\n"):
        kept = line[:cut[at] - at] if at in cut else line
        out.append(kept.lstrip(" \t") if at in code_lines else kept)
        at += len(line) + 1
    return "\n".join(out)


def css_without_comments(source: str) -> str:
    """`source` (CSS) with every comment removed, the newlines inside each kept."""
    out: list[str] = []
    done = 0
    i = 0
    try:
        while i < len(source):
            c = source[i]
            if c in "'\"":
                i = _skip_quoted(source, i, c)
            elif source.startswith("/*", i):
                end = source.find("*/", i + 2)
                if end < 0:
                    raise _Unfollowable
                out.append(source[done:i])
                out.append("\n" * source.count("\n", i, end))
                i = done = end + 2
            else:
                i += 1
    except _Unfollowable:
        return source
    out.append(source[done:])
    return "".join(out)
