"""A card for a ``network`` block: its shape in words and its data and parameters.

The numbers shown are the ones in play in the step (see
:mod:`tutor.lesson.network_cards`): the block's own, or, above a question that draws
its own numbers, the numbers that question drew (:meth:`NetworkCard.show_drawn`,
called when the question posts :class:`~tutor.tui.messages.QuestionDrawn`); a card no
single set of numbers fits is not shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from tutor.lesson.network_cards import FIXED_NOTED, FOLLOW, NONE, VARIED_NOTE, CardPlan
from tutor.tui.literal import Plain, literal_text

if TYPE_CHECKING:
    from tutor.engine import NetworkSpec
    from tutor.lesson.model import NetworkBlock

WAITING = "  (the numbers the question below draws appear here)"
DRAWN = "  (the numbers drawn for the question below)"


def network_text(block: NetworkBlock, drawn: NetworkSpec | None = None) -> Text:
    """The summary line, then x, t and each parameter (small arrays in full, else shapes)."""
    from tutor.lesson.player import network_lines

    first, *rest = network_lines(block, drawn)
    head, summary = first.split(": ", 1)
    text = Text.assemble((f"{head}: ", "bold"), summary)
    for line in rest:
        text.append(f"\n{line}")
    return text


class NetworkCard(Plain):
    """Shows a network block the way the engine sees it, with the numbers in play."""

    def __init__(self, block: NetworkBlock) -> None:
        super().__init__(network_text(block), classes="network-card block")
        self.block = block
        self.follows: str | None = None
        """The block key of the question whose drawn numbers this card shows, if any."""

    def plan(self, plan: CardPlan) -> None:
        """Show what ``plan`` says the step needs (before the card is mounted)."""
        if plan.kind == NONE:
            self.display = False
        elif plan.kind == FOLLOW:
            self.follows = plan.question
            first = network_text(self.block).plain.splitlines()[0]
            self.update(Text.assemble(literal_text(first), (f"\n{WAITING}", "dim")))
        elif plan.kind == FIXED_NOTED:
            self.update(Text.assemble(network_text(self.block), (f"\n  {VARIED_NOTE}", "dim")))

    def show_drawn(self, spec: NetworkSpec) -> None:
        """Show the numbers the followed question drew."""
        self.update(Text.assemble(network_text(self.block, spec), (f"\n{DRAWN}", "dim")))
