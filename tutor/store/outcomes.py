"""How an answer went, as enums every layer above shares (no strings compared by hand).

Provides :class:`Outcome` (the verdict on one answer, or a skip) and :class:`Result`
(how a whole question or prediction went).  Both are ``StrEnum``: saved progress
holds their values, and a value read from a file becomes a member again.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """The verdict on one answer, or the learner skipping the question."""

    CORRECT = "correct"
    CLOSE = "close"
    WRONG = "wrong"
    UNREADABLE = "unreadable"  # explained and not counted
    SKIPPED = "skipped"


class Result(StrEnum):
    """How a question or prediction went as a whole."""

    FIRST_TRY = "first_try"
    RETRIED = "retried"  # right after wrong or close answers
    REVEALED = "revealed"  # the solution was shown after wrong answers
    SKIPPED = "skipped"
    OPEN = "open"  # not over yet
    UNANSWERED = ""  # never reached, or nothing saved

    @property
    def right(self) -> bool:
        """Answered right, at the first try or later."""
        return self in (Result.FIRST_TRY, Result.RETRIED)


def result_of_outcome(outcome: str) -> Result:
    """The result of a prediction saved before results were kept: only its outcome is known."""
    if outcome == Outcome.CORRECT:
        return Result.FIRST_TRY
    return Result.SKIPPED if outcome == Outcome.SKIPPED else Result.REVEALED
