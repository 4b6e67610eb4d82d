"""A lesson's ``quiz`` block drawn as a question: its numbers, answer, solution and attempt.

Provides :class:`LessonQuestion` and :func:`draw_question`: the block's network
with its ``vary`` entries drawn from a seed (so the same seed shows the same
numbers again), the question text with those numbers, the engine's answer and the
chain-rule records that lead to it.  :meth:`LessonQuestion.attempt` opens the one
judge on it.  The TUI's quiz block and ``lesson --plain`` both use this.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import numpy as np

from tutor.answers.attempt import Attempt, FormsReminder
from tutor.answers.types import Expected, Value
from tutor.engine import NetworkSpec, TraceRecord
from tutor.lesson import quantities
from tutor.lesson.model import QuizBlock
from tutor.text.derivation import record_line
from tutor.text.numbers import format_value

SEED_LIMIT = 2**31


@dataclass(frozen=True, eq=False)
class LessonQuestion:
    """One showing of a quiz block, with the numbers drawn for it."""

    block: QuizBlock
    text: str  # Markdown, placeholders filled in
    spec: NetworkSpec  # the network the answer is computed on
    expected: Value
    records: tuple[TraceRecord, ...]
    seed: int | None = None  # the seed of the drawn numbers (None: nothing varies)

    def solution(self) -> list[str]:
        """The worked solution: the engine's chain-rule products, then the answer."""
        lines = ["The engine's chain-rule products:"] if self.records else []
        lines += [f"  {record_line(record)}" for record in self.records]
        lines.append(f"Answer: {format_value(self.expected)}")
        return lines

    def attempt(self, reminder: FormsReminder | None = None) -> Attempt:
        """A fresh attempt at this question."""
        return Attempt(
            Expected(self.expected, self.block.tolerance),
            hints=self.block.hints,
            solution=self.solution,
            reminder=reminder or FormsReminder(),
        )


def draw_question(
    block: QuizBlock, networks: quantities.Networks, seed: int | None = None
) -> LessonQuestion:
    """The block as a question; a block with ``vary`` draws its numbers from ``seed``.

    Without a seed a new one is chosen.  Raises
    :class:`~tutor.lesson.quantities.QuantityError` if the answer cannot be computed.
    """
    answer = block.answer
    spec = quantities.network_for(answer, networks)
    if block.vary:
        seed = secrets.randbelow(SEED_LIMIT) if seed is None else seed
        spec = quantities.vary_spec(spec, block.vary, np.random.default_rng(seed))
    else:
        seed = None
    return LessonQuestion(
        block=block,
        text=quantities.render_question(block.question, spec, lr=answer.lr),
        spec=spec,
        expected=quantities.evaluate(answer, spec),
        records=quantities.solution_records(answer, spec),
        seed=seed,
    )
