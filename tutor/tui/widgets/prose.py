"""A step's prose: styled text read once per lesson, with code blocks that scroll sideways.

Provides :class:`Prose`, a few light widgets in place of Textual's ``Markdown`` (which
makes a widget of every paragraph, list item and bullet): each run of paragraphs,
lists and headings is one :class:`ProseText`, drawn from the pieces of
:func:`~tutor.tui.widgets.prose_layout.prose_pieces` (parsed once per text) and wrapped
to its width; each code block is a :class:`WideCode`; a table is Textual's
``Markdown`` (:class:`~tutor.tui.literal_markdown.VisibleMarkdown`).  A code block wider than the
step is not cut off: it shows a horizontal scrollbar (a track across the block's whole
width, in a colour of its own, so that it reads as "more to the right" at a glance) and
can be scrolled with the mouse, or, once Tab reaches it (only a block too wide to show
whole takes the focus), with ←/→ and Home/End.
"""

from __future__ import annotations

import functools
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from tutor.tui.literal import Plain
from tutor.tui.widgets.prose_layout import CodePiece, TablePiece, TextRun, prose_pieces, run_lines
from tutor.tui.widgets.scrollbars import make_scrollbar


@functools.lru_cache(maxsize=64)
def _highlighted(code: str, language: str, ansi: bool, dark: bool) -> Content:
    """Textual's highlighting of ``code``, once per code, language and theme."""
    from textual.highlight import HighlightTheme, highlight  # Pygments: at the first code shown

    theme: type[HighlightTheme] = HighlightTheme
    if ansi:
        from textual.highlight import ANSIDarkHighlightTheme, ANSILightHighlightTheme

        theme = ANSIDarkHighlightTheme if dark else ANSILightHighlightTheme
    return highlight(code, language=language or None, theme=theme)


class WideCode(Widget, can_focus=False):
    """A code block (looks as Textual's Markdown fence) that scrolls sideways when too wide."""

    DEFAULT_CSS = """
    WideCode {
        width: 1fr;
        height: auto;
        margin: 1 0;
        padding: 0;
        overflow-x: auto;
        overflow-y: hidden;
        scrollbar-size-vertical: 0;
        scrollbar-size-horizontal: 1;
        scrollbar-background: $foreground 20%;
        scrollbar-background-hover: $foreground 25%;
        scrollbar-background-active: $foreground 25%;
        scrollbar-color: $accent;
        scrollbar-color-hover: $accent-lighten-1;
        scrollbar-color-active: $accent-lighten-2;
        color: rgb(210,210,210);
        background: black 10%;
        &:light { background: white 30%; }
        & > Plain { width: auto; height: auto; padding: 1 2; }
    }
    WideCode:ansi {
        background: transparent;
        margin: 0;
        & > Plain { padding: 1 0; }
    }
    WideCode:focus { background-tint: $foreground 5%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll code", key_display="←/→"),
        Binding("home", "scroll_home_x", "Start of line", show=False),
        Binding("end", "scroll_end_x", "End of line", show=False),
    ]

    def __init__(self, code: str, language: str) -> None:
        super().__init__()
        self.code = code
        self.language = language
        self._theme: tuple[bool, bool] | None = None
        self._code_width = 0  # cells of the longest line, as highlighted

    def _highlight(self) -> Content:
        self._theme = (self.app.native_ansi_color, self.app.current_theme.dark)
        code = _highlighted(self.code, self.language, *self._theme)
        self._code_width = max((line.cell_length for line in code.split("\n")), default=0)
        return code

    def compose(self) -> ComposeResult:
        yield Plain(self._highlight(), expand=True)

    def on_mount(self) -> None:
        """Make the scrollbar now, hidden: Textual makes it at the layout that finds the code
        too wide, and mounting it then asks for one more layout of the whole screen."""
        make_scrollbar(self, vertical=False, shown=False)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The code's rows; with the scrollbar shown (its row counted) if the code is wider
        than ``width``.  Textual 8.2 decides on the scrollbar after the layout, and a bar
        come or gone laid the whole screen out again."""
        code = self.query_children(Plain)
        if code:
            wide = self._code_width + code.first().styles.gutter.width > width
            if wide != self.show_horizontal_scrollbar:
                self.set_reactive(Widget.show_horizontal_scrollbar, wide)  # no layout asked
                make_scrollbar(self, vertical=False, shown=wide)
        return super().get_content_height(container, viewport, width)

    def notify_style_update(self) -> None:
        """Highlight again when the theme changes between dark and light."""
        super().notify_style_update()
        theme = (self.app.native_ansi_color, self.app.current_theme.dark)
        if self._theme is not None and self._theme != theme:
            for code in self.query_children(Plain):
                code.update(self._highlight())

    def on_resize(self, event: events.Resize) -> None:
        """Only a block too wide for the step takes the focus (to be scrolled by keys)."""
        self.can_focus = self.virtual_size.width > self.scrollable_content_region.width

    def action_scroll_home_x(self) -> None:
        """Back to the start of the lines."""
        self.scroll_to(x=0, animate=False)

    def action_scroll_end_x(self) -> None:
        """To the end of the longest line."""
        self.scroll_to(x=self.max_scroll_x, animate=False)


class ProseText(Widget):
    """Paragraphs, lists and headings, wrapped to the widget's width (one widget for all)."""

    DEFAULT_CSS = """
    ProseText { width: 1fr; height: auto; text-wrap: nowrap; }
    """

    def __init__(self, run: TextRun) -> None:
        super().__init__()
        self.run = run
        self._wrapped: tuple[int, Content, int] = (-1, Content(""), 0)

    def _lines(self, width: int) -> tuple[Content, int]:
        """The run wrapped to ``width`` (kept until the width changes) and its height."""
        if self._wrapped[0] != width:
            lines = run_lines(self.run, width)
            self._wrapped = (width, Content("\n").join(lines), len(lines))
        return self._wrapped[1], self._wrapped[2]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many rows as the run wraps to at ``width``."""
        return self._lines(width)[1]

    def render(self) -> Content:
        """The run wrapped to the width."""
        return self._lines(self.size.width)[0]


class Prose(Widget):
    """A step's prose: a :class:`ProseText` per run of text, a :class:`WideCode` per code
    block, Textual's Markdown for a table."""

    DEFAULT_CSS = """
    Prose { width: 1fr; height: auto; layout: vertical; padding: 0 2; }
    Prose > .prose-table { padding: 0; }
    """

    def __init__(self, text: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.pieces = prose_pieces(text)

    def compose(self) -> ComposeResult:
        yield from self._widgets()

    def update(self, text: str) -> None:
        """Show ``text`` instead (a question drawn after the widget was made)."""
        self.pieces = prose_pieces(text)
        self.remove_children()
        self.mount_all(self._widgets())

    def _widgets(self) -> list[Widget]:
        widgets: list[Widget] = []
        for piece in self.pieces:
            if isinstance(piece, TextRun):
                text = ProseText(piece)
                first, last = piece.blocks[0], piece.blocks[-1]
                text.styles.margin = (first.above, 0, last.below, 0)
                widgets.append(text)
            elif isinstance(piece, CodePiece):
                widgets.append(WideCode(piece.code, piece.language))
            elif isinstance(piece, TablePiece):
                from tutor.tui.literal_markdown import VisibleMarkdown

                widgets.append(VisibleMarkdown(piece.source, classes="prose-table"))
        return widgets
