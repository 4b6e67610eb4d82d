"""What a worked solution is made of: the engine's steps and records, and the answer.

Provides :class:`Solution`.  A question builds one from the engine's own
forward steps and chain-rule records; :mod:`tutor.present.solution` words it, the
same for the quiz, a lesson's question, a prediction and the worksheet.
"""

from __future__ import annotations

from dataclasses import dataclass

from tutor.answers.types import Value
from tutor.engine import ForwardStep, TraceRecord


@dataclass(frozen=True, eq=False)
class Solution:
    """The engine's worked solution to one question."""

    forward: tuple[ForwardStep, ...] = ()
    records: tuple[TraceRecord, ...] = ()
    show_values: bool = True
    """Write out the matrices of array steps and records (not only their shapes)."""
    conclusion: tuple[str, ...] = ()
    """Closing lines, e.g. the gradient-descent step the question asks about."""
    answer: Value | None = None
    """The answer, or None when the last record is the answer (a prediction)."""
