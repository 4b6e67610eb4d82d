"""The fast path: forward and backward of a dense network in plain NumPy.

Training runs thousands of epochs; building a labelled graph for each would waste
time on records nobody reads.  This path uses the same formulas (from
``functions``) without the graph; a test shows it gives the traced gradients.
"""

from __future__ import annotations

import numpy as np

from tutor.engine.functions import ACTIVATIONS, LOSSES
from tutor.engine.network import NetworkSpec

Array = np.ndarray


def forward(spec: NetworkSpec, x: Array) -> list[tuple[Array, Array]]:
    """(z_i, a_i) for every layer, from the first to the output."""
    cache = []
    a = x
    for layer in spec.layers:
        z = layer.W @ a
        if layer.b is not None:
            z = z + layer.b
        a = ACTIVATIONS[layer.activation].forward(z)
        cache.append((z, a))
    return cache


def loss_and_gradients(spec: NetworkSpec) -> tuple[float, dict[str, Array]]:
    """The loss on the spec's data and dL/dθ for every parameter θ."""
    cache = forward(spec, spec.input)
    loss = LOSSES[spec.loss]
    y = cache[-1][1]
    value = loss.value(y, spec.target)
    grad_a = loss.grad(y, spec.target)
    gradients: dict[str, Array] = {}
    for i in range(len(spec.layers), 0, -1):
        layer = spec.layers[i - 1]
        z, a = cache[i - 1]
        grad_z = grad_a * ACTIVATIONS[layer.activation].derivative(z, a)
        a_prev = cache[i - 2][1] if i > 1 else spec.input
        gradients[f"W{i}"] = grad_z @ a_prev.T
        if layer.b is not None:
            gradients[f"b{i}"] = grad_z.sum(axis=1, keepdims=True)
        if i > 1:
            grad_a = layer.W.T @ grad_z
    return value, gradients
