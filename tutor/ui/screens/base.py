"""The base class of the tutor's screens: typed access to the app, and the "too small" notice.

:class:`TutorScreen` reaches its app through one typed property, :attr:`TutorScreen.tutor`.
The app sets breakpoint classes on every screen (``-too-small-w`` below 40 columns,
``-too-small-h`` below 12 rows); the stylesheet then hides the screen's content and
shows :class:`TooSmallNotice` instead, so a tiny terminal never gets a broken layout
and resizing back restores everything as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.widgets import Static

if TYPE_CHECKING:
    from tutor.ui.app import TutorApp

MIN_WIDTH, MIN_HEIGHT = 40, 12


class TooSmallNotice(Static):
    """Shown instead of a screen's content when the terminal is too small."""

    def __init__(self) -> None:
        super().__init__(
            f"Terminal too small — resize to at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            classes="too-small-notice",
        )


class TutorScreen(Screen[None]):
    """A screen of the tutor: typed app access, and the notice for a too-small terminal."""

    @property
    def tutor(self) -> TutorApp:
        """The app, with its progress and lessons (every tutor screen runs in a TutorApp)."""
        return cast("TutorApp", self.app)

    def on_mount(self) -> None:
        """Add the notice (hidden by the stylesheet unless the terminal is too small)."""
        self.mount(TooSmallNotice())

    def progress_reset(self) -> None:
        """Called by the app after "reset progress": redraw what showed the old progress."""
