"""The "terminal too small" notice and the screen base class that carries it.

The app sets breakpoint classes on every screen (``-too-small-w`` below 40
columns, ``-too-small-h`` below 12 rows); the stylesheet then hides the screen's
content and shows this notice instead, so a tiny terminal never gets a broken
layout and resizing back restores everything as it was.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 40, 12


class TooSmallNotice(Static):
    """Shown instead of a screen's content when the terminal is too small."""

    def __init__(self) -> None:
        super().__init__(
            f"Terminal too small — resize to at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            classes="too-small-notice",
        )


class TutorScreen(Screen[None]):
    """A screen that shows :class:`TooSmallNotice` when the terminal is too small."""

    def on_mount(self) -> None:
        """Add the notice (hidden by the stylesheet unless the terminal is too small)."""
        self.mount(TooSmallNotice())
