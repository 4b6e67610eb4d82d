"""Which numbers the card of a ``network`` block shows in a step: the block's, a question's, none.

A card sits above the blocks that use its network.  When they use the network as
written (a derivation, a gradient check, a question without ``vary``), the card shows
the block's numbers.  A question with ``vary`` draws its own numbers, so a card that
only such a question uses shows the numbers that question drew (:data:`FOLLOW`), or,
with several such questions, no card is right (:data:`NONE`).  When both kinds use
it, the card keeps the block's numbers and says that a question below draws its own
(:data:`FIXED_NOTED`).  Provides :func:`card_plans`.  No Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tutor.lesson.model import DeriveBlock, GradcheckBlock, NetworkBlock, Part, QuizBlock
from tutor.lesson.progress_keys import block_key

FIXED, FIXED_NOTED, FOLLOW, NONE = "fixed", "fixed, noted", "follow", "none"
VARIED_NOTE = "The question below draws its own numbers; they are in its text."


@dataclass(frozen=True)
class CardPlan:
    """What one network card of a step shows; ``question``: the key of the question followed."""

    kind: str
    question: str | None = None


def card_plans(step: int, parts: Sequence[Part]) -> dict[int, CardPlan]:
    """The plan of each network block of step ``step``, by its part index."""
    plans = {}
    for index, part in enumerate(parts):
        if not isinstance(part, NetworkBlock):
            continue
        fixed = any(
            isinstance(other, DeriveBlock | GradcheckBlock) and other.network == part.id
            for other in parts
        ) or any(
            isinstance(other, QuizBlock) and other.answer.network == part.id and not other.vary
            for other in parts
        )
        varied = [
            block_key(step, n)
            for n, other in enumerate(parts)
            if isinstance(other, QuizBlock) and other.answer.network == part.id and other.vary
        ]
        if not varied:
            plans[index] = CardPlan(FIXED)
        elif fixed:
            plans[index] = CardPlan(FIXED_NOTED)
        elif len(varied) == 1:
            plans[index] = CardPlan(FOLLOW, varied[0])
        else:
            plans[index] = CardPlan(NONE)
    return plans
