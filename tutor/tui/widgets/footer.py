"""The lesson screen's footer: the keys that work right now, drawn as one line.

Textual's :class:`~textual.widgets.Footer` is a row of widgets rebuilt (mounted
again) whenever the bindings change, one more layout and paint after each step
change.  :class:`KeyFooter` draws the same keys as text in its own render, only
when what it shows has changed, so a new step and its footer appear in the same
frame.  A click on a key presses it, as in Textual's footer.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import RenderResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from tutor.tui.literal import literal


@dataclass(frozen=True)
class ShownKey:
    """One key in the footer: what to press, what is shown, and whether it works now."""

    key: str
    display: str
    description: str
    enabled: bool


def shown_keys(screen: Screen) -> tuple[ShownKey, ...]:
    """The keys a footer shows for ``screen`` now, in binding order (the palette key apart).

    A binding with several keys (``n,right,space``) is shown once, by its first key.
    """
    app = screen.app
    shown: dict[tuple[str, str], ShownKey] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        group = (binding.action, binding.description)
        if binding.show and key != app.COMMAND_PALETTE_BINDING and group not in shown:
            display = app.get_key_display(binding)
            shown[group] = ShownKey(key, display, binding.description, active.enabled)
    return tuple(shown.values())


class KeyFooter(Widget):
    """The keys of the screen, redrawn only when they change."""

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    PALETTE = "Commands"
    """How the command palette key is described on the right."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: tuple[ShownKey, ...] = ()
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        """Follow the screen's bindings."""
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        """Stop following them."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            keys = shown_keys(screen)
            if keys != self.keys:
                self.keys = keys
                self.refresh()

    def render(self) -> RenderResult:
        """`` key description `` for each key that fits whole, the palette key at the right.

        Keys are taken in binding order (their priority) while they fit; the first one
        that does not fit ends the row, so no key is ever shown cut, and none of lower
        priority is shown in place of one of higher.
        """
        palette_key = self.app.COMMAND_PALETTE_BINDING
        palette = self.app.get_key_display(Binding(palette_key, ""))
        right = Content.assemble(
            ("▏", "$footer-description-foreground"),
            literal(f"{palette} ", "bold $footer-key-foreground"),
            literal(f"{self.PALETTE} ", "$footer-description-foreground"),
        )
        width = self.size.width
        if right.cell_length > width:
            right = Content("")
        room = width - right.cell_length
        parts: list[Content] = []
        self._spans = []
        x = 0
        for shown in self.keys:
            style = "" if shown.enabled else "dim"
            part = Content.assemble(
                literal(f" {shown.display} ", f"bold $footer-key-foreground {style}"),
                literal(f"{shown.description} ", f"$footer-description-foreground {style}"),
            )
            if x + part.cell_length > room:
                break
            self._spans.append((x, x + part.cell_length, shown.key))
            parts.append(part)
            x += part.cell_length
        line = Content("").join(parts)
        if right.cell_length:
            self._spans.append((width - right.cell_length, width, palette_key))
        return Content.assemble(line, " " * max(0, room - line.cell_length), right)

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it."""
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
