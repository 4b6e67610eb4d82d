"""Tagged lines as Textual :class:`~textual.content.Content`, styled by the one colour table.

Provides :func:`tagged_content`: every widget that shows words of
:mod:`tutor.present` (derivations, verdicts, worked solutions, network cards, the
lesson summary) turns them into Content here, each span in its role's style
(:data:`tutor.tui.styles.ROLE_STYLES`).  Span text is text, never markup, and passes
the boundary of :mod:`tutor.tui.literal`.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content

from tutor.present.lines import Line
from tutor.tui.literal import literal
from tutor.tui.styles import ROLE_STYLES


def line_content(line: Line) -> Content:
    """One line, each span in its role's style (its text through the boundary, ``literal``)."""
    return Content.assemble(*(literal(span.text, ROLE_STYLES[span.role]) for span in line.spans))


def tagged_content(lines: Iterable[Line]) -> Content:
    """The lines one under the other, each span in its role's style."""
    return Content("\n").join(line_content(line) for line in lines)
