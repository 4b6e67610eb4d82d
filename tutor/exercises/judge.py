"""Judging one quantity the learner computed against the engine, case by case.

Provides :class:`Variant` (a deliberately wrong result the engine computed, with
the mistake it stands for), :class:`Expected` (the engine's value in one case,
its variants, and which case it is), :class:`CheckResult` and :func:`judge`.
Shapes are compared first and both are named; then the norm-relative error; a
failing result is matched against the variants to name the bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tutor.engine import PASS_THRESHOLD
from tutor.engine.gradcheck import relative_error
from tutor.exercises.protocol import Returned
from tutor.text.numbers import format_number, format_shape

TOLERANCE = PASS_THRESHOLD
"""A result passes when its relative error to the engine's is below this (as gradient checks)."""


@dataclass(frozen=True)
class Variant:
    """A wrong result the engine computes on purpose, and the mistake it stands for."""

    message: str
    value: np.ndarray


@dataclass(frozen=True)
class Expected:
    """The engine's value for one case, its wrong variants, and the case in words."""

    value: np.ndarray
    variants: tuple[Variant, ...] = ()
    case: str = ""


@dataclass(frozen=True)
class CheckResult:
    """One check as the learner sees it: passed or not, what was found, the named bug."""

    name: str
    passed: bool
    message: str
    diagnosis: str | None = None
    relative_error: float | None = None

    def to_json(self) -> dict[str, object]:
        """The check as ``exercise check --json`` prints it."""
        return {
            "name": self.name,
            "passed": self.passed,
            "message": self.message,
            "diagnosis": self.diagnosis,
        }


def not_run(name: str, why: str) -> CheckResult:
    """A check that could not be made, e.g. because the learner's code stopped before it."""
    return CheckResult(name, False, f"not checked: {why}")


def judge(
    name: str, expected: Sequence[Expected], results: Sequence[Returned | None]
) -> CheckResult:
    """Compare the learner's result with the engine's in every case."""
    failing: list[tuple[Expected, np.ndarray]] = []
    worst = 0.0
    for want, got in zip(expected, results, strict=True):
        if got is None:
            return not_run(name, "your code raised an error or stopped before returning it")
        if got.array is None:
            what = got.description or "a dict"
            return CheckResult(name, False, f"returned {what}, not an array of numbers")
        shaped = _shape_problem(name, want, got.array)
        if shaped is not None:
            return shaped
        array = got.array.reshape(want.value.shape)
        if not np.all(np.isfinite(array)):
            return CheckResult(
                name,
                False,
                f"contains NaN or infinity ({want.case}); look for an overflow or a division "
                "by zero (the warnings below may say where)",
                _named_bug([(want, array)]),
            )
        error = relative_error(array, want.value)
        worst = max(worst, error)
        if error >= TOLERANCE:
            failing.append((want, array))
    if not failing:
        cases = "1 case" if len(expected) == 1 else f"{len(expected)} cases"
        return CheckResult(
            name, True, f"relative error {format_number(worst, 2)} ({cases})", None, worst
        )
    first = failing[0][0]
    message = f"relative error {format_number(worst, 3)} ({first.case})"
    return CheckResult(name, False, message, _named_bug(failing), worst)


def _shape_problem(name: str, want: Expected, array: np.ndarray) -> CheckResult | None:
    """A failed check naming both shapes, or None when the shapes agree."""
    shape, right = tuple(array.shape), tuple(want.value.shape)
    if shape == right or (array.size == 1 and want.value.size == 1):
        return None
    yours, wanted = format_shape(shape), format_shape(right)
    message = f"shape {yours}, but it should be {wanted} ({want.case})"
    for variant in want.variants:
        if tuple(variant.value.shape) == shape:
            diagnosis = f"{variant.message} (yours has shape {yours}, the right one is {wanted})"
            return CheckResult(name, False, message, diagnosis)
    if shape == right[::-1]:
        diagnosis = f"transposed: yours has shape {yours}, the right one is {wanted}"
        return CheckResult(name, False, message, diagnosis)
    return CheckResult(name, False, message)


def _named_bug(failing: list[tuple[Expected, np.ndarray]]) -> str | None:
    """The message of the first variant the learner's result matches in every failing case."""
    messages = [v.message for v in failing[0][0].variants]
    for message in messages:
        if all(_matches(want, array, message) for want, array in failing):
            return message
    return None


def _matches(want: Expected, array: np.ndarray, message: str) -> bool:
    for variant in want.variants:
        if variant.message == message and variant.value.shape == array.shape:
            return reproduces(array, variant.value)
    return False


def reproduces(array: np.ndarray, value: np.ndarray) -> bool:
    """Whether the learner's ``array`` is the variant's ``value``: not finite where it is not
    (an overflow the engine reproduced), the finite entries within the tolerance."""
    finite = np.isfinite(value)
    if not np.array_equal(finite, np.isfinite(array)):
        return False
    return not finite.any() or relative_error(array[finite], value[finite]) < TOLERANCE
