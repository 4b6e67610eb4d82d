"""The :class:`Question` a family generates, and its worked solution.

A question carries the value the engine computed (``expected``), the values
known mistakes would give (``mistakes``), hints in levels, and the engine's
forward steps and chain-rule records that make up its worked solution.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from tutor.answers.mistakes import Mistake
from tutor.answers.solution import Solution
from tutor.answers.types import DEFAULT_TOLERANCE, AnswerKind, Value
from tutor.engine import ForwardStep, TraceRecord
from tutor.text.numbers import format_value

FULL_PRECISION = 12
"""Significant figures of an answer-key value."""


@dataclass(frozen=True, eq=False)
class Question:
    """One generated question with everything needed to grade, hint and explain it."""

    id: str
    family: str
    topic: str
    difficulty: int
    text: str  # Markdown
    about: Mapping[str, Value]  # the values the question is about, by name
    expected: Value
    kind: AnswerKind
    hints: tuple[str, ...]
    mistakes: tuple[Mistake, ...] = ()
    forward: tuple[ForwardStep, ...] = ()
    trace: tuple[TraceRecord, ...] = ()
    conclusion: str = ""  # a closing line of the worked solution (e.g. the update)
    show_values: bool = True  # print the matrices of array records in the solution
    tolerance: float = DEFAULT_TOLERANCE
    asked: frozenset[str] = frozenset()  # functions an answer may not apply (it would restate)


def question_id(family: str, text: str) -> str:
    """A stable id: the family and a short digest of the question text."""
    return f"{family}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"


def answer_text(question: Question, sig: int = FULL_PRECISION, *, ascii: bool = False) -> str:
    """The expected answer as text (full precision by default), readable by the answer parser."""
    return format_value(question.expected, sig, ascii=ascii)


def worked_solution(question: Question) -> Solution:
    """The engine's forward steps and chain-rule records that lead to the answer."""
    return Solution(
        forward=question.forward,
        records=question.trace,
        show_values=question.show_values,
        conclusion=(question.conclusion,) if question.conclusion else (),
        answer=question.expected,
    )
