"""The help overlay: the keys of the screen it was opened from, and how a lesson works."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

LESSON_TIPS = """\
A lesson is a sequence of steps. In a derivation, [b]n[/b] first reveals the forward
pass value by value, then the backward pass one chain-rule product at a time,
exactly as the engine computed it; [b]p[/b] hides the last one again. When the
lesson asks for a prediction, type a number (or your working, e.g. -0.4*0.25)
and press Enter; Escape skips the prediction. Your place is saved after every key."""


def key_table(screen: Screen) -> Table:
    """Every active binding of ``screen`` with a description, keys grouped by action."""
    keys: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description:
            continue
        descriptions.setdefault(binding.action, binding.description)
        keys.setdefault(binding.action, []).append(screen.app.get_key_display(binding))
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for action, description in descriptions.items():
        table.add_row(" / ".join(dict.fromkeys(keys[action])), description)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys of the screen underneath, plus a few words on how lessons work."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help"),
    ]

    def __init__(self, origin: Screen, *, tips: str = LESSON_TIPS) -> None:
        super().__init__()
        self._keys = key_table(origin)
        self._tips = tips

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("[b]Keys[/b]", classes="help-heading")
            yield Static(self._keys)
            yield Static(self._tips, classes="help-tips")
            yield Static("[dim]Esc or ? closes this help.[/dim]")
