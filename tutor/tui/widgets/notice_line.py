"""A line above the footer for the lesson screen's notices, which never covers the step.

Textual's notifications are toasts laid over the screen's bottom right corner, where a
step's formulas and code are.  :class:`NoticeLine` takes its own rows instead (the step
above it gets shorter while it shows) and clears itself after its time is up.
"""

from __future__ import annotations

from textual.timer import Timer

from tutor.tui.literal import Plain

NOTICE_SECONDS = 6.0
"""How long a notice stays unless the sender says otherwise."""


class NoticeLine(Plain):
    """A notice in the screen's layout, shown for a few seconds."""

    DEFAULT_CSS = """
    NoticeLine { height: auto; max-height: 3; padding: 0 1; display: none; }
    NoticeLine.-information { background: $primary 15%; }
    NoticeLine.-warning { background: $warning 20%; }
    NoticeLine.-error { background: $error 25%; }
    """

    _timer: Timer | None = None

    def show(self, message: str, severity: str, timeout: float | None) -> None:
        """Show ``message`` (as written, never markup) for ``timeout`` seconds."""
        self.update(message)
        for level in ("information", "warning", "error"):
            self.set_class(level == severity, f"-{level}")
        self.display = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(timeout or NOTICE_SECONDS, self.clear)

    def clear(self) -> None:
        """Hide the notice."""
        self._timer = None
        self.display = False
