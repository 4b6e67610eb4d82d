"""No widget can pass file-derived text to a sink that parses markup (issue 14), or
text whose control characters are not spelled out (issue 23).

A static check of every module of ``tutor.tui``: text widgets are
``tutor.tui.literal.Plain`` (``Static`` and ``Label`` are imported nowhere else),
nothing turns markup on, markup is parsed only by ``authored()`` at module level
(before any file is read), and the other sinks that read a str as markup (table
cells, option prompts, button labels, palette hits, tooltips, border titles)
get a string literal or Content built by one of the boundary's helpers.  Content and
Text are built from a str only in the boundary, whose helpers pass it through
``tutor.text.visible.visible``, and Markdown is the boundary's ``VisibleMarkdown``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "tutor" / "tui"
BOUNDARY = {UI / "literal.py", UI / "literal_markdown.py"}
MARKDOWN_BOUNDARY = "tutor.tui.literal_markdown.VisibleMarkdown"
MODULES = sorted(UI.rglob("*.py"))

SAFE_CALLS = {
    "literal", "literal_text", "highlighted", "authored", "outcome_content", "visible",
    "line_content", "tagged_content", "Text", "Content", "Content.styled", "Content.assemble",
}  # fmt: skip
"""Calls whose result a markup sink may take: they never parse file text as markup
(``line_content`` and ``tagged_content``, in ``tagged.py``, build Content by ``literal``)."""
SINKS: dict[str, tuple[tuple[int, ...] | None, tuple[str, ...]]] = {
    # name: (positional indexes that are text, None for all; keywords that are text)
    "add_row": (None, ("label",)),
    "add_rows": (None, ()),
    "add_column": ((0,), ("label",)),
    "add_columns": (None, ()),
    "Option": ((0,), ("prompt",)),
    "Button": ((0,), ("label",)),
    "Hit": ((1,), ("match_display", "help")),
    "DiscoveryHit": ((0,), ("display", "help")),
    "Tab": ((0,), ("label",)),
    "TabPane": ((0,), ("title",)),
    "Collapsible": ((), ("title",)),
    "Table": ((), ("title", "caption")),
    "Select": ((0,), ("prompt",)),
}
SINK_ATTRIBUTES = {"tooltip", "border_title", "border_subtitle", "caption", "title"}
"""Attributes that take markup; a screen's ``title``/``sub_title`` go to the Header, which
does not parse markup, so plain assignments to them on ``self`` are allowed."""


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return ""


def safe(node: ast.AST) -> bool:
    """A string literal, or text made by a safe call (also inside * of a generator or list)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str | int | float) or node.value is None
    if isinstance(node, ast.Call):
        return dotted(node.func) in SAFE_CALLS
    if isinstance(node, ast.Starred):
        return safe(node.value)
    if isinstance(node, ast.GeneratorExp | ast.ListComp):
        return safe(node.elt)
    if isinstance(node, ast.List | ast.Tuple):
        return all(safe(item) for item in node.elts)
    if isinstance(node, ast.IfExp):
        return safe(node.body) and safe(node.orelse)
    return False


def violations(path: Path) -> list[str]:
    """Every breach of the rules in the module at ``path``, as ``name:line: what``, by line."""
    found = sorted(_violations(path), key=lambda item: item[0])
    return [f"{path.name}:{line}: {message}" for line, message in found]


def _violations(path: Path) -> Iterator[tuple[int, str]]:
    tree = parsed(path)
    boundary = path in BOUNDARY
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual.widgets"):
            for alias in node.names:
                if alias.name in ("Static", "Label") and not boundary:
                    yield _line(node), f"imports {alias.name}: use tutor.tui.literal.Plain"
                if alias.name == "Markdown" and not boundary:
                    yield _line(node), f"imports Markdown: use {MARKDOWN_BOUNDARY}"
        if isinstance(node, ast.keyword) and node.arg == "markup" and not _false(node.value):
            yield _line(node.value), "markup= must be False"
        if isinstance(node, ast.Attribute) and node.attr == "from_markup" and not boundary:
            yield _line(node), "parses markup: use literal() or authored()"
        if isinstance(node, ast.Call):
            yield from _sink_call(node)
            if not boundary:
                yield from _content_from_str(node)
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr in SINK_ATTRIBUTES
                    and not (target.attr == "title" and dotted(target.value) == "self")
                    and not safe(node.value)
                ):
                    yield _line(node), f".{target.attr} takes markup: give it Content"
    yield from _authored_outside_module_level(tree)


def _line(node: ast.AST) -> int:
    return getattr(node, "lineno", 0)


def _false(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _sink_call(call: ast.Call) -> Iterator[tuple[int, str]]:
    name = dotted(call.func).rsplit(".", 1)[-1]
    if name not in SINKS:
        return
    positions, keywords = SINKS[name]
    texts = [arg for i, arg in enumerate(call.args) if positions is None or i in positions] + [
        kw.value for kw in call.keywords if kw.arg in keywords
    ]
    for arg in texts:
        if not safe(arg):
            yield _line(arg), f"{name}() reads a str as markup: give it Content"


BUILDERS = {"Content", "Content.styled", "Text", "Syntax"}
"""Constructors that keep a control character of their text: for literals only, else literal()."""


def _content_from_str(call: ast.Call) -> Iterator[tuple[int, str]]:
    name = dotted(call.func)
    if name in BUILDERS and call.args and not safe(call.args[0]):
        yield _line(call), f"{name}() keeps control characters: use literal() or visible()"
    if name == "Content.assemble":
        for arg in call.args:
            if isinstance(arg, ast.Tuple) and arg.elts and not _authored_text(arg.elts[0]):
                yield (
                    _line(arg),
                    "Content.assemble() keeps control characters: use literal() or visible()",
                )


def _authored_text(node: ast.AST) -> bool:
    """A literal, a literal repeated (``"━" * filled``), or text made by a safe call."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return isinstance(node.left, ast.Constant)
    return safe(node)


def _authored_outside_module_level(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and dotted(node.func) == "authored":
                    yield _line(node), "authored() only at module level"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(UI)))
def test_no_markup_sink_gets_text_that_is_not_content(path: Path) -> None:
    assert list(violations(path)) == []


def test_the_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The rules fail on the mistakes they are there to catch."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from textual.widgets import Static, DataTable\n"
        "from tutor.tui.literal import Plain, authored\n"
        "def f(lesson, table, widget, matcher):\n"
        "    Plain(lesson.title, markup=True)\n"
        "    Content.from_markup(lesson.title)\n"
        "    table.add_row(lesson.title, literal(lesson.title))\n"
        "    Option(f'{lesson.title}')\n"
        "    widget.tooltip = lesson.summary\n"
        "    DiscoveryHit(literal(lesson.title), None, help=lesson.summary)\n"
        "    authored(lesson.title)\n"
        "    Content.styled(lesson.title, 'bold')\n"
        "    Syntax(exercise.starter, 'python')\n"
        "    Content.assemble((lesson.title, 'bold'), ('━' * 3, 'dim'))\n"
        "from textual.widgets import Markdown\n"
    )
    found = [line.split(": ", 1)[1] for line in violations(bad)]
    assert found == [
        "imports Static: use tutor.tui.literal.Plain",
        "markup= must be False",
        "parses markup: use literal() or authored()",
        "add_row() reads a str as markup: give it Content",
        "Option() reads a str as markup: give it Content",
        ".tooltip takes markup: give it Content",
        "DiscoveryHit() reads a str as markup: give it Content",
        "authored() only at module level",
        "Content.styled() keeps control characters: use literal() or visible()",
        "Syntax() keeps control characters: use literal() or visible()",
        "Content.assemble() keeps control characters: use literal() or visible()",
        f"imports Markdown: use {MARKDOWN_BOUNDARY}",
    ]
