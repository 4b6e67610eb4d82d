"""The base class of the tutor's screens: typed access to the app, and two notices.

:class:`TutorScreen` reaches its app through one typed property, :attr:`TutorScreen.tutor`.
In a session that saves nothing (an unreadable progress file, another tutor on
the same data directory) every screen shows :class:`ReadOnlyBanner` under its
header, with the reason and the fix.
The app sets breakpoint classes on every screen (``-too-small-w`` below 40 columns,
``-too-small-h`` below 12 rows); the stylesheet then hides the screen's content and
shows :class:`TooSmallNotice` instead, so a tiny terminal never gets a broken layout
and resizing back restores everything as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Header

from tutor.store.served import learner_name, served
from tutor.text.visible import visible
from tutor.tui.literal import Plain

if TYPE_CHECKING:
    from tutor.tui.app import TutorApp

MIN_WIDTH, MIN_HEIGHT = 40, 12
SERVED_ICON = "•"
"""The header's icon in a browser: a glyph of the page's bundled font."""


class TooSmallNotice(Plain):
    """Shown instead of a screen's content when the terminal is too small."""

    def __init__(self) -> None:
        super().__init__(
            f"Terminal too small — resize to at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            classes="too-small-notice",
        )


class ReadOnlyBanner(Plain):
    """Says, on every screen, that this session does not save progress, why, and the fix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, classes="read-only-banner")


class TutorScreen(Screen[None]):
    """A screen of the tutor: typed app access, and the notice for a too-small terminal."""

    title: Reactive[str | None] = Reactive(None, compute=False, repaint=False)
    """The title the header shows (over the app's).  A new title repaints the header alone:
    Textual's screen repaints itself whole, every row of the terminal at each step change."""
    sub_title: Reactive[str | None] = Reactive(None, compute=False, repaint=False)
    """The subtitle the header shows (over the app's); repaints the header alone too."""

    def validate_title(self, title: str | None) -> str | None:
        """A title (a lesson's, say) is shown with its control characters spelled out."""
        return None if title is None else visible(title)

    def validate_sub_title(self, sub_title: str | None) -> str | None:
        """A subtitle too; served to a class, led by the learner's name (whose tutor this is)."""
        if sub_title is None:
            return None
        learner = learner_name()
        if learner is None:
            return visible(sub_title)
        return visible(f"{learner} · {sub_title}" if sub_title else learner)

    def _screen_resized(self, size: Size) -> None:
        """Lay out for a new size once.  Textual 8.2 sends a resize to every screen of the
        stack, and each screen also resizes the screens beneath it, so a screen over the
        home screen was laid out twice for one resize, the second time changing nothing."""
        if size != self.outer_size or self._layout_widgets:
            super()._screen_resized(size)

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        """A layout for a new terminal size (a resize, or a screen shown again) is styled
        for that size first: Textual 8.2 sets the breakpoint classes only after a resize's
        layout (and not at all as a screen returns), so a width class that changed laid the
        whole screen out a second time."""
        before = self.outer_size
        if size is not None:
            self.update_classes(self._classes_for(size), animate=False)
        super()._refresh_layout(size, scroll)
        if self.outer_size != before and self.is_current:
            # The screen's new size was set in the layout, and Textual's screen asks to be
            # repainted whole when its size changes: it was, right after the layout (its
            # whole region changed), so that request would only paint every row again.
            # (A private flag of Textual 8.2's widgets: no public way to withdraw a request.)
            self._repaint_required = False

    def _classes_for(self, size: Size) -> dict[str, bool]:
        """The classes the screen takes at terminal size ``size`` (each one on or off)."""
        return self._breakpoint_classes(size)

    def _breakpoint_classes(self, size: Size) -> dict[str, bool]:
        """The app's breakpoint classes at terminal size ``size``, as Textual sets them."""
        app, classes = self.app, dict[str, bool]()
        for breakpoints, cells in (
            (app.HORIZONTAL_BREAKPOINTS or [], size.width),
            (app.VERTICAL_BREAKPOINTS or [], size.height),
        ):
            ordered = sorted(breakpoints, reverse=True)
            now = next((name for least, name in ordered if cells >= least), None)
            classes |= {name: name == now for _, name in breakpoints}
        return classes

    @property
    def tutor(self) -> TutorApp:
        """The app, with its progress and lessons (every tutor screen runs in a TutorApp)."""
        return cast("TutorApp", self.app)

    def on_mount(self) -> None:
        """Add the notices: too small (hidden unless it is), and read-only (when it is)."""
        self.mount(TooSmallNotice())
        if served():  # the browser's fonts lack Textual's header icon (U+2B58)
            for header in self.query_children(Header):
                header.icon = SERVED_ICON
        reason = self.tutor.read_only
        if reason:
            headers = self.query_children(Header)
            if headers:
                self.mount(ReadOnlyBanner(reason), after=headers.first())
            else:
                self.mount(ReadOnlyBanner(reason), before=0)

    def progress_reset(self) -> None:
        """Called by the app after "reset progress": redraw what showed the old progress."""
