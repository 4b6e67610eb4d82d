"""The computational graph of a derivation, drawn across when it fits, else top to bottom.

Across (the usual case for small networks): ``x ─▶ z1 ─▶ a1 ─▶ … ─▶ L`` on one
row, the parameters and the target feeding in from above, each node's value and
gradient below it.  When that is wider than the widget, a compact column of
nodes is drawn instead (see :mod:`tutor.tui.widgets.derivation.graph_layout`).  The layout
is chosen from the widget's width whenever it is laid out or resized.  Every
value comes from the engine's :class:`~tutor.engine.Derivation` and the
:class:`GraphState` the derivation view computes; this widget only lays them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, cast

from textual.content import Content
from textual.geometry import Region, Size
from textual.widget import Widget

from tutor.tui.widgets.derivation.graph_layout import GraphCells, GraphState, horizontal, vertical

if TYPE_CHECKING:
    from textual.css.styles import RulesMap

    from tutor.engine import Derivation

__all__ = ["GraphState", "GraphView"]

Layout = Literal["horizontal", "vertical"]


class GraphView(Widget):
    """Nodes of the derivation's graph with values, gradients so far and the current node."""

    DEFAULT_CSS = """
    GraphView { width: 1fr; height: auto; padding: 0 1; }
    """

    def __init__(self, derivation: Derivation, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.derivation = derivation
        self.cells = GraphCells(derivation)
        self.state = GraphState()
        self.layout_mode: Layout = "horizontal"
        self._drawn: tuple[GraphState, Layout, Content] | None = None  # the last drawing

    def show(self, state: GraphState) -> None:
        """Redraw with ``state``: only the rows whose text or styles changed are painted."""
        before = self._drawn[2] if self._drawn is not None else None
        self.state = state
        if before is None or not self.size:
            self.refresh()
            return
        old, new = before.split("\n"), self.render().split("\n")
        top, width = self.styles.padding.top, self.size.width
        for y in range(max(len(old), len(new))):
            if y >= len(old) or y >= len(new) or not _same(old[y], new[y]):
                self.refresh(Region(0, top + y, width, 1))

    @property
    def highlighted(self) -> str | None:
        """The label of the highlighted node, if any."""
        return self.state.current

    def layout_for(self, width: int) -> Layout:
        """Across when the whole chain fits in ``width`` columns, else top to bottom."""
        return "horizontal" if self.cells.horizontal_width() <= width else "vertical"

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Choose the layout for the width being laid out, then measure it."""
        self._choose(width)
        return self._height(width)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Choose the layout for the width laid out if the layout did not ask: Textual 8.2
        keeps a widget's box model for the last container sizes it had, and lays it out at
        one of them again without asking for its content's height (the one kept is then the
        height of this layout; if not, a layout of its own follows)."""
        width, gutter = size.width - self.styles.gutter.width, self.styles.gutter.height
        if width > 0 and self._choose(width) and self._height(width) + gutter != size.height:
            self.call_later(self.refresh, layout=True)
        return super()._size_updated(size, virtual_size, container_size, layout)

    def _choose(self, width: int) -> bool:
        """Take the layout for ``width``; whether it changed (then drawn again: Textual keeps
        the last drawing for its measures)."""
        mode = self.layout_for(width)
        if mode == self.layout_mode:
            return False
        self.layout_mode = mode
        self.refresh()
        return True

    def _height(self, width: int) -> int:
        """The rows of the graph drawn at ``width``."""
        rules = cast("RulesMap", self.styles)  # as Textual passes them (styles are rules)
        return self.render().get_height(rules, width)

    def render(self) -> Content:
        """The graph for the current state; measuring and drawing share one layout."""
        drawn = self._drawn
        if drawn is None or drawn[0] is not self.state or drawn[1] != self.layout_mode:
            draw = horizontal if self.layout_mode == "horizontal" else vertical
            drawn = (self.state, self.layout_mode, draw(self.cells, self.state))
            self._drawn = drawn
        return drawn[2]


def _same(one: Content, other: Content) -> bool:
    """Whether two rows show the same text in the same styles."""
    return one.plain == other.plain and one.spans == other.spans
