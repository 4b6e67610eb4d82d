"""The one answer parser of the app: turns what a learner typed into an `Answer`.

Learners may type a number in any sensible form, show their working as
arithmetic, or give a vector, a matrix or (when asked) a shape. The text is
parsed by `tutor.answers.expression` into a small expression tree and evaluated in
float64; nothing is ever executed. Anything unreadable raises
`AnswerError`, whose message starts with "couldn't read that: ".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from tutor.answers.arithmetic import ExpressionError
from tutor.answers.expression import (
    BRACKETS,
    Node,
    entry_sig_digits,
    evaluate,
    functions_called,
    literal_sig_digits,
    parse_expression,
)
from tutor.answers.types import AnswerKind, Value

ACCEPTED_FORMS = """\
Accepted answers:
  a number        0.25   .5   −3
  scientific      -1.5e-3   1E3
  a fraction      -1/4   ½   ¾
  your working    -0.4*0.25   0.7×(1-0.7)   2^3   0.5²
  functions       exp(1)  ln(2)  sqrt(2)  sigmoid(0.5)  σ(0.5)  tanh(1)  relu(-1)  abs(-2)
  derivatives     σ'(0.5)   sigmoid'(0.5)   tanh'(1)   relu'(2)
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
    calls: frozenset[str] = frozenset()
    """The functions the typed expression applies (``dtanh`` for ``tanh'(-2.83)``)."""


def parse_answer(text: str, kind: str | None = None) -> Answer:
    """Read `text` as an answer of `kind` ("number", "array", "shape", or None for any value)."""
    if kind not in KINDS:
        raise ValueError(f"unknown answer kind: {kind}")
    body = _checked(text)
    _refuse_decimal_comma(body, kind)
    if kind == "shape":
        return Answer("shape", _parse_shape(body), None, text)
    try:
        node = parse_expression(body)
        value = evaluate(node)
    except ExpressionError as exc:
        raise AnswerError(exc.reason) from None
    return replace(_make_answer(node, value, kind, text), calls=functions_called(node))


# ---------------------------------------------------------------- input checks

_DASHES = "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"  # hyphens, figure and en dash, minus
_REPLACEMENTS = str.maketrans(
    {
        **dict.fromkeys(_DASHES, "-"),
        "×": "*",
        "·": "*",
        "⋅": "*",
        "÷": "/",
        "π": " pi ",
        "σ": " sigmoid ",
        "′": "'",
    }
)
_FRACTIONS = {
    "½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅖": "2/5",
    "⅗": "3/5", "⅘": "4/5", "⅙": "1/6", "⅚": "5/6", "⅐": "1/7", "⅛": "1/8", "⅜": "3/8",
    "⅝": "5/8", "⅞": "7/8", "⅑": "1/9", "⅒": "1/10",
}  # fmt: skip
_FRACTION = re.compile(r"([0-9]*)\s*([" + "".join(_FRACTIONS) + "])")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_POWER = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")
_DERIVATIVE = re.compile(r"\b(sigmoid|tanh|relu)\s*'", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"[-+]?([0-9]+),([0-9]+)")


def _checked(text: str) -> str:
    """Strip the text, refuse empty or overlong input, and map unicode to ASCII arithmetic.

    Dashes are minus signs, ``½`` is ``(1/2)`` (``1½`` is ``(1+1/2)``), superscript
    digits are powers (``x²`` is ``x^(2)``) and ``σ'(x)`` is the derivative ``dsigmoid(x)``.
    """
    body = text.strip()
    if not body:
        raise AnswerError("empty answer")
    if len(body) > MAX_LENGTH:
        raise AnswerError(f"answer too long ({len(body)} characters, at most {MAX_LENGTH})")
    body = body.translate(_REPLACEMENTS)
    body = _FRACTION.sub(_fraction, body)
    body = _POWER.sub(lambda m: f"^({m.group().translate(_SUPERSCRIPTS)})", body)
    return _DERIVATIVE.sub(lambda m: f"d{m.group(1).lower()}", body)


def _fraction(match: re.Match[str]) -> str:
    whole, fraction = match.group(1), _FRACTIONS[match.group(2)]
    return f"({whole}+{fraction})" if whole else f"({fraction})"


def _refuse_decimal_comma(body: str, kind: str | None) -> None:
    """A number written with a decimal comma ("0,15") gets a message saying so.

    A shape such as "4,2" stays a shape; one with a 0 or a leading zero ("0,15") does not.
    """
    match = _DECIMAL_COMMA.fullmatch(body)
    if match is None:
        return
    whole, fraction = match.groups()
    if kind == "shape" and not (whole.startswith("0") or fraction.startswith("0")):
        return
    raise AnswerError(f"use a decimal point: {body.replace(',', '.')}")


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
