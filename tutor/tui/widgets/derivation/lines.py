"""The revealed lines of a derivation, in rows kept for the whole derivation.

Provides :class:`DerivationLines`.  A reveal adds a line or two; a widget that grew
with them would have Textual lay the whole screen out again (three layouts a reveal,
measured in issue 21).  So this one is as tall as the finished derivation will be
(``room``, measured once per width; the view caps it so that the graph and the newest
line share the window), the rows not revealed yet are blank, and a reveal repaints
this widget alone.  It scrolls itself (Textual's line API), so keeping the newest line
in view repaints it alone too, and its scrollbar measures the revealed lines only.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.visual import Visual


class DerivationLines(ScrollView, can_focus=False):
    """Tagged lines one under the other, above blank rows kept for the ones to come."""

    DEFAULT_CSS = """
    DerivationLines {
        height: auto;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.content = Content.empty()
        """The lines shown (a test reads them with :meth:`render`)."""
        self._room_content = Content.empty()
        self._strips: list[Strip] | None = None  # ``content`` at ``_width``, None until drawn
        self._width = 0
        self._room = 0

    @property
    def text_width(self) -> int:
        """Columns a line may take (0 before the first layout)."""
        return self._width

    @property
    def rows(self) -> int:
        """Rows the shown lines take at the current width (0 before the first layout)."""
        return self.virtual_size.height

    def show(self, content: Content, room: Content | None = None) -> None:
        """Show ``content``; with ``room``, keep as many rows as it takes (the finished
        derivation's lines), so that a reveal within them changes no widget's size."""
        self.content = content
        if room is not None and room is not self._room_content:
            self._room_content = room
            self._room = -1
        self._strips = None
        self._measure()

    def render(self) -> Content:
        """The lines shown, as Content (what a test reads)."""
        return self.content

    # ------------------------------------------------------------------ Textual
    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The rows kept, or the lines' own when they take more."""
        width -= self.scrollbar_size_vertical  # the gutter kept for the scrollbar
        if width != self._width:
            self._width = width
            self._room = -1
            self._strips = None
            self._measure(layout=False)
        return max(self._room, len(self._drawn()))

    def render_line(self, y: int) -> Strip:
        """Row ``y`` of the view: a line scrolled to it, or a blank row."""
        strips = self._drawn()
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if index < len(strips):
            return strips[index].crop_extend(0, width, self.rich_style)
        return Strip.blank(width, self.rich_style)

    def selection_updated(self, selection: Selection | None) -> None:
        """Draw the lines again with the selection highlighted."""
        self._strips = None
        self.refresh()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text of the lines."""
        return selection.extract(self.content.plain), "\n"

    # ------------------------------------------------------------------ drawing
    def _draw(self, content: Content, width: int) -> list[Strip]:
        if width <= 0:
            return []
        return Visual.to_strips(self, content, width, None, self.visual_style)

    def _drawn(self) -> list[Strip]:
        if self._strips is None:
            self._strips = self._draw(self.content, self._width)
        return self._strips

    def _measure(self, *, layout: bool = True) -> None:
        """Draw the lines at the laid-out width; a layout only if they no longer fit."""
        height_before = max(self._room, self.virtual_size.height)
        if self._room < 0:
            self._room = len(self._draw(self._room_content, self._width))
        rows = len(self._drawn())
        virtual = Size(self._width, rows)
        self.set_reactive(DerivationLines.virtual_size, virtual)
        if not layout:
            return
        if max(self._room, rows) != height_before or not self._width:
            self.refresh(layout=True)
            return
        self._scroll_update(virtual)  # Textual 8.2's own update of scrollbars (no layout)
        self.refresh()
