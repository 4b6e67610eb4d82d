"""Records the engine emits while it computes: forward steps and chain-rule products.

A :class:`TraceRecord` is written by the backward pass at the moment it computes a
gradient contribution; the derivation view, ``solve`` and the quiz's worked
solutions all show these records, never a second calculation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Combine = Literal["product", "matmul_rt", "lt_matmul", "sum", "softmax"]
"""How a record's factors combine into its value.

- ``product``: elementwise product of all factors, summed over axes that were
  broadcast (``dL/dz2 = dL/da2 × da2/dz2``).
- ``matmul_rt``: first factor times the transpose of the second (``dL/dz · aᵀ``).
- ``lt_matmul``: transpose of the second factor times the first (``Wᵀ · dL/dz``).
- ``sum``: the sum of the factors (a node used in several places).
- ``softmax``: the vector-Jacobian product of log-softmax.
"""


@dataclass(frozen=True)
class Factor:
    """One named factor of a product, e.g. ``("da2/dz2", 0.2351)``."""

    name: str
    value: np.ndarray


@dataclass(frozen=True)
class TraceRecord:
    """One chain-rule product, as the backward pass computed it."""

    target: str  # "dL/dz2"
    node: str  # "z2": whose gradient (or part of it) this is
    via: str  # "a2": the node the gradient came back through
    factors: tuple[Factor, ...]
    value: np.ndarray
    rule: str  # in words: "through sigmoid: σ'(z2) = a2(1 − a2)"
    combine: Combine = "product"
    partial: bool = False  # one of several contributions, summed in a later record

    @property
    def is_scalar(self) -> bool:
        """True when every factor and the value hold a single number."""
        return self.value.size == 1 and all(f.value.size == 1 for f in self.factors)

    @property
    def expression(self) -> str:
        """The product in symbols: ``dL/da2 × da2/dz2`` or ``dL/dz2 · a1ᵀ``."""
        names = [f.name for f in self.factors]
        if len(names) > 1 and self.combine != "sum":
            names = [f"({n})" if " " in n else n for n in names]
        if self.combine in ("matmul_rt", "lt_matmul") and self.is_scalar:
            return " × ".join(names)
        if self.combine == "matmul_rt":
            return f"{names[0]} · {names[1]}ᵀ"
        if self.combine == "lt_matmul":
            return f"{names[1]}ᵀ · {names[0]}"
        if self.combine == "sum":
            return " + ".join(names)
        if self.combine == "softmax":
            return f"{names[0]} − {names[1]} · Σ {names[0]}"
        return (" × " if self.is_scalar else " ⊙ ").join(names)


@dataclass(frozen=True)
class ForwardStep:
    """One value computed by the forward pass, with what it was computed from."""

    label: str  # "z1"
    formula: str  # "W1·x + b1"
    inputs: tuple[Factor, ...]  # the operands, by name
    value: np.ndarray
    rule: str  # in words
    on_the_way: tuple[Factor, ...] = ()  # values met on the way: a softmax loss's p
