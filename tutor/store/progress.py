"""The learner's saved state: lesson positions, reveals, predictions, runs, quiz stats, exercises.

Provides the dataclasses :class:`LessonProgress`, :class:`FamilyStats`,
:class:`Answered`, :class:`RunRecord`, :class:`ExerciseProgress` and :class:`Progress`, each with
``to_dict`` (JSON-ready: non-finite numbers and unusable entries are never
written), and the checks :func:`finite_or_none`, :func:`is_knob` and
:func:`curve_points` that saving and loading share.  Reading and writing the
file is :mod:`tutor.store.progress_file`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tutor.store.outcomes import Outcome, Result, result_of_outcome

VERSION = 2
"""2: predictions by block, then target (version 1 files are read and migrated)."""

Knob = str | int | float | bool


def finite_or_none(value: Any) -> float | None:
    """``value`` as a finite float, or None (JSON has no NaN/inf; a diverged run has no loss)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def is_knob(value: Any) -> bool:
    """A knob value JSON can hold: a string, bool, int or finite float."""
    return isinstance(value, str | int) or finite_or_none(value) is not None


def curve_points(points: Iterable[Any]) -> list[tuple[int, float]]:
    """The ``(epoch, loss)`` pairs of ``points`` with a non-negative whole epoch and finite loss."""
    kept = []
    for point in points:
        if not (isinstance(point, list | tuple) and len(point) == 2):
            continue
        epoch, loss = point[0], finite_or_none(point[1])
        is_epoch = isinstance(epoch, int) and not isinstance(epoch, bool) and epoch >= 0
        if is_epoch and loss is not None:
            kept.append((epoch, loss))
    return kept


Numbers = dict[str, float | list[Any]]
"""Drawn numbers by name (``"W1"``, ``"x"``): a number, or nested lists for a matrix."""


@dataclass
class Answered:
    """A prediction or a lesson question the learner answered or skipped, and how it went.

    ``answer`` is the last answer judged, as typed ("" when skipped); ``outcome`` is
    correct, wrong (the solution was shown after wrong answers) or skipped;
    ``result`` how the question went (files from before it was kept get it from the
    outcome when read), ``tries`` the answers judged, and ``numbers`` the values drawn
    for a question with ``vary``, so it shows the same numbers on return.

    A question still being answered is kept too, with the result ``open``: saved when
    its numbers are drawn and after every judged try (``wrong`` of them wrong), so
    leaving and coming back shows the same numbers and the earlier tries still count.
    """

    answer: str
    outcome: Outcome
    result: Result = Result.UNANSWERED
    tries: int = 0
    numbers: Numbers = field(default_factory=dict)
    wrong: int = 0

    def __post_init__(self) -> None:
        self.outcome = Outcome(self.outcome)
        result = Result(self.result)
        unknown = result == Result.UNANSWERED  # a file from before results
        self.result = result_of_outcome(self.outcome) if unknown else result

    @property
    def open(self) -> bool:
        """Whether the question is still being answered (its numbers and tries kept)."""
        return self.result == Result.OPEN

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "outcome": str(self.outcome),
            "result": str(self.result),
            "tries": self.tries,
            "numbers": dict(self.numbers),
            "wrong": self.wrong,
        }


@dataclass
class RunRecord:
    """One training run: knob settings, final loss (None if diverged), status, loss curve.

    ``curve`` is a few hundred ``(epoch, loss)`` points to draw the run again; files
    from before it existed have none, and non-finite losses are never saved.
    """

    knobs: dict[str, Knob] = field(default_factory=dict)
    final_loss: float | None = None
    status: str = ""
    curve: list[tuple[int, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "knobs": {name: knob for name, knob in self.knobs.items() if is_knob(knob)},
            "final_loss": finite_or_none(self.final_loss),
            "status": self.status,
            "curve": [[epoch, loss] for epoch, loss in curve_points(self.curve)],
        }


@dataclass
class LessonProgress:
    """Where the learner is in one lesson and what they have done there.

    Keys (in ``revealed``, ``predictions``, ``questions`` and ``runs``) name a block of
    a step, ``"step:part"``, since JSON object keys are strings.  A derive block's
    predictions are kept by their target within the block (``{"2:1": {"dL/dz2": …}}``):
    the block's walk holds that very dict (:meth:`predictions_in`) and keeps each
    prediction in it, so nothing translates keys between the walk and the file.
    """

    step: int = 0
    finished_steps: list[int] = field(default_factory=list)
    revealed: dict[str, int] = field(default_factory=dict)
    predictions: dict[str, dict[str, Answered]] = field(default_factory=dict)
    questions: dict[str, Answered] = field(default_factory=dict)
    runs: dict[str, list[RunRecord]] = field(default_factory=dict)

    def predictions_in(self, block: str) -> dict[str, Answered]:
        """The predictions of the derive block ``block`` by target, to be kept in place."""
        return self.predictions.setdefault(block, {})

    def prediction(self, block: str, target: str) -> Answered | None:
        """The prediction of ``target`` ("dL/dz2") in the derive block ``block``, if made."""
        return self.predictions.get(block, {}).get(target)

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "finished_steps": sorted(set(self.finished_steps)),
            "revealed": dict(self.revealed),
            "predictions": {
                block: {target: p.to_dict() for target, p in kept.items()}
                for block, kept in self.predictions.items()
                if kept
            },
            "questions": {key: q.to_dict() for key, q in self.questions.items()},
            "runs": {key: [run.to_dict() for run in runs] for key, runs in self.runs.items()},
        }


@dataclass
class FamilyStats:
    """Quiz record for one question family, with its Leitner box and next due time."""

    attempts: int = 0
    correct: int = 0
    streak: int = 0
    box: int = 1
    last_seen: str | None = None
    due: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempts": self.attempts,
            "correct": self.correct,
            "streak": self.streak,
            "box": self.box,
            "last_seen": self.last_seen,
            "due": self.due,
        }


@dataclass
class ExerciseProgress:
    """One code exercise: the learner's copy, hints seen, solved, and what they agreed to run."""

    path: str = ""  # the learner's copy; "" until it is made
    solved: bool = False
    hints: int = 0  # how many hints have been shown
    solution_seen: bool = False
    trusted: str = ""  # the exercise folder (outside the bundled lessons) the learner let run

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "solved": self.solved,
            "hints": self.hints,
            "solution_seen": self.solution_seen,
            "trusted": self.trusted,
        }


@dataclass
class Progress:
    """Everything saved for one learner: lessons, quiz families and code exercises."""

    lessons: dict[str, LessonProgress] = field(default_factory=dict)
    families: dict[str, FamilyStats] = field(default_factory=dict)
    exercises: dict[str, ExerciseProgress] = field(default_factory=dict)
    version: int = VERSION

    def lesson(self, lesson_id: str) -> LessonProgress:
        """The progress for ``lesson_id``, created empty if absent."""
        return self.lessons.setdefault(lesson_id, LessonProgress())

    def family(self, family_id: str) -> FamilyStats:
        """The stats for quiz family ``family_id``, created empty if absent."""
        return self.families.setdefault(family_id, FamilyStats())

    def exercise(self, exercise_id: str) -> ExerciseProgress:
        """The progress in code exercise ``exercise_id``, created empty if absent."""
        return self.exercises.setdefault(exercise_id, ExerciseProgress())

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "lessons": {key: lesson.to_dict() for key, lesson in self.lessons.items()},
            "families": {key: stats.to_dict() for key, stats in self.families.items()},
            "exercises": {key: state.to_dict() for key, state in self.exercises.items()},
        }
