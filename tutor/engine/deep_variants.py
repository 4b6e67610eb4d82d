"""A softmax classifier of any depth, backpropagated with one step done wrong on purpose.

The right gradients of a network come from :func:`tutor.engine.derive` (a test
shows this module's ``mistake=None`` agrees with it).  Each named mistake here is
one a learner's loop over layers is known to make; a checker compares the
learner's numbers with these to name the bug.  Columns are examples; the hidden
layers share one activation and the output layer is linear, followed by softmax
and the cross-entropy averaged over the m examples.

Provides :data:`MISTAKES`, :func:`softmax_probabilities` (also unstabilised) and
:func:`gradients_with_mistake`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

from tutor.engine.functions import ACTIVATIONS, softmax

Array = NDArray[np.float64]
Params = dict[str, Array]
Mistake = Literal[
    "no_mean",
    "slope_is_value",
    "own_output",
    "not_transposed",
    "bias_not_summed",
    "first_layer_skipped",
    "dict_per_layer",
]
MISTAKES: tuple[Mistake, ...] = (
    "no_mean",
    "slope_is_value",
    "own_output",
    "not_transposed",
    "bias_not_summed",
    "first_layer_skipped",
    "dict_per_layer",
)
"""``no_mean``: dL/dz_L = p − t (the 1/m forgotten); ``slope_is_value``: act(z) used for
act'(z) (ReLU′ taken as the ReLU); ``own_output``: dL/dW_l = dL/dz_l · a_lᵀ (the layer's
own output instead of its input, off by one; only where the shapes allow it);
``not_transposed``: dL/da_(l−1) = W_l · dL/dz_l (where W_l is square; elsewhere it would
raise a shape error, so the transpose is kept);
``bias_not_summed``: dL/db_l = dL/dz_l; ``first_layer_skipped``: the loop stops before
layer 1; ``dict_per_layer``: a fresh dict in every pass of the loop keeps only layer 1."""


def layer_count(params: Params) -> int:
    """How many layers ``params`` holds (W1 … WL)."""
    count = 0
    while f"W{count + 1}" in params:
        count += 1
    return count


def softmax_probabilities(
    params: Params, x: Array, hidden: str, *, stable: bool = True
) -> tuple[Array, list[Array], list[Array]]:
    """p (K, m), the z of every layer and the a of every layer (a_0 = x).

    ``stable=False``: p = exp(z) / Σ exp(z), as an unstabilised softmax computes it.
    """
    act = ACTIVATIONS[hidden]
    count = layer_count(params)
    activations, zs = [x], []
    with np.errstate(all="ignore"):
        for i in range(1, count + 1):
            z = params[f"W{i}"] @ activations[-1] + params[f"b{i}"]
            zs.append(z)
            activations.append(act.forward(z) if i < count else z)
        z = zs[-1]
        p = softmax(z) if stable else np.exp(z) / np.sum(np.exp(z), axis=0, keepdims=True)
    return p, zs, activations


def gradients_with_mistake(
    params: Params, x: Array, t: Array, hidden: str, mistake: Mistake | None = None
) -> Params:
    """dL/dW_l and dL/db_l for every layer, with ``mistake`` made (None: right)."""
    act = ACTIVATIONS[hidden]
    count = layer_count(params)
    p, zs, activations = softmax_probabilities(params, x, hidden)
    m = x.shape[1]
    grad_z = (p - t) if mistake == "no_mean" else (p - t) / m
    grads: Params = {}
    last = 0 if mistake not in ("first_layer_skipped",) else 1
    for i in range(count, last, -1):
        if mistake == "dict_per_layer":
            grads = {}
        a_in = activations[i - 1]
        if mistake == "own_output" and i < count:
            a_in = activations[i]  # of another shape where the layer's width changes
        grads[f"W{i}"] = grad_z @ a_in.T
        grads[f"b{i}"] = grad_z if mistake == "bias_not_summed" else grad_z.sum(1, keepdims=True)
        if i == 1:
            break
        W = params[f"W{i}"]
        if mistake == "not_transposed" and W.shape[0] == W.shape[1]:
            grad_a = W @ grad_z  # where W is not square, W·dL/dz raises a shape error instead
        else:
            grad_a = W.T @ grad_z
        z, a = zs[i - 2], activations[i - 1]
        slope = a if mistake == "slope_is_value" else act.derivative(z, a)
        grad_z = grad_a * slope
    return grads
