"""A card for a ``network`` block: its shape in words and its data and parameters.

The numbers shown are the ones in play in the step (see
:mod:`tutor.lesson.network_cards`): the block's own, or, above a question that draws
its own numbers, the numbers that question drew (:meth:`NetworkCard.show_drawn`,
called when the question posts :class:`~tutor.tui.messages.QuestionDrawn`); a card no
single set of numbers fits is not shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.tui.literal import Plain

if TYPE_CHECKING:
    from tutor.engine import NetworkSpec
    from tutor.lesson.model import NetworkBlock
    from tutor.lesson.network_cards import CardPlan


class NetworkCard(Plain):
    """Shows a network block the way the engine sees it, with the numbers in play."""

    def __init__(self, block: NetworkBlock) -> None:
        from tutor.present.network import network_lines
        from tutor.tui.tagged import tagged_content

        super().__init__(tagged_content(network_lines(block)), classes="network-card block")
        self.block = block
        self.plan_shown: CardPlan | None = None
        self.follows: str | None = None
        """The block key of the question whose drawn numbers this card shows, if any."""

    def plan(self, plan: CardPlan) -> None:
        """Show what ``plan`` says the step needs (before the card is mounted)."""
        from tutor.lesson.network_cards import CardKind

        self.plan_shown = plan
        if plan.kind == CardKind.NONE:
            self.display = False
            return
        if plan.kind == CardKind.FOLLOW:
            self.follows = plan.question
        self._show(plan)

    def show_drawn(self, spec: NetworkSpec) -> None:
        """Show the numbers the followed question drew."""
        if self.plan_shown is not None:
            self._show(self.plan_shown, spec)

    def _show(self, plan: CardPlan, drawn: NetworkSpec | None = None) -> None:
        from tutor.present.network import card_lines
        from tutor.tui.tagged import tagged_content

        self.update(tagged_content(card_lines(self.block, plan, drawn)))
