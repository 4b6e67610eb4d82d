"""The :class:`Question` a family generates, and its worked solution as text.

A question carries the value the engine computed (``expected``), the values
known mistakes would give (``mistakes``), hints in levels, and the engine's
forward steps and chain-rule records that make up its worked solution.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from tutor.answers.mistakes import Mistake
from tutor.answers.types import DEFAULT_TOLERANCE, AnswerKind, Value
from tutor.engine import ForwardStep, TraceRecord
from tutor.text.derivation import forward_line, record_line, record_value
from tutor.text.numbers import format_array, format_value

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


def question_id(family: str, text: str) -> str:
    """A stable id: the family and a short digest of the question text."""
    return f"{family}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"


def answer_text(question: Question, sig: int = FULL_PRECISION, *, ascii: bool = False) -> str:
    """The expected answer as text (full precision by default), readable by the answer parser."""
    return format_value(question.expected, sig, ascii=ascii)


def worked_solution(question: Question, *, ascii: bool = False) -> list[str]:
    """The engine's forward steps and chain-rule records, as the derivation view shows them."""
    lines = []
    for step in question.forward:
        lines.append(forward_line(step, ascii=ascii))
        if step.value.size > 1 and question.show_values:
            lines.append(f"    {format_array(step.value, ascii=ascii)}")
    for record in question.trace:
        lines.append(record_line(record, ascii=ascii))
        if not record.is_scalar and question.show_values:
            lines += [f"    {row}" for row in record_value(record, ascii=ascii).splitlines()]
        lines.append(f"    ({record.rule})")
    if question.conclusion:
        lines.append(question.conclusion)
    lines.append(f"Answer: {answer_text(question, 6, ascii=ascii)}")
    return lines
