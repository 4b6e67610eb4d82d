"""The one answer parser of the app: turns what a learner typed into an `Answer`.

Learners may type a number in any sensible form, show their working as
arithmetic, or give a vector, a matrix or (when asked) a shape. The text is split
into tokens, parsed by recursive descent into a small expression tree and
evaluated in float64; nothing is ever executed. Anything unreadable raises
`AnswerError`, whose message starts with "couldn't read that: ".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

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
MAX_DEPTH = 30
MAX_ENTRIES = 1000
MAX_DIMENSIONS = 32
KINDS = (None, "number", "array", "shape")

AnswerKind = Literal["number", "array", "shape"]
Value = float | np.ndarray | tuple[int, ...]


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
    node = _Parser(_tokenize(body)).parse()
    with np.errstate(all="ignore"):
        value = _evaluate(node)
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


def _describe(char: str) -> str:
    """A character as it can be shown in a message."""
    if char == "'":
        return '"\'"'
    if char.isprintable() and not char.isspace():
        return f"'{char}'"
    return f"U+{ord(char):04X}"


# ---------------------------------------------------------------------- shapes

_SHAPE_SEPARATOR = re.compile(r"\s*(?:,|x|by)\s*", re.IGNORECASE)
_BRACKETS = {"(": ")", "[": "]"}


def _parse_shape(body: str) -> tuple[int, ...]:
    """Read a shape such as "(4, 2)", "4x2", "4 by 2" or "(3,)"."""
    body = body.replace("*", "x")
    if body[0] in _BRACKETS:
        if body[-1] != _BRACKETS[body[0]]:
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


# ------------------------------------------------------------------- tokenizer


@dataclass(frozen=True)
class _Token:
    """One token: kind is "number", "name" or "op"."""

    kind: str
    text: str


_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_MALFORMED_NUMBER = re.compile(r"[0-9.eE]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATOR = re.compile(r"\*\*|[-+*/^()\[\],]")


def _tokenize(body: str) -> list[_Token]:
    """Split the text into numbers, known names and operators."""
    tokens: list[_Token] = []
    pos = 0
    while pos < len(body):
        if body[pos].isspace():
            pos += 1
            continue
        token, pos = _next_token(body, pos)
        tokens.append(token)
    return tokens


def _next_token(body: str, pos: int) -> tuple[_Token, int]:
    """The token starting at `pos` and the position after it."""
    if match := _NUMBER.match(body, pos):
        if body[match.end() : match.end() + 1] == ".":
            malformed = _MALFORMED_NUMBER.match(body, pos).group()
            raise AnswerError(f"'{malformed}' is not a number")
        return _Token("number", match.group()), match.end()
    if match := _NAME.match(body, pos):
        name = match.group().lower()
        if name not in _CONSTANTS and name not in _FUNCTIONS:
            raise AnswerError(f"unknown name '{match.group()[:20]}'")
        return _Token("name", name), match.end()
    if match := _OPERATOR.match(body, pos):
        return _Token("op", "^" if match.group() == "**" else match.group()), match.end()
    raise AnswerError(f"unexpected character {_describe(body[pos])}")


# ------------------------------------------------------------ expression tree


@dataclass(frozen=True)
class _Number:
    """A number; `sig_digits` is set when it was typed as a literal."""

    value: float
    sig_digits: int | None


@dataclass(frozen=True)
class _Unary:
    """A sign applied to an operand."""

    op: str
    operand: _Node


@dataclass(frozen=True)
class _Binary:
    """An arithmetic operation: + - * / ^."""

    op: str
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _Call:
    """A function applied to one argument."""

    name: str
    argument: _Node


@dataclass(frozen=True)
class _ArrayLiteral:
    """A bracketed list of entries or rows."""

    items: tuple[_Node, ...]


_Node = _Number | _Unary | _Binary | _Call | _ArrayLiteral


def _significant_digits(literal: str) -> int:
    """Significant digits typed in a number literal: "0.30" -> 2, "100" -> 1, "8.89e-2" -> 3."""
    mantissa = re.split("[eE]", literal)[0]
    digits = mantissa.replace(".", "").lstrip("0")
    if "." not in mantissa:
        digits = digits.rstrip("0")
    return max(len(digits), 1)


# ---------------------------------------------------------------------- parser


class _Parser:
    """Recursive descent over the tokens; precedence: sign < * / < ^ (right-associative)."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def parse(self) -> _Node:
        """Parse the whole answer."""
        node = self.expression()
        if self.peek() is not None:
            raise self.leftover()
        return node

    def expression(self) -> _Node:
        """Sums and differences."""
        node = self.term()
        while self.peek_op("+", "-"):
            op = self.advance().text
            node = _Binary(op, node, self.term())
        return node

    def term(self) -> _Node:
        """Products and quotients."""
        node = self.unary()
        while self.peek_op("*", "/"):
            op = self.advance().text
            node = _Binary(op, node, self.unary())
        return node

    def unary(self) -> _Node:
        """A signed operand; also where nesting depth is counted."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise AnswerError(f"nested too deeply (at most {MAX_DEPTH} levels)")
        if self.peek_op("+", "-"):
            op = self.advance().text
            node: _Node = _Unary(op, self.unary())
        else:
            node = self.power()
        self.depth -= 1
        return node

    def power(self) -> _Node:
        """A power; the exponent may carry a sign: 2^-1."""
        base = self.primary()
        if self.peek_op("^"):
            self.advance()
            return _Binary("^", base, self.unary())
        return base

    def primary(self) -> _Node:
        """A number, constant, function call, bracketed expression or array."""
        token = self.advance()
        if token.kind == "number":
            return _Number(float(token.text), _significant_digits(token.text))
        if token.kind == "name":
            return self.named(token.text)
        if token.text == "(":
            node = self.expression()
            self.close("(")
            return node
        if token.text == "[":
            return self.array()
        if token.text in ")]":
            raise AnswerError(f"something is missing before '{token.text}'")
        raise AnswerError(f"unexpected '{token.text}'")

    def named(self, name: str) -> _Node:
        """A constant, or a function with its bracketed argument."""
        if name in _CONSTANTS:
            return _Number(_CONSTANTS[name], None)
        if not self.peek_op("("):
            raise AnswerError(f"{name} needs brackets around its input, like {name}(1)")
        self.advance()
        argument = self.expression()
        if self.peek_op(","):
            raise AnswerError(f"{name} takes one number, like {name}(1)")
        self.close("(")
        return _Call(name, argument)

    def array(self) -> _Node:
        """Comma-separated entries up to the closing bracket."""
        if self.peek_op("]"):
            raise AnswerError("empty brackets: a vector needs at least one entry")
        items = [self.expression()]
        while self.peek_op(","):
            self.advance()
            items.append(self.expression())
        self.close("[")
        return _ArrayLiteral(tuple(items))

    def close(self, opening: str) -> None:
        """Consume the bracket that closes `opening`."""
        closing = _BRACKETS[opening]
        token = self.peek()
        if token is None:
            raise AnswerError(f"unbalanced brackets: missing '{closing}'")
        if token.text == closing:
            self.advance()
            return
        if token.text in ")]":
            raise AnswerError(f"unbalanced brackets: '{token.text}' closes a '{opening}'")
        raise self.leftover()

    def leftover(self) -> AnswerError:
        """The error for a token that cannot follow a complete value."""
        text = self.tokens[self.pos].text
        if text in ")]":
            return AnswerError(f"unbalanced brackets: unexpected '{text}'")
        if text == ",":
            return AnswerError("a comma outside square brackets: write a vector as [0.1, -0.2]")
        return AnswerError(f"missing an operator (such as * or +) before '{text}'")

    def peek(self) -> _Token | None:
        """The next token, or None at the end."""
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def peek_op(self, *ops: str) -> bool:
        """Whether the next token is one of the operators `ops`."""
        token = self.peek()
        return token is not None and token.kind == "op" and token.text in ops

    def advance(self) -> _Token:
        """Consume the next token; running out means something is missing."""
        if self.pos >= len(self.tokens):
            last = self.tokens[-1].text
            raise AnswerError(f"something is missing after '{last}'")
        self.pos += 1
        return self.tokens[self.pos - 1]


# ------------------------------------------------------------------ evaluation


def _log(x: np.float64) -> np.float64:
    """Natural logarithm of a positive number."""
    if x <= 0:
        raise AnswerError("log needs a positive number")
    return np.log(x)


def _sqrt(x: np.float64) -> np.float64:
    """Square root of a number that is not negative."""
    if x < 0:
        raise AnswerError("sqrt needs a number that is not negative")
    return np.sqrt(x)


def _sigmoid(x: np.float64) -> np.float64:
    """The logistic function, computed without overflow."""
    if x >= 0:
        return 1.0 / (1.0 + np.exp(-x))
    return np.exp(x) / (1.0 + np.exp(x))


_CONSTANTS = {"e": math.e, "pi": math.pi}
_FUNCTIONS: dict[str, Callable[[np.float64], np.float64]] = {
    "exp": np.exp,
    "log": _log,
    "ln": _log,
    "sqrt": _sqrt,
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "relu": lambda x: np.maximum(x, 0.0),
    "abs": np.abs,
}


def _evaluate(node: _Node) -> np.float64 | np.ndarray:
    """The float64 value of a tree: a scalar, or an array for an array literal."""
    if isinstance(node, _ArrayLiteral):
        return _evaluate_array(node)
    if isinstance(node, _Number):
        value = np.float64(node.value)
    elif isinstance(node, _Unary):
        operand = _scalar(_evaluate(node.operand))
        value = -operand if node.op == "-" else operand
    elif isinstance(node, _Call):
        value = np.float64(_FUNCTIONS[node.name](_scalar(_evaluate(node.argument))))
    else:
        value = _arithmetic(node.op, _scalar(_evaluate(node.left)), _scalar(_evaluate(node.right)))
    return _finite(value)


def _arithmetic(op: str, left: np.float64, right: np.float64) -> np.float64:
    """Apply a binary operator, refusing division by zero and non-real powers."""
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        if right == 0:
            raise AnswerError("division by zero")
        return left / right
    if left == 0 and right < 0:
        raise AnswerError("division by zero (0 to a negative power)")
    if left < 0 and right != np.round(right):
        raise AnswerError("a negative number to a fractional power is not a real number")
    return left**right


def _finite(value: np.float64) -> np.float64:
    """Refuse a result that overflowed or is not a real number."""
    if np.isnan(value):
        raise AnswerError("the result is not a real number")
    if np.isinf(value):
        raise AnswerError("the result is too large")
    return value


def _scalar(value: np.float64 | np.ndarray) -> np.float64:
    """Arithmetic works on single numbers only."""
    if isinstance(value, np.ndarray):
        raise AnswerError("arithmetic works on single numbers: do the working inside each entry")
    return value


def _evaluate_array(node: _ArrayLiteral) -> np.ndarray:
    """Stack the entries (or equally long rows) of an array literal."""
    items = [_evaluate(item) for item in node.items]
    shapes = {np.shape(item) for item in items}
    if len(shapes) > 1:
        raise AnswerError("ragged rows: every row needs the same number of entries")
    array = np.array(items, dtype=np.float64)
    if array.size > MAX_ENTRIES:
        raise AnswerError(f"too many entries ({array.size}, at most {MAX_ENTRIES})")
    return array


# -------------------------------------------------------------------- results


def _literal_sig_digits(node: _Node) -> int | None:
    """Digits typed for a plain literal with at most one sign; None for anything else."""
    if isinstance(node, _Unary) and isinstance(node.operand, _Number):
        node = node.operand
    return node.sig_digits if isinstance(node, _Number) else None


def _entry_sig_digits(node: _Node) -> tuple[int | None, ...]:
    """Digits typed for each entry of an array literal, in row-major order."""
    if not isinstance(node, _ArrayLiteral):
        return (_literal_sig_digits(node),)
    return tuple(digits for item in node.items for digits in _entry_sig_digits(item))


def _make_answer(
    node: _Node, value: np.float64 | np.ndarray, kind: str | None, text: str
) -> Answer:
    """Wrap the value as a number or array answer, as the question's kind allows."""
    if not isinstance(value, np.ndarray):
        return Answer("number", float(value), _literal_sig_digits(node), text)
    entry_digits = _entry_sig_digits(node)
    if value.size == 1 and kind == "number":
        return Answer("number", float(value.item()), entry_digits[0], text)
    if kind == "number":
        raise AnswerError(f"this question wants one number, not {value.size}")
    value.flags.writeable = False
    return Answer("array", value, None, text, entry_digits)
