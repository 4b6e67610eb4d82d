"""The types every place that reads or judges an answer shares, defined once.

Provides :data:`Value` (a number, an array or a shape), :data:`AnswerKind`,
:data:`DEFAULT_TOLERANCE` and
:class:`Expected`, the engine's answer to a question with the precision it asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Value = float | np.ndarray | tuple[int, ...]
"""A number, an array of numbers, or a shape (a tuple of whole numbers)."""

AnswerKind = Literal["number", "array", "shape"]
"""What a question asks for, and what a parsed answer holds."""

DEFAULT_TOLERANCE = 0.01
"""The relative error a correct answer may have unless a question sets another."""


DERIVATIVES = {"sigmoid": "dsigmoid", "tanh": "dtanh", "relu": "drelu"}
"""An activation's derivative as the answer parser names it (``tanh'(x)`` is ``dtanh(x)``)."""


def kind_of(value: Value) -> AnswerKind:
    """The kind of answer ``value`` asks for: a tuple is a shape, one number a number."""
    if isinstance(value, tuple):
        return "shape"
    return "number" if np.size(value) == 1 else "array"


@dataclass(frozen=True, eq=False)
class Expected:
    """The engine's value for a question, and the relative tolerance it is judged with."""

    value: Value
    tolerance: float = DEFAULT_TOLERANCE
    asked: frozenset[str] = frozenset()
    """The functions whose value the question asks for (``dtanh`` for "what is tanh′(−2.83)"):
    an answer that applies one restates the question and is not counted."""

    @property
    def kind(self) -> AnswerKind:
        """A number, an array or a shape."""
        return kind_of(self.value)
