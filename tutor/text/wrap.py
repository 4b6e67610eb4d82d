"""Words broken into lines of a given width: narrow columns such as the lesson outline, and
the 80 columns of ``lesson --plain``.

Provides :func:`wrap_words` (text in lines of a width), :func:`wrap_line` (one line, its
continuations indented under it) and :func:`wrap_prose` (plain prose, code and tables
left as written).
"""

from __future__ import annotations

import re

WORD = re.compile(r"(\s*)(`[^`\s][^`]*`\S*|\S*\((?:[^()\s]+ ){1,2}[^()\s]+\)\S*|\S+)")
"""A word and the spaces before it.  A `code span` counts as one word (a command stays
whole), and so does a short formula in brackets, ``½(y − t)²``."""
LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+")
TABLE_LABEL = re.compile(r"\s*\S+(?: \S+)*\s{2,}(?=\S)")
"""A table row's first column and the spaces after it: ``  a number        0.25   .5``."""
MAX_LABEL = 24
"""A first column wider than this is no table's label (a row of values)."""
HANG = 2
"""How much further in than its line the continuation of a wrapped line starts."""
CODE_INDENT = 4


def wrap_words(text: str, room: int, *, first: int | None = None) -> list[str]:
    """``text`` in lines of at most ``room`` cells (the first line ``first``, if given), broken
    between words; a word longer than a line is split with a hyphen at the end of each part
    ("Initialisa-", "tion").  The spaces between two words on one line are kept as written."""
    lines: list[str] = []
    line = ""

    def fits(length: int) -> bool:
        return length <= (room if lines or first is None else first)

    for gap, word in WORD.findall(text.strip()):
        if line and fits(len(line) + len(gap) + len(word)):
            line += gap + word
            continue
        if line:
            lines.append(line)
        while not fits(len(word)):
            cut = max(1, (room if lines or first is None else first) - 1)  # letters before "-"
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    return [*lines, line] if line else lines


def wrap_line(line: str, width: int, *, hang: int = HANG) -> list[str]:
    """``line`` in pieces of at most ``width`` columns, broken between words.

    The pieces after the first start ``hang`` columns further in than the line does;
    under the value column of a table row (a short label, then two spaces or more)."""
    if len(line) <= width:
        return [line]
    indent = len(line) - len(line.lstrip())
    label = TABLE_LABEL.match(line)
    start = label.end() if label and label.end() - indent <= MAX_LABEL else indent + hang
    pieces = wrap_words(line, width - start, first=width - indent)
    return [" " * indent + pieces[0], *(" " * start + piece for piece in pieces[1:])]


def wrap_prose(text: str, width: int) -> str:
    """Plain prose with each line longer than ``width`` wrapped (a list item's text under its
    first word); code (indented four spaces) and table rows (``|``) stay as written."""
    lines: list[str] = []
    for line in text.split("\n"):
        if line.startswith(" " * CODE_INDENT) or line.lstrip().startswith("|"):
            lines.append(line)
            continue
        item = LIST_ITEM.match(line)
        hang = item.end() - (len(line) - len(line.lstrip())) if item else 0
        lines += wrap_line(line, width, hang=hang)
    return "\n".join(lines)
