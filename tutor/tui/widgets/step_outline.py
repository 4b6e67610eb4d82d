"""The outline of a lesson's steps: the current one highlighted, finished ones ticked.

Titles wrap under themselves (a hanging indent after the step number), so a long
title is read in full at any width instead of ending in "…"; a word too long for a
line is split with a hyphen, never silently.  Moving to another
step redraws only the two rows that changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.geometry import Size
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tutor.text.wrap import wrap_words
from tutor.tui.literal import literal
from tutor.tui.messages import StepChosen
from tutor.tui.styles import FINISHED_STYLE


def outline_label(index: int, title: str, mark: str, width: int) -> str:
    """``"▶ 3 Title"``, wrapped to ``width`` cells with the title's lines aligned."""
    prefix = f"{mark}{index + 1:>2} "
    room = width - len(prefix)
    if room < 8:  # too narrow to wrap usefully: one line, cut by the widget
        return prefix + title
    lines = wrap_words(title, room) or [""]
    return prefix + ("\n" + " " * len(prefix)).join(lines)


class StepOutline(OptionList):
    """The steps of a lesson; Enter or a click on one posts :class:`StepChosen`."""

    DEFAULT_CSS = """
    StepOutline {
        height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; scrollbar-gutter: stable;
    }
    """

    def __init__(self, titles: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.titles = list(titles)
        self.current = 0
        self.finished: set[int] = set()
        self._wrap_width = 0
        self._sizes: tuple[Size, Size, Size] | None = None

    def on_mount(self) -> None:
        """Fill in the steps."""
        self._rebuild()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Textual 8.2's ScrollView repaints its scrollbar after every layout of the screen,
        changed or not; the outline stays still unless its own sizes change (so building a
        step's page out of view draws nothing).  A new width (or a scrollbar come or gone)
        wraps the titles again here, as the layout places the outline: its rows counted
        after the layout (as OptionList does as it draws or gets new options) asked for one
        more layout of the whole screen."""
        sizes = (size, virtual_size, container_size)
        if sizes == self._sizes:
            return False
        self._sizes = sizes
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if self._room() != self._wrap_width:
            self._rebuild()
        return changed

    def _room(self) -> int:
        """The cells a title's lines may take beside the scrollbar, if there is one (titles
        wrapped before the scrollbar appeared were cut by it with "…")."""
        return self.scrollable_content_region.width

    def show(self, current: int, finished: set[int]) -> None:
        """Mark ``current`` and the ``finished`` steps (only changed rows are redrawn)."""
        changed = {self.current, current} | (self.finished ^ set(finished))
        self.current, self.finished = current, set(finished)
        if self.option_count != len(self.titles):
            self._rebuild()
            return
        if self.highlighted is not None:
            changed.add(self.highlighted)
        for index in sorted(changed):
            if 0 <= index < len(self.titles):
                self._replace_row(index)
        # set without OptionList's watcher, which repaints every row
        self.set_reactive(OptionList.highlighted, self.validate_highlighted(self.current))
        self.scroll_to_highlight()

    def _replace_row(self, index: int) -> None:
        """Give row ``index`` its label again and redraw that row alone (OptionList's own
        prompt replacement forgets every row's rendering and repaints them all).  The mark
        is one cell whichever it is, so the row keeps its height and the rows below stay."""
        option = self.get_option_at_index(index)
        option._set_prompt(literal(*self._label(index)))
        cache = self._option_render_cache
        rendered = cache.keys()  # an LRUCache: not iterable itself
        for key in [key for key in rendered if key[0] is option]:
            cache.discard(key)
        if self.is_mounted and index in self._index_to_line:
            self.refresh_lines(self._index_to_line[index], self._heights[index])

    def _label(self, index: int) -> tuple[str, str]:
        """The text of step ``index``'s row (wrapped) and its style."""
        if index == self.current:
            mark, style = "▶", "bold"
        elif index in self.finished:
            mark, style = "✓", FINISHED_STYLE
        else:
            mark, style = " ", ""
        width = self._wrap_width or 10_000
        return outline_label(index, self.titles[index], mark, width), style

    def _rebuild(self) -> None:
        self._wrap_width = self._room()
        count = len(self.titles)
        self.set_options(Option(literal(*self._label(i)), id=f"step-{i}") for i in range(count))
        self.highlighted = self.current

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        """Turn the selection into a step jump."""
        event.stop()
        self.post_message(StepChosen(event.option_index))
