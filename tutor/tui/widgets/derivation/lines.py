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

from rich.style import Style
from textual.content import Content
from textual.geometry import Region, Size
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
        self._top: int | None = None
        self._style: Style | None = None  # the widget's style while rows are rendered

    @property
    def text_width(self) -> int:
        """Columns a line may take (0 before the first layout)."""
        return self._width

    @property
    def rows(self) -> int:
        """Rows the shown lines take at the current width (0 before the first layout)."""
        return self.virtual_size.height

    def show(
        self, content: Content, room: Content | None = None, *, top: int | None = None
    ) -> None:
        """Show ``content``, its last row in view, or row ``top`` at the top (the first row
        of a product written path by path); with ``room``, keep as many rows as it takes
        (the finished derivation's lines), so that a reveal changes no widget's size.
        Only the rows that changed are painted again, unless the lines scrolled."""
        before = self._visible_rows()
        self.content = content
        self._top = top
        if room is not None and room is not self._room_content:
            self._room_content = room
            self._room = -1
        self._strips = None
        if not self._measure():
            return  # laid out again: every row is painted
        if self.keep_in_view():
            return  # scrolled: every row is painted
        after = self._visible_rows()
        width = self.size.width
        for y in range(max(len(before), len(after))):
            if y >= len(before) or y >= len(after) or before[y] != after[y]:
                self.refresh(Region(0, y, width, 1))

    def keep_in_view(self) -> bool:
        """Scroll to the last row (or to row ``top`` of the last :meth:`show`); whether the
        lines moved."""
        target = self.max_scroll_y if self._top is None else min(self._top, self.max_scroll_y)
        if target == round(self.scroll_y):
            return False
        self.scroll_to(y=target, animate=False, immediate=True)
        return True

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

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows in ``crop``, with the widget's style looked up once for all of them."""
        self._style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._style = None

    def render_line(self, y: int) -> Strip:
        """Row ``y`` of the view: a line scrolled to it, or a blank row."""
        strips = self._drawn()
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        style = self._style or self.rich_style
        if index < len(strips):
            return strips[index].crop_extend(0, width, style)
        return Strip.blank(width, style)

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

    def _measure(self, *, layout: bool = True) -> bool:
        """Draw the lines at the laid-out width; whether they fit in the rows kept (else a
        layout is asked for)."""
        height_before = max(self._room, self.virtual_size.height)
        if self._room < 0:
            self._room = len(self._draw(self._room_content, self._width))
        rows = len(self._drawn())
        virtual = Size(self._width, rows)
        self.set_reactive(DerivationLines.virtual_size, virtual)
        if not layout:
            return False
        if max(self._room, rows) != height_before or not self._width:
            self.refresh(layout=True)
            return False
        self._scroll_update(virtual)  # Textual 8.2's own update of scrollbars (no layout)
        return True

    def _visible_rows(self) -> list[Strip]:
        """The lines in view now, top to bottom."""
        if self._strips is None:
            return []
        first = round(self.scroll_y)
        return self._strips[first : first + self.size.height]
