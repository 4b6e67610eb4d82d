"""The family registry and small helpers shared by the question generators.

Every family names the lesson that teaches its topic (:data:`FIRST_LESSON` for the
backpropagation lesson the quiz has always practised); :func:`taught` keeps the
families a learner has met.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tutor.answers.grade import Marking
from tutor.answers.types import DEFAULT_TOLERANCE
from tutor.engine import Derivation, LayerSpec, NetworkSpec, TraceRecord
from tutor.quiz.question import Question, question_id
from tutor.store.progress import Progress
from tutor.text.numbers import format_number

Builder = Callable[["Family", np.random.Generator], Question]
FIRST_LESSON = "backprop"
"""The lesson whose topics the quiz asks from the start."""
LESSONS = (FIRST_LESSON, "classification", "paths")
"""The bundled lessons in order: the quiz lists families (and topics) in this order."""
MAX_DRAWS = 50


@dataclass(frozen=True)
class Family:
    """A kind of question: an id, a title, a topic, a difficulty (1–3), its generator, and
    the id of the lesson that teaches it."""

    id: str
    title: str
    topic: str
    difficulty: int
    build: Builder
    lesson: str = FIRST_LESSON

    def generate(self, rng: np.random.Generator) -> Question:
        """A new question of this family, drawn with ``rng``.

        Numbers whose known mistakes cannot be told apart from the answer are drawn again.
        """
        for _ in range(MAX_DRAWS):
            try:
                return self.build(self, rng)
            except Inseparable:
                continue
        raise RuntimeError(f"{self.id}: no separable question in {MAX_DRAWS} draws")

    def question(self, text: str, **fields: Any) -> Question:
        """A :class:`Question` of this family (id, topic and difficulty filled in).

        Mistakes that give the answer itself (or an earlier mistake's value) are dropped.
        Where a mistake lies near the answer the tolerance narrows below it and the text
        says how many digits to give; where it cannot, :class:`Inseparable` is raised.
        """
        marking = Marking.of(
            fields["expected"],
            fields.get("tolerance", DEFAULT_TOLERANCE),
            fields.pop("mistakes", ()),
        )
        if not marking.separable:
            raise Inseparable(self.id)
        if marking.note:
            text = f"{text}\n\n*{marking.note}*"
        return Question(
            id=question_id(self.id, text),
            family=self.id,
            topic=self.topic,
            difficulty=self.difficulty,
            text=text,
            mistakes=marking.mistakes,
            **fields,
        )


class Inseparable(Exception):
    """The drawn numbers put a known mistake too close to the answer: draw again."""


REGISTRY: dict[str, Family] = {}


def family(
    id: str, title: str, topic: str, difficulty: int, lesson: str = FIRST_LESSON
) -> Callable[[Builder], Builder]:
    """Register the decorated builder as a question family taught by ``lesson``."""

    def register(build: Builder) -> Builder:
        REGISTRY[id] = Family(id, title, topic, difficulty, build, lesson)
        return build

    return register


def is_taught(lesson: str, progress: Progress) -> bool:
    """Whether the learner has met ``lesson``: the first one always, others once begun."""
    begun = progress.lessons.get(lesson)
    return lesson == FIRST_LESSON or (begun is not None and bool(begun.finished_steps))


def taught(families: tuple[Family, ...], progress: Progress) -> tuple[Family, ...]:
    """The ``families`` whose lesson the learner has met (see :func:`is_taught`)."""
    return tuple(f for f in families if is_taught(f.lesson, progress))


def trace_upto(derivation: Derivation, target: str) -> tuple[TraceRecord, ...]:
    """The derivation's trace up to and including the record for ``target`` (e.g. "dL/dW2")."""
    cutoff = next(i for i, r in enumerate(derivation.trace) if r.target == target)
    return derivation.trace[: cutoff + 1]


def draw(
    rng: np.random.Generator, low: float, high: float, *, away_from_zero: float = 0.1
) -> float:
    """A number with two decimals in [low, high], at least ``away_from_zero`` from 0."""
    while True:
        value = round(float(rng.uniform(low, high)), 2)
        if abs(value) >= away_from_zero:
            return value


def num(x: float, sig: int = 4) -> str:
    """A number as the question text shows it."""
    return format_number(x, sig)


def scalar_network(
    x: float, weights: list[float], t: float, *, loss: str = "half_squared_error"
) -> NetworkSpec:
    """A chain of one-unit sigmoid layers without biases, like the walkthrough network."""
    layers = tuple(LayerSpec(W=np.array([[w]]), b=None, activation="sigmoid") for w in weights)
    return NetworkSpec(
        input=np.array([[x]]), target=np.array([[t]]), loss=loss, layers=layers, name="quiz"
    )
