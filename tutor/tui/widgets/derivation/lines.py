"""The revealed lines of a derivation, in rows kept for the whole derivation.

Provides :class:`DerivationLines`.  A reveal adds a line or two; a widget that grew
with them would have Textual lay the whole screen out again (three layouts a reveal,
measured in issue 21).  So this one is as tall as the finished derivation will be
(``room``, measured once per width; the view caps it so that the graph and the newest
line share the window), the rows not revealed yet are blank, and a reveal repaints
this widget alone.  It scrolls itself (Textual's line API), so keeping the newest line
in view repaints it alone too, and its scrollbar measures the revealed lines only.
Its lines depend on its width: it asks its view for them (``write``) as Textual lays
it out, so a new width takes one layout, not one to find the width and one more for
the lines' new height.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.style import Style
from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.visual import Visual

from tutor.tui.widgets.scrollbars import make_scrollbar


@dataclass(frozen=True)
class Written:
    """The lines to show at one width."""

    content: Content
    room: Content | None = None
    """The finished derivation's lines: as many rows are kept (None: the lines' own)."""
    top: int | None = None
    """The row to show at the top (the first row of a product written path by path);
    None keeps the last row in view."""


NO_CAP = 1_000_000
"""Rows shown when uncapped."""


class DerivationLines(ScrollView, can_focus=False):
    """Tagged lines one under the other, above blank rows kept for the ones to come."""

    DEFAULT_CSS = """
    DerivationLines {
        height: auto;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-horizontal: 0;  /* else Textual 8.2 adds its row to the height */
    }
    """

    def __init__(self, write: Callable[[int], Written], *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._write = write
        self.content = Content.empty()
        """The lines shown (a test reads them with :meth:`render`)."""
        self._room_content = Content.empty()
        self._strips: list[Strip] | None = None  # ``content`` at ``_width``, None until drawn
        self._width = 0
        self._room = 0  # rows ``_room_content`` takes at ``_room_width``
        self._room_width = 0
        self._cap = NO_CAP
        self._top: int | None = None
        self._style: Style | None = None  # the widget's style while rows are rendered

    @property
    def rows(self) -> int:
        """Rows the shown lines take at the current width (0 before the first layout)."""
        return self.virtual_size.height

    def show(self) -> None:
        """Write the lines again at the laid-out width, the last row in view or row ``top``
        at the top.  Only the rows that changed are painted again, unless the lines scrolled
        or the widget's height changed (then it is laid out again)."""
        if not self._width:
            self.refresh(layout=True)  # not laid out yet: the layout writes them
            return
        before = self._visible_rows()
        self._take(self._write(self._width))
        if self._height() != self.size.height:
            self.refresh(layout=True)
            return  # laid out again: every row is painted
        self._scroll_update(self.virtual_size)  # Textual 8.2's own update of scrollbars
        if self.keep_in_view():
            return  # scrolled: every row is painted
        after = self._visible_rows()
        width = self.size.width
        for y in range(max(len(before), len(after))):
            if y >= len(before) or y >= len(after) or before[y] != after[y]:
                self.refresh(Region(0, y, width, 1))

    def cap(self, rows: int) -> None:
        """Show at most ``rows`` rows, the rest scrolled (laid out again if the height
        changes)."""
        if rows != self._cap:
            self._cap = rows
            if self._height() != self.size.height:
                self.refresh(layout=True)

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
        """The rows kept, or the lines' own when they take more, up to the cap; the lines
        are written for a new width here, as the layout finds it, and the scrollbar shown
        if they scroll (Textual 8.2 decides after the layout, and lays it all out again)."""
        width -= self.scrollbar_size_vertical  # the gutter kept for the scrollbar
        if width != self._width:
            self._width = width
            self._take(self._write(width))
        height = self._height()
        scrolls = len(self._drawn()) > height
        if scrolls != self.show_vertical_scrollbar:
            self.set_reactive(ScrollView.show_vertical_scrollbar, scrolls)  # no layout asked
            make_scrollbar(self, vertical=True, shown=scrolls)
        return height

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Write the lines for the width laid out if the layout did not ask for them: Textual
        8.2 keeps a widget's box model for the last container sizes it had, and lays it out
        at one of them again without asking for its content's height."""
        width = size.width - self.scrollbar_size_vertical
        if width > 0 and width != self._width:
            self._width = width
            self._take(self._write(width))
            if self._height() != size.height:  # lines changed since: a layout of their own
                self.call_later(self.refresh, layout=True)
        return super()._size_updated(size, virtual_size, container_size, layout)

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
    def _take(self, written: Written) -> None:
        """Keep ``written`` (the lines at ``_width``) and measure it."""
        self.content = written.content
        self._top = written.top
        self._strips = None
        room = Content.empty() if written.room is None else written.room
        if room is not self._room_content or self._room_width != self._width:
            self._room_content, self._room_width = room, self._width
            self._room = len(self._draw(room, self._width))
        self.set_reactive(DerivationLines.virtual_size, Size(self._width, len(self._drawn())))

    def _height(self) -> int:
        """The rows the widget takes: those kept or the lines', up to the cap."""
        return min(self._cap, max(self._room, len(self._drawn())))

    def _draw(self, content: Content, width: int) -> list[Strip]:
        if width <= 0:
            return []
        return Visual.to_strips(self, content, width, None, self.visual_style)

    def _drawn(self) -> list[Strip]:
        if self._strips is None:
            self._strips = self._draw(self.content, self._width)
        return self._strips

    def _visible_rows(self) -> list[Strip]:
        """The lines in view now, top to bottom."""
        if self._strips is None:
            return []
        first = round(self.scroll_y)
        return self._strips[first : first + self.size.height]
