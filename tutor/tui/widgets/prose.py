"""A step's prose: Textual's Markdown, with code blocks that scroll sideways.

Provides :class:`Prose`.  A code block wider than the step is not cut off: it shows a
horizontal scrollbar (a track across the block's whole width, in a colour of its own, so
that it reads as "more to the right" at a glance) and can be scrolled with the mouse,
or, once Tab reaches it (only a block too wide to show whole takes the focus), with
←/→ and Home/End.
"""

from __future__ import annotations

import functools
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

from tutor.tui.literal_markdown import VisibleMarkdown


@functools.lru_cache(maxsize=64)
def _highlighted(code: str, language: str, ansi: bool, dark: bool) -> Content:
    return MarkdownFence.highlight(code, language, ansi=ansi, dark=dark)


class WideCode(MarkdownFence):
    """A code block that scrolls sideways when it is wider than the step."""

    DEFAULT_CSS = """
    WideCode {
        overflow-x: auto;
        scrollbar-size-horizontal: 1;
        scrollbar-background: $foreground 20%;
        scrollbar-background-hover: $foreground 25%;
        scrollbar-background-active: $foreground 25%;
        scrollbar-color: $accent;
        scrollbar-color-hover: $accent-lighten-1;
        scrollbar-color-active: $accent-lighten-2;
    }
    WideCode:focus { background-tint: $foreground 5%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll code", key_display="←/→"),
        Binding("home", "scroll_home_x", "Start of line", show=False),
        Binding("end", "scroll_end_x", "End of line", show=False),
    ]

    @classmethod
    def highlight(cls, code: str, language: str, ansi: bool = False, dark: bool = False) -> Content:
        """Textual's highlighting, once per code, language and theme (it runs at least twice
        per block: when the block is made, and again when its styles arrive)."""
        return _highlighted(code, language, ansi, dark)

    def on_resize(self, event: events.Resize) -> None:
        """Only a block too wide for the step takes the focus (to be scrolled by keys)."""
        self.can_focus = self.virtual_size.width > self.scrollable_content_region.width

    def action_scroll_home_x(self) -> None:
        """Back to the start of the lines."""
        self.scroll_to(x=0, animate=False)

    def action_scroll_end_x(self) -> None:
        """To the end of the longest line."""
        self.scroll_to(x=self.max_scroll_x, animate=False)


class Prose(VisibleMarkdown):
    """Markdown prose whose code blocks scroll sideways."""

    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        """Code blocks are :class:`WideCode`; every other block is Textual's."""
        if block_name in ("fence", "code_block"):
            return WideCode
        return super().get_block_class(block_name)
