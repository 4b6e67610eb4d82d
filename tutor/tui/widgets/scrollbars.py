"""A widget's scrollbar made as the widget mounts, rather than at a layout of the screen.

Provides :func:`make_scrollbar`.  Textual 8.2 makes a scrollbar the first time a layout
finds it needed; the new scrollbar then mounts and asks for a layout of its own, one
more layout of the whole screen (a page built out of view: 5–15 ms).  Made as its
widget mounts, before the widget is first laid out, it is placed by that layout.
"""

from __future__ import annotations

from textual.widget import Widget


def make_scrollbar(widget: Widget, *, vertical: bool, shown: bool) -> None:
    """Make ``widget``'s vertical (or horizontal) scrollbar now, ``shown`` or hidden.

    Its own request for a layout (Textual's, as its display is set) is dropped: where a
    scrollbar goes is decided by its widget's layout, which is to come.
    """
    bar = widget.vertical_scrollbar if vertical else widget.horizontal_scrollbar
    bar.display = shown
    bar._layout_required = False
