"""The footer of the tutor's screens: Textual's, redrawn only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` rebuilds itself after every refresh of
the bindings (a focus change, a new step), one more layout and paint each time.
:class:`KeyFooter` first compares what it would show with what it shows.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen) -> tuple[tuple[str, str, bool], ...]:
    """What a footer shows for ``screen`` now: key, description and whether it is enabled."""
    return tuple(
        (key, active.binding.description, active.enabled)
        for key, active in screen.active_bindings.items()
        if active.binding.show
    )


class KeyFooter(Footer):
    """A footer that is rebuilt only when the keys it shows have changed."""

    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild (as Textual's footer does) only if the keys shown differ."""
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            keys = shown_keys(screen)
            if keys == self._shown:
                return
            self._shown = keys
        super().bindings_changed(screen)
