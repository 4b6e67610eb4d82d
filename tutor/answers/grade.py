"""Grading a parsed `Answer` against the engine's value: the one grading policy.

The policy (docs/authoring.md quotes it):

- **Error.** A number's error is |x − e| / |e|; an array's is ‖x − e‖ / ‖e‖ (the
  norm-relative error), so an entry near 0 is judged against the size of the whole
  answer.  The denominator is floored at `ABS_FLOOR`.
- **Tolerance.** The question's tolerance (1 % by default), narrowed where a known
  mistake lies near the answer: to a third of the mistake's distance, so that no
  answer can be within tolerance of both.  A mistake that gives the answer itself
  is no mistake for these numbers and is dropped; one that needs a tolerance below
  `MIN_TOLERANCE`, or that typed to 2 digits is the answer itself, makes the
  question *inseparable* (quiz families draw other numbers, a lesson quiz with
  ``vary`` draws again, and the validator reports a lesson's fixed question).
- **Correct** when the error is within the tolerance, unless the answer is also a
  known mistake rounded to the digits typed (then it is close: more digits needed).
- **Close, give more digits** when the answer is the exact value rounded to the
  digits typed, but that rounding is not within the tolerance: the message says
  how many significant digits are needed.  (Unless it is exactly a known
  mistake's value, such as the old weight of an update.)
- **Wrong, with a diagnosis** when the answer is a known mistake: its value within
  `MATCH_TOLERANCE` (or the tolerance, if that is tighter), or its value rounded to
  the 2 or more digits typed.  "Close" never swallows a known mistake.
- **Close, not precise enough** when the error is within `CLOSE_FACTOR` × the
  tolerance and the answer is nearer the right value than any known mistake.
- **Wrong** otherwise.  An array's message names the entries that are off.
- A shape must match exactly; a reversed shape is reported as transposed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from tutor.answers.mistakes import Mistake
from tutor.answers.parse import Answer
from tutor.answers.types import DEFAULT_TOLERANCE, Value
from tutor.store.outcomes import Outcome
from tutor.text.numbers import format_array, format_number, format_shape

ABS_FLOOR = 1e-12
CLOSE_FACTOR = 10
SEPARATION = 3.0
"""A known mistake's distance from the answer is at least this many tolerances."""
MIN_TOLERANCE = 1e-3
"""Narrowing below this (more than about 4 significant digits) makes a question inseparable."""
MATCH_TOLERANCE = 1e-3
"""An answer names a mistake when it is this close to the mistake's value (or typed rounded)."""
COINCIDE = 1e-9
"""Values this close are the same value."""
MAX_DIGITS = 12

Digits = tuple[int | None, ...]


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
    """Judge `answer` against `expected`, naming a known mistake when the answer is one."""
    return Marking.of(expected, tolerance, mistakes).grade(answer)


def coincides(value: Value, expected: Value, tolerance: float = COINCIDE) -> bool:
    """Whether two values (numbers, arrays or shapes) agree within `tolerance`."""
    return distance(value, expected) <= tolerance


def distance(value: Value, expected: Value) -> float:
    """The relative error of `value` against `expected` (inf for a shape or size mismatch):
    ``‖a − b‖ / ‖b‖``, both scaled by their largest entry so that no square overflows.

    The norms are written out (``sqrt(x·x)``, as ``np.linalg.norm`` computes them) and two
    finite numbers never become arrays: the judge measures every answer against every
    known mistake, and NumPy's per-call overhead was most of that time.
    """
    if isinstance(value, tuple) or isinstance(expected, tuple):
        return 0.0 if value == expected else math.inf
    if isinstance(value, float) and isinstance(expected, float) and _finite(value, expected):
        return _number_distance(value, expected)
    a = np.asarray(value, dtype=np.float64)
    b = np.asarray(expected, dtype=np.float64)
    if a.size != b.size or (a.shape != b.shape and a.size != 1):
        return math.inf
    scale = max(float(np.abs(a).max()), float(np.abs(b).max()), ABS_FLOOR)
    if math.isinf(scale):  # an infinite entry: no relative error (inf / inf)
        return math.nan
    a, b = a.ravel() / scale, b.ravel() / scale
    gap = a - b
    error = float(np.sqrt(gap.dot(gap)))
    return error / max(float(np.sqrt(b.dot(b))), ABS_FLOOR / scale)  # Python's /: no warning


def _finite(*numbers: float) -> bool:
    return all(math.isfinite(number) for number in numbers)


def _number_distance(value: float, expected: float) -> float:
    """:func:`distance` of two finite numbers, with the same sums."""
    scale = max(abs(value), abs(expected), ABS_FLOOR)
    x, y = value / scale, expected / scale
    return math.sqrt((x - y) * (x - y)) / max(math.sqrt(y * y), ABS_FLOOR / scale)


@dataclass(frozen=True, eq=False)
class Marking:
    """How one question is marked: its value, the narrowed tolerance and the mistakes kept."""

    expected: Value
    tolerance: float  # the tolerance the question asked for
    narrowed: float  # the tolerance applied, narrowed below nearby mistakes
    mistakes: tuple[Mistake, ...]  # the mistakes that differ from the answer and each other

    @classmethod
    def of(
        cls,
        expected: Value,
        tolerance: float = DEFAULT_TOLERANCE,
        mistakes: Sequence[Mistake] = (),
    ) -> Marking:
        """Drop mistakes that give the answer (or an earlier mistake) and narrow the tolerance."""
        kept: list[Mistake] = []
        narrowed = tolerance
        for mistake in mistakes:
            if any(coincides(mistake.value, v) for v in (expected, *(m.value for m in kept))):
                continue
            kept.append(mistake)
            gap = distance(mistake.value, expected)
            if math.isfinite(gap):
                narrowed = min(narrowed, gap / SEPARATION)
        return cls(expected, tolerance, narrowed, tuple(kept))

    @property
    def separable(self) -> bool:
        """Whether every known mistake can be told apart from the answer at a sane precision.

        Not when telling them apart needs a tolerance below `MIN_TOLERANCE`, nor when a
        mistake's value typed to 2 significant digits is the answer itself.
        """
        if self.narrowed < min(self.tolerance, MIN_TOLERANCE):
            return False
        return not any(
            coincides(np.vectorize(lambda v: _round(v, 2))(np.asarray(m.value)), self.expected)
            for m in self.mistakes
            if not isinstance(m.value, tuple)
        )

    @cached_property
    def digits(self) -> int | None:
        """The significant digits a typed answer needs (None for a shape)."""
        if isinstance(self.expected, tuple):
            return None
        target = np.asarray(self.expected, dtype=np.float64)
        for digits in range(1, MAX_DIGITS + 1):
            rounded = np.vectorize(lambda v, d=digits: _round(v, d))(target)
            if self._correct(rounded, (digits,) * target.size):
                return digits
        return MAX_DIGITS

    @property
    def note(self) -> str | None:
        """What the learner must be told when the tolerance was narrowed, else None."""
        if self.narrowed >= self.tolerance or self.digits is None:
            return None
        return (
            f"Give at least {self.digits} significant digits: a common mistake gives a "
            "number close to this answer."
        )

    # ------------------------------------------------------------------ grading
    def grade(self, answer: Answer) -> Verdict:
        """The verdict on one parsed answer."""
        if isinstance(self.expected, tuple):
            return self._grade_shape(answer)
        if answer.kind == "shape":
            return Verdict(Outcome.WRONG, "Not quite: the question asks for numbers, not a shape.")
        target = np.asarray(self.expected, dtype=np.float64)
        values = np.asarray(answer.value, dtype=np.float64)
        problem = _shape_problem(values.shape, target.shape)
        if problem is not None:
            mistake = self._mistake(values, ())
            return Verdict(Outcome.WRONG, _diagnosis(mistake) if mistake else problem, mistake)
        values = values.reshape(target.shape)
        digits = _typed_digits(answer, values.size)
        if self._correct(values, digits):
            return Verdict(Outcome.CORRECT, f"Correct: {format_array(target)}.")
        mistake = self._mistake(values, digits)
        exact = mistake is not None and coincides(values, mistake.value)
        if _rounds_to(values, target, digits) and not exact:
            return Verdict(Outcome.CLOSE, self._more_digits(digits))
        if mistake is not None:
            return Verdict(Outcome.WRONG, _diagnosis(mistake), mistake)
        error = distance(values, target)
        nearest = min((distance(values, m.value) for m in self.mistakes), default=math.inf)
        if error <= CLOSE_FACTOR * self.narrowed and error < nearest:
            return Verdict(Outcome.CLOSE, self._imprecise(values, error))
        return Verdict(Outcome.WRONG, self._wrong(values))

    def _correct(self, values: np.ndarray, digits: Digits) -> bool:
        """Within the tolerance, and not also a mistake rounded to the digits typed."""
        target = np.asarray(self.expected, dtype=np.float64)
        error = distance(values, target)
        if error > self.narrowed:
            return False
        if error <= COINCIDE:
            return True
        return not any(_rounds_to(values, m.value, digits) for m in self.mistakes)

    def _mistake(self, values: np.ndarray, digits: Digits) -> Mistake | None:
        """The first known mistake the answer is."""
        match = min(self.narrowed, MATCH_TOLERANCE)
        for mistake in self.mistakes:
            if isinstance(mistake.value, tuple):
                continue
            if distance(values, mistake.value) <= match:
                return mistake
            at_least_two = bool(digits) and all(d is not None and d >= 2 for d in digits)
            if at_least_two and _rounds_to(values, mistake.value, digits):
                return mistake
        return None

    def _grade_shape(self, answer: Answer) -> Verdict:
        """Shapes must match exactly; a reversed one looks transposed."""
        expected = self.expected
        assert isinstance(expected, tuple)
        given = answer.value
        if answer.kind != "shape" or not isinstance(given, tuple):
            return Verdict(Outcome.WRONG, "Not quite: the question asks for a shape, like (4, 2).")
        if given == expected:
            return Verdict(Outcome.CORRECT, f"Correct: {format_shape(expected)}.")
        for mistake in self.mistakes:
            if mistake.value == given:
                return Verdict(Outcome.WRONG, _diagnosis(mistake), mistake)
        if len(given) >= 2 and given == expected[::-1]:
            return Verdict(
                Outcome.WRONG, f"Not quite: {format_shape(given)} looks transposed (axes swapped)."
            )
        return Verdict(Outcome.WRONG, f"Not quite: {format_shape(given)} is not the shape.")

    # ------------------------------------------------------------------ words
    def _more_digits(self, digits: Digits) -> str:
        typed = max(d for d in digits if d is not None)
        needed = self.digits or typed + 1
        figures = "significant digit" if typed == 1 else "significant digits"
        where = " in each entry" if len(digits) > 1 else ""
        return (
            f"Close: that is the answer rounded to {typed} {figures}, which is not precise "
            f"enough here; give {needed} significant digits{where}."
        )

    def _imprecise(self, values: np.ndarray, error: float) -> str:
        off = format_number(100 * error, 2)
        if values.size == 1:
            return (
                f"Close, but not precise enough: {format_number(values.item())} is off by "
                f"{off} %; keep more digits in your working."
            )
        return (
            f"Close, but not precise enough: off by {off} % overall, most in "
            f"{self._off_entries(values)}; keep more digits in your working."
        )

    def _wrong(self, values: np.ndarray) -> str:
        if values.size == 1:
            return f"Not quite: {format_number(values.item())} is not right."
        return f"Not quite: off in {self._off_entries(values)}."

    def _off_entries(self, values: np.ndarray) -> str:
        """The entries that carry the error, as the learner counts them."""
        target = np.asarray(self.expected, dtype=np.float64)
        share = self.narrowed * max(float(np.linalg.norm(target)), ABS_FLOOR)
        share /= math.sqrt(target.size)
        off = np.flatnonzero(np.abs(values - target).ravel() > share)
        total = target.size
        places = "; ".join(_position(int(i), target.shape) for i in off)
        count = f"{len(off)} of {total} entries" if len(off) != 1 else f"1 of {total} entries"
        return f"{count} ({places})"


def _diagnosis(mistake: Mistake) -> str:
    return f"This looks like: {mistake.name} — {mistake.description}"


def _typed_digits(answer: Answer, size: int) -> Digits:
    """Significant digits typed for each entry of the answer (None where unknown)."""
    if answer.kind == "number":
        return (answer.sig_digits,)
    return answer.entry_sig_digits or (None,) * size


def _round(value: float, digits: int) -> float:
    """``value`` rounded to ``digits`` significant digits."""
    return float(f"{value:.{digits - 1}e}")


def _rounds_to(values: np.ndarray, exact: Value, digits: Digits) -> bool:
    """Whether each entry, typed with its digits, is the matching entry of ``exact`` rounded."""
    typed = [d for d in digits if d is not None]
    if isinstance(exact, tuple) or not digits or len(typed) < len(digits):
        return False
    target = np.asarray(exact, dtype=np.float64)
    if target.size != values.size or (target.shape != values.shape and target.size != 1):
        return False
    pairs = zip(values.ravel(), target.ravel(), typed, strict=True)
    return all(_rounded(float(v), float(e), d) for v, e, d in pairs)


def _rounded(value: float, exact: float, digits: int) -> bool:
    """Whether ``value`` is ``exact`` rounded to ``digits`` significant digits.

    The unit of the last digit comes from the exact value, so 1.0 is not 0.951
    rounded to 2 digits (that is 0.95); a tie may round either way.
    """
    if exact == 0:
        return value == 0
    unit = 10.0 ** (math.floor(math.log10(abs(exact))) - digits + 1)
    steps = exact / unit
    nearest = {math.floor(steps), math.ceil(steps)}
    nearest = {n for n in nearest if abs(n - steps) <= 0.5 * (1 + 1e-9)}
    return any(math.isclose(value, n * unit, rel_tol=1e-9, abs_tol=0) for n in nearest)


def _shape_problem(given: tuple[int, ...], wanted: tuple[int, ...]) -> str | None:
    """Why an array of shape `given` cannot answer one of shape `wanted`, or None if it can."""
    if given == wanted or math.prod(given) == math.prod(wanted) == 1:
        return None
    if len(given) == 1 and _squeezed(wanted) == given:
        return None
    if not wanted or math.prod(wanted) == 1:
        return f"Not quite: the question asks for one number, not {math.prod(given)} entries."
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


def _position(index: int, shape: tuple[int, ...]) -> str:
    """A flat index as the learner counts it: "entry 2" or "row 1, column 2"."""
    place = [int(i) + 1 for i in np.unravel_index(index, shape)]
    if len(place) == 1:
        return f"entry {place[0]}"
    if len(place) == 2:
        return f"row {place[0]}, column {place[1]}"
    return "entry (" + ", ".join(str(i) for i in place) + ")"
