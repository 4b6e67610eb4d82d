"""The operations a learner's arithmetic may use, each refusing what has no real result.

Provides :class:`ExpressionError`, the names a typed expression may use
(:data:`CONSTANTS` and :data:`FUNCTIONS`, such as ``pi`` and ``sigmoid``), and
:func:`binary` and :func:`finite`, the float64 arithmetic of an expression tree
(see :mod:`tutor.answers.expression`).  A division by zero, a logarithm of a
negative number or an overflow raises :class:`ExpressionError` with a reason a
learner can act on.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


class ExpressionError(ValueError):
    """Unreadable text, or arithmetic with no real result; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _log(x: np.float64) -> np.float64:
    """Natural logarithm of a positive number."""
    if x <= 0:
        raise ExpressionError("log needs a positive number")
    return np.float64(np.log(x))


def _sqrt(x: np.float64) -> np.float64:
    """Square root of a number that is not negative."""
    if x < 0:
        raise ExpressionError("sqrt needs a number that is not negative")
    return np.float64(np.sqrt(x))


def _sigmoid(x: np.float64) -> np.float64:
    """The logistic function, computed without overflow."""
    if x >= 0:
        return np.float64(1.0 / (1.0 + np.exp(-x)))
    return np.float64(np.exp(x) / (1.0 + np.exp(x)))


def _dsigmoid(x: np.float64) -> np.float64:
    """σ'(x) = σ(x)(1 − σ(x))."""
    a = _sigmoid(x)
    return a * (1.0 - a)


CONSTANTS = {"e": math.e, "pi": math.pi}
FUNCTIONS: dict[str, Callable[[np.float64], np.float64]] = {
    "exp": np.exp,
    "log": _log,
    "ln": _log,
    "sqrt": _sqrt,
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "relu": lambda x: np.maximum(x, 0.0),
    "abs": np.abs,
    "dsigmoid": _dsigmoid,  # σ'(x): the answer parser reads "sigmoid'(x)" as this
    "dtanh": lambda x: 1.0 - np.tanh(x) ** 2,
    "drelu": lambda x: np.float64(x > 0),
}


def binary(op: str, left: np.float64, right: np.float64) -> np.float64:
    """Apply a binary operator, refusing division by zero and non-real powers."""
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        if right == 0:
            raise ExpressionError("division by zero")
        return left / right
    if left == 0 and right < 0:
        raise ExpressionError("division by zero (0 to a negative power)")
    if left < 0 and right != np.round(right):
        raise ExpressionError("a negative number to a fractional power is not a real number")
    return left**right


def finite(value: np.float64) -> np.float64:
    """Refuse a result that overflowed or is not a real number."""
    if np.isnan(value):
        raise ExpressionError("the result is not a real number")
    if np.isinf(value):
        raise ExpressionError("the result is too large")
    return value
