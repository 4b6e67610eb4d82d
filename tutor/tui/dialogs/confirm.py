"""A yes/no question in a modal dialog, for actions that cannot be undone in place."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from tutor.tui.literal import Plain, literal


class ConfirmScreen(ModalScreen[bool]):
    """Asks ``question``; dismisses with True for the action button, False otherwise."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, action: str) -> None:
        super().__init__()
        self.question = question
        self.action_label = action

    def compose(self) -> ComposeResult:
        """The question, then Cancel and the action."""
        with Vertical():
            yield Plain(self.question)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button(literal(self.action_label), id="confirm", variant="error")

    def on_mount(self) -> None:
        """Cancel has the focus, so Enter alone changes nothing."""
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        """A button answers the question."""
        self.dismiss(event.button.id == "confirm")

    def action_answer(self, answer: bool) -> None:
        """A key answers the question."""
        self.dismiss(answer)
