"""A step's prose as styled text, read once per text: paragraphs, lists, headings, code.

Provides :func:`prose_pieces`: Markdown (CommonMark with tables and strikethrough, as
Textual's ``Markdown`` reads it) turned into a tuple of pieces: a :class:`TextRun`
(paragraphs, lists, headings, quotes and rules, drawn by one widget), a
:class:`CodePiece` (a fenced or indented code block, drawn by a widget that scrolls
sideways) or a :class:`TablePiece` (a table's source, drawn by Textual's ``Markdown``);
and :func:`run_lines`, a run wrapped to a width.  Pieces are cached by text, so a
lesson's prose is parsed once however often its steps are visited.

It looks as Textual's ``Markdown`` does: a blank line after a paragraph or a list,
bullets ``•``, ``▪``, ``◦`` by depth in the primary colour, numbers right-aligned,
headings in the theme's heading colours, emphasis, strong, struck and inline code
styled, links underlined.  Text is shown as text: every string goes through
:func:`~tutor.tui.literal.literal` (control characters spelled out), styles come only
from here, never from the file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from markdown_it import MarkdownIt
from markdown_it.token import Token
from textual.content import Content

from tutor.text.visible import visible
from tutor.tui.literal import literal

BULLETS = ("• ", "▪ ", "◦ ")
"""Bullets of lists by depth (Textual's first two, then one the class's web fonts have)."""
BULLET_STYLE = "$text-primary"
INLINE_STYLES = {
    "em": "italic",
    "strong": "bold",
    "s": "strike",
    "link": "underline",
}
CODE_STYLE = "$text-warning 95% on $warning 10%"
"""Inline code, as Textual's Markdown styles it on a dark theme."""
HEADING_MARGINS = {1: (2, 1), 2: (2, 1)}
"""Blank lines above and below a heading, by level (others: one each)."""
QUOTE_BAR = "▌ "
RULE = "─"


@dataclass(frozen=True)
class TextBlock:
    """One paragraph, list item's paragraph, heading, quote line or rule, before wrapping."""

    content: Content
    indent: int = 0
    """Cells before the bullet (or before the text, when there is no bullet)."""
    bullet: Content | None = None
    """What the block's first line starts with (a list item's bullet or number)."""
    above: int = 0
    """Blank lines wanted above the block (margins collapse: the larger one counts)."""
    below: int = 0
    """Blank lines wanted below the block."""
    centred: bool = False
    rule: bool = False
    """A horizontal rule: a line across the width (``content`` is its style only)."""
    prefix: Content | None = None
    """Drawn before every line of the block (a quote's bar)."""


@dataclass(frozen=True)
class TextRun:
    """Consecutive text blocks, drawn by one widget."""

    blocks: tuple[TextBlock, ...]


@dataclass(frozen=True)
class CodePiece:
    """A code block: the code and its language (for highlighting)."""

    code: str
    language: str


@dataclass(frozen=True)
class TablePiece:
    """A table: its Markdown source (control characters spelled out), for Textual's Markdown."""

    source: str


Piece = TextRun | CodePiece | TablePiece


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("gfm-like")


@functools.lru_cache(maxsize=512)
def prose_pieces(text: str) -> tuple[Piece, ...]:
    """``text`` (Markdown) as pieces to draw, in order."""
    shown = visible(text, lines=True)
    return tuple(_pieces(_parser().parse(shown), shown.splitlines()))


def _pieces(tokens: list[Token], lines: list[str]) -> list[Piece]:
    pieces: list[Piece] = []
    run: list[TextBlock] = []
    lists: list[_List] = []
    quotes = heading = above = 0
    table = False
    for index, token in enumerate(tokens):
        kind = token.type
        if table or kind == "table_open":
            table = kind != "table_close"
            if kind == "table_open" and token.map is not None:
                if run:
                    pieces.append(TextRun(tuple(run)))
                    run = []
                pieces.append(TablePiece("\n".join(lines[token.map[0] : token.map[1]])))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrGet("start") or 1) if ordered else 1
            last = start + _items(tokens, index) - 1
            depth = sum(not item.ordered for item in lists)
            bullet = BULLETS[depth % len(BULLETS)]
            width = len(f"{last}. ") + 1 if ordered else len(bullet)
            lists.append(_List(ordered, start - 1, bullet, width))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists and run:
                run[-1] = replace(run[-1], below=max(run[-1].below, 1))
        elif kind == "list_item_open":
            lists[-1].number += 1
            lists[-1].fresh = True
        elif kind in ("blockquote_open", "blockquote_close"):
            quotes += 1 if kind == "blockquote_open" else -1
            above = 1
            if run and kind == "blockquote_close":
                run[-1] = replace(run[-1], below=max(run[-1].below, 1))
        elif kind == "heading_open":
            heading = int(token.tag[1:])
        elif kind == "heading_close":
            heading = 0
        elif kind == "hr":
            run.append(TextBlock(literal("", "$secondary"), above=1, below=1, rule=True))
        elif kind in ("inline", "html_block"):
            content = _inline(token) if kind == "inline" else literal(token.content.rstrip("\n"))
            block = _text_block(content, lists, quotes, heading)
            run.append(replace(block, above=max(block.above, above)))
            above = 0
        elif kind in ("fence", "code_block"):
            if run:
                pieces.append(TextRun(tuple(run)))
                run = []
            pieces.append(CodePiece(token.content.rstrip(), token.info.strip()))
    if run:
        pieces.append(TextRun(tuple(run)))
    return pieces


def _items(tokens: list[Token], opened: int) -> int:
    """How many items the list opened at ``tokens[opened]`` has."""
    level, count = tokens[opened].level, 0
    for token in tokens[opened + 1 :]:
        if token.level == level and token.type.endswith("_list_close"):
            break
        if token.type == "list_item_open" and token.level == level + 1:
            count += 1
    return count


@dataclass
class _List:
    """A list being read: its kind, the item number, its marker."""

    ordered: bool
    number: int
    bullet: str
    width: int
    """Cells the item's marker takes (numbers right-aligned to the widest)."""
    fresh: bool = True
    """Whether the item's first paragraph is still to come (it takes the marker)."""

    def marker(self) -> str:
        """This item's bullet, or its number right-aligned."""
        return f"{self.number}. ".rjust(self.width) if self.ordered else self.bullet


def _text_block(content: Content, lists: list[_List], quotes: int, heading: int) -> TextBlock:
    """A paragraph (or heading) where it stands: in lists, in quotes."""
    prefix = literal(QUOTE_BAR * quotes, "$text-primary 50%") if quotes else None
    if heading:
        above, below = HEADING_MARGINS.get(heading, (1, 1))
        styled = content.stylize_before(f"$markdown-h{heading}-color")
        return TextBlock(styled, above=above, below=below, centred=heading == 1, prefix=prefix)
    if not lists:
        return TextBlock(content, below=0 if quotes else 1, prefix=prefix)
    indent = sum(item.width for item in lists[:-1])
    item = lists[-1]
    if not item.fresh:  # a later paragraph of the item: under the first one's text
        return TextBlock(content, indent=indent + item.width, prefix=prefix)
    item.fresh = False
    bullet = literal(item.marker(), BULLET_STYLE)
    return TextBlock(content, indent=indent, bullet=bullet, prefix=prefix)


def _inline(token: Token) -> Content:
    """An inline token's text, its emphasis, strong, struck, code and links styled."""
    parts: list[Content] = []
    styles: list[str] = []

    def add(text: str, extra: str = "") -> None:
        style = " ".join(s for s in (*styles, extra) if s)
        parts.append(literal(text, style))

    for child in token.children or []:
        kind = child.type
        if kind == "text":
            add(re.sub(r"\s+", " ", child.content))
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "code_inline":
            add(child.content, CODE_STYLE)
        elif kind in ("html_inline",):
            add(child.content)
        elif kind == "image":
            add(str(child.attrs.get("alt", "") or child.content or ""))
        elif kind.endswith("_open"):
            styles.append(INLINE_STYLES.get(kind.removesuffix("_open"), ""))
        elif kind.endswith("_close") and styles:
            styles.pop()
    return Content("").join(parts)


def run_lines(run: TextRun, width: int) -> list[Content]:
    """``run`` wrapped to ``width`` cells: hanging indents under bullets, blank lines between
    blocks (the larger of the two margins), headings of level 1 centred."""
    lines: list[Content] = []
    for number, block in enumerate(run.blocks):
        if number:
            gap = max(run.blocks[number - 1].below, block.above)
            lines.extend(Content("") for _ in range(gap))
        lines.extend(_block_lines(block, max(1, width)))
    return lines


def _block_lines(block: TextBlock, width: int) -> list[Content]:
    prefix = block.prefix or Content("")
    room = width - prefix.cell_length
    if block.rule:
        return [prefix + literal(RULE * max(0, room), "$secondary")]
    bullet = block.bullet or Content("")
    hang = block.indent + bullet.cell_length
    text_width = max(1, room - hang)
    wrapped = block.content.wrap(text_width) or [Content("")]
    if block.centred:
        wrapped = [line.center(text_width) for line in wrapped]
    first = Content.blank(block.indent) + bullet
    rest = Content.blank(hang)
    return [prefix + (first if n == 0 else rest) + line.rstrip() for n, line in enumerate(wrapped)]
