"""The one worked-solution writer: the engine's steps and records, then the answer.

Provides :func:`solution_lines` for a :class:`~tutor.answers.solution.Solution`,
used by the quiz, a lesson's question, the worksheet's answer key and the
feedback on any answer that reveals its solution.
"""

from __future__ import annotations

from tutor.answers.solution import Solution
from tutor.engine import TraceRecord
from tutor.present.lines import Line, Role
from tutor.text.derivation import (
    MAX_SHOWN_ENTRIES,
    forward_line,
    on_the_way_lines,
    record_line,
    record_value,
)
from tutor.text.numbers import format_array, format_number, format_value

INDENT = "    "
ANSWER_DIGITS = 6
"""Significant figures of the answer a worked solution ends with."""


def factor_lines(record: TraceRecord, *, ascii: bool = False) -> list[str]:
    """The numbers a product of arrays multiplies: ``dL/dz2 = [[0.12]]``, one line a factor
    (none for a single factor: its numbers are the result's)."""
    if len(record.factors) < 2:
        return []
    lines = []
    for factor in record.factors:
        value = factor.value
        shown = format_number(float(value.item()), ascii=ascii) if value.size == 1 else None
        lines.append(f"{factor.name} = {shown or format_array(value, ascii=ascii)}")
    return lines


def solution_lines(solution: Solution, *, ascii: bool = False) -> list[Line]:
    """Each forward step and chain-rule product (with its rule), the closing lines, the answer."""
    lines: list[Line] = []
    for step in solution.forward:
        lines.append(Line.of(forward_line(step, ascii=ascii)))
        if step.value.size > MAX_SHOWN_ENTRIES and solution.show_values:  # shape only above
            lines.append(Line.of(INDENT + format_array(step.value, ascii=ascii)))
        lines += [Line.of(INDENT + line) for line in on_the_way_lines(step, ascii=ascii)]
    for record in solution.records:
        lines.append(Line.of(record_line(record, ascii=ascii)))
        if not record.is_scalar and solution.show_values:
            lines += [Line.of(INDENT + line) for line in factor_lines(record, ascii=ascii)]
            rows = record_value(record, ascii=ascii).splitlines()
            lines += [
                Line.of(INDENT + ("= " if n == 0 else "  ") + row) for n, row in enumerate(rows)
            ]
        lines.append(Line.of(f"{INDENT}({record.rule})", Role.RULE))
    lines += [Line.of(line) for line in solution.conclusion]
    if solution.answer is not None:
        answer = format_value(solution.answer, ANSWER_DIGITS, ascii=ascii)
        lines.append(Line.of(f"Answer: {answer}", Role.LEAD))
    return lines
