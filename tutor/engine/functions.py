"""The maths of activations and losses, written once.

Both the traced autodiff (``ops``) and the fast path (``dense``) take
their formulas from here, so the two cannot disagree.  Columns are examples: an
array of shape ``(n, m)`` holds ``m`` examples of ``n`` features.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def sigmoid(z: Array) -> Array:
    """The logistic function 1 / (1 + e^−z).

    For z below about −709, e^−z overflows to inf and the result is the correct
    limit 0; callers that mind the overflow warning wrap it in ``np.errstate``.
    """
    return 1.0 / (1.0 + np.exp(-z))


def log_softmax(z: Array, axis: int | None = 0) -> Array:
    """log(softmax(z)) along ``axis``, stable for large entries."""
    shifted: Array = z - np.max(z, axis=axis, keepdims=True)
    total: Array = np.sum(np.exp(shifted), axis=axis, keepdims=True)
    return shifted - np.log(total)


def softmax(z: Array, axis: int | None = 0) -> Array:
    """softmax(z) along ``axis``."""
    return np.exp(log_softmax(z, axis=axis))


@dataclass(frozen=True)
class Activation:
    """An elementwise activation: its function, its derivative and how to say it."""

    name: str
    forward: Callable[[Array], Array]
    derivative: Callable[[Array, Array], Array]  # (z, a) -> da/dz
    formula: str  # "σ(z)", "{a} = σ({z})" is built from it
    derivative_rule: str  # with {z} and {a} placeholders


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid",
        sigmoid,
        lambda z, a: a * (1.0 - a),
        "σ",
        "through sigmoid: σ'({z}) = {a}(1 − {a})",
    ),
    "tanh": Activation(
        "tanh",
        np.tanh,
        lambda z, a: 1.0 - a * a,
        "tanh",
        "through tanh: tanh'({z}) = 1 − {a}²",
    ),
    "relu": Activation(
        "relu",
        lambda z: np.maximum(z, 0.0),
        lambda z, a: (z > 0).astype(np.float64),
        "relu",
        "through ReLU: relu'({z}) = 1 where {z} > 0, else 0",
    ),
    "linear": Activation(
        "linear",
        lambda z: z.astype(np.float64, copy=True),
        lambda z, a: np.ones_like(z, dtype=np.float64),
        "",
        "through the identity: {a} = {z}, so d{a}/d{z} = 1",
    ),
}


@dataclass(frozen=True)
class Loss:
    """A loss: the mean over examples of a per-example loss summed over outputs.

    ``local`` returns the factors of dL/dy other than 1/m, each as (name, array),
    so that dL/dy = product(factors) / m.  ``cross_entropy`` applies softmax itself,
    so it takes the last layer's z (that layer must be linear).
    """

    name: str
    per_example: Callable[[Array, Array], Array]  # (y, t) -> shape (m,)
    local: Callable[[Array, Array, str], list[tuple[str, Array]]]
    formula: str
    rule: str

    def value(self, y: Array, t: Array) -> float:
        """The loss: mean over the m columns."""
        return float(np.mean(self.per_example(y, t)))

    def grad(self, y: Array, t: Array) -> Array:
        """dL/dy, including the 1/m of the mean."""
        factors = self.local(y, t, "y")
        result = factors[0][1]
        for _, factor in factors[1:]:
            result = result * factor
        return result / float(y.shape[1])


BCE_CLIP = 1e-15
"""Binary cross-entropy on an output that is not a sigmoid's reads y within
[1e-15, 1 − 1e-15], so an output of exactly 0 or 1 gives a large finite loss instead
of inf.  On a sigmoid output it is computed from the logits instead (:func:`bce_from_logits`)."""


def bce_from_logits(z: Array, t: Array) -> Array:
    """Binary cross-entropy of y = σ(z) per example, computed stably from the logits z.

    −[t·log σ(z) + (1 − t)·log(1 − σ(z))] = max(z, 0) − t·z + log(1 + e^−|z|), summed over
    the outputs: a confidently wrong z = 40 with t = 0 costs 40, not a clipped 34.5.
    """
    per_example: Array = np.sum(np.maximum(z, 0.0) - t * z + np.log1p(np.exp(-np.abs(z))), axis=0)
    return per_example


def sigmoid_minus_target(z: Array, t: Array) -> Array:
    """σ(z) − t as (1 − t)·σ(z) − t·σ(−z): no cancellation when σ(z) rounds to 1 or 0."""
    with np.errstate(over="ignore"):
        return (1.0 - t) * sigmoid(z) - t * sigmoid(-z)


def sigmoid_slope(z: Array) -> Array:
    """σ(z)(1 − σ(z)) = σ(z)·σ(−z), computed without cancellation and never exactly 0."""
    with np.errstate(over="ignore"):
        return np.maximum(sigmoid(z) * sigmoid(-z), np.finfo(np.float64).tiny)


def fused(loss: str, activation: str) -> bool:
    """Whether the loss is computed from the last layer's logits: BCE on a sigmoid output."""
    return loss == "binary_cross_entropy" and activation == "sigmoid"


def _clipped(y: Array) -> Array:
    return np.clip(y, BCE_CLIP, 1.0 - BCE_CLIP)


def _bce_per_example(y: Array, t: Array) -> Array:
    p = _clipped(y)
    per_example: Array = np.sum(t * np.log(p) + (1.0 - t) * np.log1p(-p), axis=0)
    return -per_example


def _bce_local(y: Array, t: Array, name: str) -> list[tuple[str, Array]]:
    p = _clipped(y)
    return [(f"{name} − t", y - t), (f"1/({name}(1 − {name}))", 1.0 / (p * (1.0 - p)))]


SUM_TOLERANCE = 1e-8 + 1e-5 * 1.0
"""How far a column's sum may be from 1: ``np.allclose``'s tolerances (atol + rtol·|1|)."""


def is_distribution(sums: Array) -> bool:
    """Whether every sum is 1 within :data:`SUM_TOLERANCE` (``np.allclose(sums, 1.0)``, decided
    alike for every value, NaN and infinities included, without its cost on every step)."""
    return bool((np.abs(sums - 1.0) <= SUM_TOLERANCE).all())


def _ce_local(z: Array, t: Array, name: str) -> list[tuple[str, Array]]:
    """dL/dz of softmax with cross-entropy: p − t, or p·Σt − t where t is no distribution."""
    sums = np.sum(t, axis=0, keepdims=True)
    if is_distribution(sums):  # every column a distribution (spec files ensure it)
        return [(f"softmax({name}) − t", softmax(z) - t)]
    return [(f"softmax({name})·Σt − t", softmax(z) * sums - t)]


LOSSES: dict[str, Loss] = {
    "half_squared_error": Loss(
        "half_squared_error",
        lambda y, t: 0.5 * np.sum((y - t) ** 2, axis=0),
        lambda y, t, name: [(f"{name} − t", y - t)],
        "½·Σ({y} − t)²",
        "derivative of ½({y} − t)²: dL/d{y} = {y} − t",
    ),
    "squared_error": Loss(
        "squared_error",
        lambda y, t: np.sum((y - t) ** 2, axis=0),
        lambda y, t, name: [("2", np.full_like(y, 2.0)), (f"{name} − t", y - t)],
        "Σ({y} − t)²",
        "derivative of ({y} − t)²: dL/d{y} = 2({y} − t)",
    ),
    "binary_cross_entropy": Loss(
        "binary_cross_entropy",
        _bce_per_example,
        _bce_local,
        "−Σ[t·log {y} + (1 − t)·log(1 − {y})]",
        "derivative of binary cross-entropy: dL/d{y} = ({y} − t) / ({y}(1 − {y}))",
    ),
    "cross_entropy": Loss(
        "cross_entropy",
        lambda z, t: -np.sum(t * log_softmax(z), axis=0),
        lambda z, t, name: _ce_local(z, t, name),
        "−Σ t·log softmax({y})",
        "softmax with cross-entropy: dL/d{y} = softmax({y}) − t, prediction minus target",
    ),
}


OUTPUT_NEEDED = {"cross_entropy": "linear", "binary_cross_entropy": "sigmoid"}
"""The output activation a loss needs (losses not listed take any)."""


def loss_fit_problem(loss: str, activation: str) -> str | None:
    """Why ``loss`` cannot follow an output layer with ``activation``; None when it can."""
    needed = OUTPUT_NEEDED.get(loss)
    if needed is None or needed == activation:
        return None
    if loss == "cross_entropy":
        return (
            "cross_entropy applies softmax to the last layer's z itself, "
            'so the last layer\'s activation must be "linear"'
        )
    return "binary_cross_entropy needs outputs between 0 and 1: use a sigmoid last layer"


DISTRIBUTION_TOLERANCE = 1e-6
"""How far a cross-entropy target column's sum may be from 1."""


def target_problem(loss: str, t: Array) -> str | None:
    """Why ``t`` cannot be a target of ``loss`` (None when it can).

    Cross-entropy compares two distributions, so each target column must be one:
    entries from 0 to 1 that add up to 1 (a one-hot column, or a soft target).
    """
    if loss != "cross_entropy":
        return None
    why = (
        "with cross_entropy each target column is a distribution over the classes, "
        "such as the one-hot column [[0], [1], [0]]"
    )
    for column, entries in enumerate(t.T, start=1):
        outside = entries[(entries < 0) | (entries > 1)]
        if outside.size:
            return (
                f"target column {column} has the entry {float(outside[0]):g}, outside 0 to 1: {why}"
            )
        total = float(np.sum(entries))
        if abs(total - 1) > DISTRIBUTION_TOLERANCE:
            return f"target column {column} adds up to {total:g}, not 1: {why}"
    return None
