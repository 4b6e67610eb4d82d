"""The one answer parser of the app: turns what a learner typed into an `Answer`.

Learners may type a number in any sensible form, show their working as
arithmetic, or give a vector, a matrix or (when asked) a shape. The text is
parsed by `tutor.answers.expression` into a small expression tree and evaluated in
float64; nothing is ever executed. Anything unreadable raises
`AnswerError`, whose message starts with "couldn't read that: ".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from tutor.answers.expression import (
    BRACKETS,
    ExpressionError,
    Node,
    entry_sig_digits,
    evaluate,
    literal_sig_digits,
    parse_expression,
)
from tutor.answers.types import AnswerKind, Value

ACCEPTED_FORMS = """\
Accepted answers:
  a number        0.25   .5   −3
  scientific      -1.5e-3   1E3
  a fraction      -1/4
  your working    -0.4*0.25   0.7×(1-0.7)   2^3
  functions       exp(1)  ln(2)  sqrt(2)  sigmoid(0.5)  σ(0.5)  tanh(1)  relu(-1)  abs(-2)
  constants       e   pi   π
  a vector        [0.1, -0.2]
  a matrix        [[1, 2], [3, 4]]
  a shape         (4, 2)   4x2   4 by 2"""

MAX_LENGTH = 200
MAX_DIMENSIONS = 32
KINDS = (None, "number", "array", "shape")


class AnswerError(ValueError):
    """An answer that could not be read; `accepted_forms` says what can be typed."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"couldn't read that: {reason}")
        self.reason = reason
        self.accepted_forms = ACCEPTED_FORMS


@dataclass(frozen=True, eq=False)
class Answer:
    """A parsed answer.

    `sig_digits` is the number of significant digits typed for a plain literal
    number ("-0.0412" -> 3), None for an expression. `entry_sig_digits` holds the
    same for each entry of an array answer, in row-major order.
    """

    kind: AnswerKind
    value: Value
    sig_digits: int | None
    text: str
    entry_sig_digits: tuple[int | None, ...] = ()


def parse_answer(text: str, kind: str | None = None) -> Answer:
    """Read `text` as an answer of `kind` ("number", "array", "shape", or None for any value)."""
    if kind not in KINDS:
        raise ValueError(f"unknown answer kind: {kind}")
    body = _checked(text)
    if kind == "shape":
        return Answer("shape", _parse_shape(body), None, text)
    try:
        node = parse_expression(body)
        value = evaluate(node)
    except ExpressionError as exc:
        raise AnswerError(exc.reason) from None
    return _make_answer(node, value, kind, text)


# ---------------------------------------------------------------- input checks

_REPLACEMENTS = str.maketrans(
    {"\u2212": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "π": " pi ", "σ": " sigmoid "}
)


def _checked(text: str) -> str:
    """Strip the text, refuse empty or overlong input, and map unicode operators to ASCII."""
    body = text.strip()
    if not body:
        raise AnswerError("empty answer")
    if len(body) > MAX_LENGTH:
        raise AnswerError(f"answer too long ({len(body)} characters, at most {MAX_LENGTH})")
    return body.translate(_REPLACEMENTS)


# ---------------------------------------------------------------------- shapes

_SHAPE_SEPARATOR = re.compile(r"\s*(?:,|x|by)\s*", re.IGNORECASE)


def _parse_shape(body: str) -> tuple[int, ...]:
    """Read a shape such as "(4, 2)", "4x2", "4 by 2" or "(3,)"."""
    body = body.replace("*", "x")
    if body[0] in BRACKETS:
        if body[-1] != BRACKETS[body[0]]:
            raise AnswerError("unbalanced brackets")
        body = body[1:-1].strip()
    if any(char in body for char in "()[]"):
        raise AnswerError("unbalanced brackets")
    if body.endswith(","):
        body = body[:-1]
    parts = _SHAPE_SEPARATOR.split(body)
    if not all(re.fullmatch(r"[0-9]{1,9}", part) for part in parts):
        raise AnswerError("a shape is whole numbers, like (4, 2) or 4x2")
    if len(parts) > MAX_DIMENSIONS:
        raise AnswerError(f"too many dimensions (at most {MAX_DIMENSIONS})")
    return tuple(int(part) for part in parts)


def _make_answer(node: Node, value: np.float64 | np.ndarray, kind: str | None, text: str) -> Answer:
    """Wrap the value as a number or array answer, as the question's kind allows."""
    if not isinstance(value, np.ndarray):
        return Answer("number", float(value), literal_sig_digits(node), text)
    entry_digits = entry_sig_digits(node)
    if value.size == 1 and kind == "number":
        return Answer("number", float(value.item()), entry_digits[0], text)
    if kind == "number":
        raise AnswerError(f"this question wants one number, not {value.size}")
    value.flags.writeable = False
    return Answer("array", value, None, text, entry_digits)
