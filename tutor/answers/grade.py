"""Grading a parsed `Answer` against the value the engine computed.

Tolerance policy (the authoring guide quotes it):

- A number is **correct** when its relative error is at most `tolerance` (1 % by
  default; the denominator is floored at 1e-12 so an expected 0 works), or when
  the learner typed at least 2 significant digits and the answer is the expected
  value rounded to the digits typed (within half a unit in the last typed place:
  "0.24" is right for 0.2351). That rounding allowance holds only at the default
  tolerance or a looser one: a question with a tighter `tolerance` means what it
  says. Working done with the rounded numbers shown on
  screen, such as -0.378*0.235 for -0.08888, is within 1 % and so correct.
- A number is **close** when it is the expected value rounded to a single
  significant digit ("give more digits"), or its relative error is at most
  10 x `tolerance`. Anything else is **wrong**.
- An array must have the expected shape (a flat list may answer a row or column
  vector; a transposed shape is reported as such). Every entry is judged as a
  number and the outcome is the worst entry's. One number may answer a size-1 array.
- A shape must match exactly; a reversed shape is reported as transposed.
- A close or wrong answer that matches a known mistake (judged with the same
  tolerance) gets that mistake's message. A mistake whose value coincides with
  the expected value is never reported, and a correct answer never is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from tutor.answers.mistakes import Mistake
from tutor.answers.parse import Answer
from tutor.answers.types import DEFAULT_TOLERANCE, Outcome, Value
from tutor.text.numbers import format_array, format_number, format_shape

ABS_TOL = 1e-12
CLOSE_FACTOR = 10

_Judgement = Literal["correct", "few_digits", "imprecise", "wrong"]
_OUTCOMES: dict[_Judgement, Outcome] = {
    "correct": "correct",
    "few_digits": "close",
    "imprecise": "close",
    "wrong": "wrong",
}
_SEVERITY: dict[Outcome, int] = {"correct": 0, "close": 1, "wrong": 2}


@dataclass(frozen=True)
class Verdict:
    """The outcome of grading, a message for the learner and the mistake recognised, if any."""

    outcome: Outcome
    message: str
    mistake: Mistake | None = None


def grade(
    answer: Answer,
    expected: Value,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    mistakes: Sequence[Mistake] = (),
) -> Verdict:
    """Judge `answer` against `expected`, naming a known mistake when the answer matches one."""
    outcome, message = _assess(answer, expected, tolerance)
    if outcome != "correct":
        mistake = _matching_mistake(answer, expected, mistakes, tolerance)
        if mistake is not None:
            message = f"This looks like: {mistake.name} — {mistake.description}"
            return Verdict(outcome, message, mistake)
    return Verdict(outcome, message)


def _matching_mistake(
    answer: Answer, expected: Value, mistakes: Sequence[Mistake], tolerance: float
) -> Mistake | None:
    """The first mistake the answer matches, skipping any that coincide with `expected`."""
    for mistake in mistakes:
        if coincides(mistake.value, expected, tolerance):
            continue
        if _assess(answer, mistake.value, tolerance)[0] == "correct":
            return mistake
    return None


def coincides(value: Value, expected: Value, tolerance: float) -> bool:
    """Whether two values (numbers, arrays or shapes) agree within `tolerance`, entry by entry.

    A mistake that coincides with the expected value is never reported.
    """
    if isinstance(value, tuple) or isinstance(expected, tuple):
        return value == expected
    a = np.asarray(value, dtype=np.float64)
    b = np.asarray(expected, dtype=np.float64)
    if a.shape != b.shape and not a.size == b.size == 1:
        return False
    return all(
        _relative_error(x, y) <= tolerance for x, y in zip(a.ravel(), b.ravel(), strict=True)
    )


def _assess(answer: Answer, expected: Value, tolerance: float) -> tuple[Outcome, str]:
    """The outcome and message for an answer against a number, array or shape."""
    if isinstance(expected, tuple):
        return _assess_shape(answer, expected)
    if answer.kind == "shape":
        return "wrong", "Not quite: the question asks for numbers, not a shape."
    target = np.asarray(expected, dtype=np.float64)
    values = np.asarray(answer.value, dtype=np.float64)
    digits = _typed_digits(answer, values.size)
    if values.size == 1 and target.size == 1:
        return _assess_number(values.item(), target.item(), digits[0], tolerance)
    problem = _shape_problem(values.shape, target.shape)
    if problem is not None:
        return "wrong", problem
    return _assess_entries(values.ravel(), target, digits, tolerance)


def _typed_digits(answer: Answer, size: int) -> tuple[int | None, ...]:
    """Significant digits typed for each entry of the answer (None where unknown)."""
    if answer.kind == "number":
        return (answer.sig_digits,)
    return answer.entry_sig_digits or (None,) * size


def _assess_shape(answer: Answer, expected: tuple[int, ...]) -> tuple[Outcome, str]:
    """Shapes must match exactly; a reversed one looks transposed."""
    if answer.kind != "shape":
        return "wrong", "Not quite: the question asks for a shape, like (4, 2)."
    given = answer.value
    if given == expected:
        return "correct", f"Correct: {format_shape(expected)}."
    if len(given) >= 2 and given == expected[::-1]:
        return "wrong", f"Not quite: {format_shape(given)} looks transposed (axes swapped)."
    return "wrong", f"Not quite: {format_shape(given)} is not the shape."


def _shape_problem(given: tuple[int, ...], wanted: tuple[int, ...]) -> str | None:
    """Why an array of shape `given` cannot answer one of shape `wanted`, or None if it can."""
    if given == wanted or (len(given) == 1 and _squeezed(wanted) == given):
        return None
    if not wanted:
        return f"Not quite: the question asks for one number, not {np.prod(given)} entries."
    if not given:
        return f"Not quite: the answer is a {format_shape(wanted)} array, not a single number."
    if len(given) == 2 and given == wanted[::-1]:
        return (
            f"Not quite: your array is {format_shape(given)} but the answer is "
            f"{format_shape(wanted)}: it looks transposed."
        )
    return f"Not quite: the answer has shape {format_shape(wanted)}, yours {format_shape(given)}."


def _squeezed(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape without its length-1 axes."""
    return tuple(n for n in shape if n != 1)


def _assess_number(
    value: float, expected: float, digits: int | None, tolerance: float
) -> tuple[Outcome, str]:
    """Judge one number and explain the judgement."""
    judgement = _judge(value, expected, digits, tolerance)
    shown = format_number(value)
    if judgement == "correct":
        return "correct", f"Correct: {format_number(expected)}."
    if judgement == "few_digits":
        return "close", (
            f"Close, but give more digits: {shown} has only 1 significant digit; give at least 2."
        )
    if judgement == "imprecise":
        off = format_number(100 * _relative_error(value, expected), 2)
        return "close", (
            f"Close, but not precise enough: {shown} is off by {off} %; "
            "keep more digits in your working."
        )
    return "wrong", f"Not quite: {shown} is not right."


def _assess_entries(
    values: np.ndarray, target: np.ndarray, digits: Sequence[int | None], tolerance: float
) -> tuple[Outcome, str]:
    """Judge every entry; the outcome is the worst entry's."""
    outcomes = [
        _OUTCOMES[_judge(v, t, d, tolerance)]
        for v, t, d in zip(values, target.ravel(), digits, strict=True)
    ]
    outcome = max(outcomes, key=_SEVERITY.__getitem__)
    total = len(outcomes)
    if outcome == "correct":
        return "correct", f"Correct: {format_array(target)}."
    if outcome == "close":
        count = total - outcomes.count("correct")
        return "close", (
            f"Close, but {_how_many(count, total)} not precise enough: give more digits."
        )
    wrong = [i for i, o in enumerate(outcomes) if o == "wrong"]
    return "wrong", (
        f"Not quite: {_how_many(len(wrong), total)} wrong; "
        f"the first is {_position(wrong[0], target.shape)}."
    )


def _how_many(count: int, total: int) -> str:
    """How many entries, with the verb agreeing: "1 of 4 entries is", "2 of 4 entries are"."""
    return f"{count} of {total} entries {'is' if count == 1 else 'are'}"


def _position(index: int, shape: tuple[int, ...]) -> str:
    """A flat index as the learner counts it: "entry 2" or "row 1, column 2"."""
    place = [int(i) + 1 for i in np.unravel_index(index, shape)]
    if len(place) == 1:
        return f"entry {place[0]}"
    if len(place) == 2:
        return f"row {place[0]}, column {place[1]}"
    return "entry (" + ", ".join(str(i) for i in place) + ")"


def _judge(value: float, expected: float, digits: int | None, tolerance: float) -> _Judgement:
    """Apply the tolerance policy to one number."""
    error = _relative_error(value, expected)
    rounded = digits is not None and _rounds_to(value, expected, digits)
    if error <= tolerance or (rounded and digits >= 2 and tolerance >= DEFAULT_TOLERANCE):
        return "correct"
    if rounded:
        return "few_digits"
    if error <= CLOSE_FACTOR * tolerance:
        return "imprecise"
    return "wrong"


def _relative_error(value: float, expected: float) -> float:
    """|value - expected| relative to |expected|, floored at ABS_TOL."""
    return abs(value - expected) / max(abs(expected), ABS_TOL)


def _rounds_to(value: float, expected: float, digits: int) -> bool:
    """Whether `value`, typed with `digits` significant digits, is `expected` rounded."""
    if value == 0:
        return False
    exponent = int(f"{value:.{digits - 1}e}".split("e")[1])
    half_unit = 0.5 * 10.0 ** (exponent - digits + 1)
    return abs(value - expected) <= half_unit * (1 + 1e-9)
