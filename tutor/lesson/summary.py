"""How a lesson went: every prediction and question, the weakest topics, and whether it is done.

Provides :func:`summarise` (a lesson and the learner's progress in it → :class:`LessonSummary`);
its words are :mod:`tutor.present.summary`.
A lesson is *finished* when every step was visited and every prediction and question
answered (one skipped, or never reached, is still to do).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tutor.lesson.card import result_of
from tutor.lesson.model import DeriveBlock, Lesson, Quantity, QuizBlock
from tutor.lesson.progress_keys import block_key
from tutor.store.outcomes import Result
from tutor.store.progress import LessonProgress

TOPICS = {
    "grad": "backprop",
    "param_after_step": "gradient-descent",
    "loss_after_step": "gradient-descent",
    "shape": "shapes",
    "value": "activations",
    "loss": "losses",
    "init_std": "vanishing",  # the quiz topic on depth: vanishing gradients and their remedies
}
"""The quiz topic a lesson question practises, by the kind of quantity it asks for."""
PREDICTION_TOPIC = "backprop"


@dataclass(frozen=True)
class Asked:
    """One prediction (its target) or question (its quantity) of the lesson and how it went."""

    step: int
    what: str | Quantity
    """The product predicted (``dL/dz2``), or the quantity the question asks for."""
    topic: str
    result: Result


@dataclass(frozen=True)
class LessonSummary:
    """Steps visited, and every prediction and question with its result."""

    title: str
    steps: int
    visited: int
    asked: tuple[Asked, ...]

    def count(self, result: Result) -> int:
        """How many predictions and questions had ``result``."""
        return sum(a.result == result for a in self.asked)

    @property
    def to_do(self) -> int:
        """Predictions and questions not answered yet (skipped ones included)."""
        return self.count(Result.UNANSWERED) + self.count(Result.SKIPPED)

    @property
    def finished(self) -> bool:
        """Every step visited and every prediction and question answered."""
        return self.steps > 0 and self.visited >= self.steps and self.to_do == 0

    @property
    def weakest(self) -> tuple[str, ...]:
        """Topics with an answered question not right first time, the weakest first.

        Questions not answered yet say nothing of a topic: with no answers, nothing is weakest.
        """
        tally: dict[str, tuple[int, int]] = {}
        for asked in self.asked:
            if not asked.result:
                continue
            right, total = tally.get(asked.topic, (0, 0))
            tally[asked.topic] = (right + (asked.result == Result.FIRST_TRY), total + 1)
        weak = [(right / total, topic) for topic, (right, total) in tally.items() if right < total]
        return tuple(topic for _, topic in sorted(weak))


def summarise(lesson: Lesson, progress: LessonProgress | None) -> LessonSummary:
    """How the learner's lesson went so far."""
    progress = progress or LessonProgress()
    steps = len(lesson.steps)
    visited = len({s for s in progress.finished_steps if 0 <= s < steps})
    return LessonSummary(lesson.title, steps, visited, tuple(_asked(lesson, progress)))


def _asked(lesson: Lesson, progress: LessonProgress) -> Iterator[Asked]:
    for i, step in enumerate(lesson.steps):
        for j, part in enumerate(step.parts):
            if isinstance(part, DeriveBlock):
                for target in part.predict:
                    kept = progress.prediction(block_key(i, j), target)
                    yield Asked(i, target, PREDICTION_TOPIC, result_of(kept))
            elif isinstance(part, QuizBlock):
                kept = progress.questions.get(block_key(i, j))
                yield Asked(i, part.answer, TOPICS[part.answer.kind], result_of(kept))
