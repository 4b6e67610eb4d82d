"""Arithmetic a learner may type, read safely: tokenizer, parser and evaluator.

The text becomes a small tree of node objects (numbers, signs, operators,
function calls, array literals), which is evaluated in float64 with the
operations of :mod:`tutor.answers.arithmetic`.  Nothing typed
is ever executed as code; anything unreadable raises :class:`ExpressionError`
with a reason a learner can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from tutor.answers.arithmetic import CONSTANTS, FUNCTIONS, ExpressionError, binary, finite

MAX_DEPTH = 30
MAX_ENTRIES = 1000
BRACKETS = {"(": ")", "[": "]"}


def _describe(char: str) -> str:
    """A character as it can be shown in a message."""
    if char == "'":
        return '"\'"'
    if char.isprintable() and not char.isspace():
        return f"'{char}'"
    return f"U+{ord(char):04X}"


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


def parse_expression(text: str) -> Node:
    """The expression tree of ``text`` (already stripped and mapped to ASCII operators)."""
    return _Parser(_tokenize(text)).parse()


def evaluate(node: Node) -> np.float64 | np.ndarray:
    """The value of an expression tree: a float64, or an array for array literals."""
    with np.errstate(all="ignore"):
        return _evaluate(node)


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
            malformed = (_MALFORMED_NUMBER.match(body, pos) or match).group()
            raise ExpressionError(f"'{malformed}' is not a number")
        return _Token("number", match.group()), match.end()
    if match := _NAME.match(body, pos):
        name = match.group().lower()
        if name not in CONSTANTS and name not in FUNCTIONS:
            raise ExpressionError(f"unknown name '{match.group()[:20]}'")
        return _Token("name", name), match.end()
    if match := _OPERATOR.match(body, pos):
        return _Token("op", "^" if match.group() == "**" else match.group()), match.end()
    raise ExpressionError(f"unexpected character {_describe(body[pos])}")


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
    operand: Node


@dataclass(frozen=True)
class _Binary:
    """An arithmetic operation: + - * / ^."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class _Call:
    """A function applied to one argument."""

    name: str
    argument: Node


@dataclass(frozen=True)
class _ArrayLiteral:
    """A bracketed list of entries or rows."""

    items: tuple[Node, ...]


Node = _Number | _Unary | _Binary | _Call | _ArrayLiteral


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

    def parse(self) -> Node:
        """Parse the whole answer."""
        node = self.expression()
        if self.peek() is not None:
            raise self.leftover()
        return node

    def expression(self) -> Node:
        """Sums and differences."""
        node = self.term()
        while self.peek_op("+", "-"):
            op = self.advance().text
            node = _Binary(op, node, self.term())
        return node

    def term(self) -> Node:
        """Products and quotients."""
        node = self.unary()
        while self.peek_op("*", "/"):
            op = self.advance().text
            node = _Binary(op, node, self.unary())
        return node

    def unary(self) -> Node:
        """A signed operand; also where nesting depth is counted."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"nested too deeply (at most {MAX_DEPTH} levels)")
        if self.peek_op("+", "-"):
            op = self.advance().text
            node: Node = _Unary(op, self.unary())
        else:
            node = self.power()
        self.depth -= 1
        return node

    def power(self) -> Node:
        """A power; the exponent may carry a sign: 2^-1."""
        base = self.primary()
        if self.peek_op("^"):
            self.advance()
            return _Binary("^", base, self.unary())
        return base

    def primary(self) -> Node:
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
            raise ExpressionError(f"something is missing before '{token.text}'")
        raise ExpressionError(f"unexpected '{token.text}'")

    def named(self, name: str) -> Node:
        """A constant, or a function with its bracketed argument."""
        if name in CONSTANTS:
            return _Number(CONSTANTS[name], None)
        if not self.peek_op("("):
            raise ExpressionError(f"{name} needs brackets around its input, like {name}(1)")
        self.advance()
        argument = self.expression()
        if self.peek_op(","):
            raise ExpressionError(f"{name} takes one number, like {name}(1)")
        self.close("(")
        return _Call(name, argument)

    def array(self) -> Node:
        """Comma-separated entries up to the closing bracket."""
        if self.peek_op("]"):
            raise ExpressionError("empty brackets: a vector needs at least one entry")
        items = [self.expression()]
        while self.peek_op(","):
            self.advance()
            items.append(self.expression())
        self.close("[")
        return _ArrayLiteral(tuple(items))

    def close(self, opening: str) -> None:
        """Consume the bracket that closes `opening`."""
        closing = BRACKETS[opening]
        token = self.peek()
        if token is None:
            raise ExpressionError(f"unbalanced brackets: missing '{closing}'")
        if token.text == closing:
            self.advance()
            return
        if token.text in ")]":
            raise ExpressionError(f"unbalanced brackets: '{token.text}' closes a '{opening}'")
        raise self.leftover()

    def leftover(self) -> ExpressionError:
        """The error for a token that cannot follow a complete value."""
        text = self.tokens[self.pos].text
        if text in ")]":
            return ExpressionError(f"unbalanced brackets: unexpected '{text}'")
        if text == ",":
            return ExpressionError("a comma outside square brackets: write a vector as [0.1, -0.2]")
        return ExpressionError(f"missing an operator (such as * or +) before '{text}'")

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
            raise ExpressionError(f"something is missing after '{last}'")
        self.pos += 1
        return self.tokens[self.pos - 1]


# ------------------------------------------------------------------ evaluation


def _evaluate(node: Node) -> np.float64 | np.ndarray:
    """The float64 value of a tree: a scalar, or an array for an array literal."""
    if isinstance(node, _ArrayLiteral):
        return _evaluate_array(node)
    if isinstance(node, _Number):
        value = np.float64(node.value)
    elif isinstance(node, _Unary):
        operand = _scalar(_evaluate(node.operand))
        value = -operand if node.op == "-" else operand
    elif isinstance(node, _Call):
        value = np.float64(FUNCTIONS[node.name](_scalar(_evaluate(node.argument))))
    else:
        value = binary(node.op, _scalar(_evaluate(node.left)), _scalar(_evaluate(node.right)))
    return finite(value)


def _scalar(value: np.float64 | np.ndarray) -> np.float64:
    """Arithmetic works on single numbers only."""
    if isinstance(value, np.ndarray):
        raise ExpressionError(
            "arithmetic works on single numbers: do the working inside each entry"
        )
    return value


def _evaluate_array(node: _ArrayLiteral) -> np.ndarray:
    """Stack the entries (or equally long rows) of an array literal."""
    items = [_evaluate(item) for item in node.items]
    shapes = {np.shape(item) for item in items}
    if len(shapes) > 1:
        raise ExpressionError("ragged rows: every row needs the same number of entries")
    array = np.array(items, dtype=np.float64)
    if array.size > MAX_ENTRIES:
        raise ExpressionError(f"too many entries ({array.size}, at most {MAX_ENTRIES})")
    return array


# -------------------------------------------------------------------- results


def functions_called(node: Node) -> frozenset[str]:
    """The names of the functions the expression applies (``dtanh`` for ``tanh'(…)``)."""
    if isinstance(node, _Call):
        return frozenset({node.name}) | functions_called(node.argument)
    if isinstance(node, _Unary):
        return functions_called(node.operand)
    if isinstance(node, _Binary):
        return functions_called(node.left) | functions_called(node.right)
    if isinstance(node, _ArrayLiteral):
        return frozenset().union(*(functions_called(item) for item in node.items))
    return frozenset()


def literal_sig_digits(node: Node) -> int | None:
    """Digits typed for a plain literal with at most one sign; None for anything else."""
    if isinstance(node, _Unary) and isinstance(node.operand, _Number):
        node = node.operand
    return node.sig_digits if isinstance(node, _Number) else None


def entry_sig_digits(node: Node) -> tuple[int | None, ...]:
    """Digits typed for each entry of an array literal, in row-major order."""
    if not isinstance(node, _ArrayLiteral):
        return (literal_sig_digits(node),)
    return tuple(digits for item in node.items for digits in entry_sig_digits(item))
