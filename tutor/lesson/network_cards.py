"""Which numbers the card of a ``network`` block shows in a step: the block's, a question's, none.

A card sits above the blocks that use its network.  When they use the network as
written (a derivation, a gradient check, a question without ``vary``), the card shows
the block's numbers.  A question with ``vary`` draws its own numbers, so a card that
only such a question uses shows the numbers that question drew (:attr:`CardKind.FOLLOW`), or,
with several such questions, no card is right (:attr:`CardKind.NONE`).  When both kinds use
it, the card keeps the block's numbers and says that a question below draws its own
(:attr:`CardKind.FIXED_NOTED`).  Provides :func:`card_plans`.  No Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from tutor.lesson.model import DeriveBlock, GradcheckBlock, NetworkBlock, Part, QuizBlock
from tutor.lesson.progress_keys import block_key


class CardKind(StrEnum):
    """What a network card shows."""

    FIXED = "fixed"  # the block's numbers
    FIXED_NOTED = "fixed, noted"  # the block's, noting that a question below draws its own
    FOLLOW = "follow"  # the numbers the one varied question below drew
    NONE = "none"  # no card: several questions draw their own


@dataclass(frozen=True)
class CardPlan:
    """What one network card of a step shows; ``question``: the key of the question followed."""

    kind: CardKind
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
            plans[index] = CardPlan(CardKind.FIXED)
        elif fixed:
            plans[index] = CardPlan(CardKind.FIXED_NOTED)
        elif len(varied) == 1:
            plans[index] = CardPlan(CardKind.FOLLOW, varied[0])
        else:
            plans[index] = CardPlan(CardKind.NONE)
    return plans
