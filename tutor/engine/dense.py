"""Dense networks in plain NumPy: the fast path for training, prediction and losses.

Training runs thousands of epochs; building a labelled graph for each would waste
time on records nobody reads.  This path uses the same formulas (from
``functions``) without the graph; a test shows it gives the traced gradients.
Provides :class:`DenseNet`, :func:`forward`, :func:`predict`, :func:`loss_of`
and :func:`loss_and_gradients`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tutor.engine.functions import ACTIVATIONS, LOSSES, bce_from_logits, fused
from tutor.engine.network import NetworkSpec

Array = NDArray[np.float64]
Params = dict[str, Array]


class DenseNet:
    """A network's structure and data, prepared once for many gradient evaluations."""

    def __init__(self, spec: NetworkSpec) -> None:
        self.x = spec.input
        self.t = spec.target
        self.loss = LOSSES[spec.loss]
        self.activations = [ACTIVATIONS[layer.activation] for layer in spec.layers]
        count = len(spec.layers)
        self.weights = [f"W{i}" for i in range(1, count + 1)]
        self.biases = [
            f"b{i}" if layer.b is not None else None for i, layer in enumerate(spec.layers, 1)
        ]
        self.layers = list(zip(self.weights, self.biases, self.activations, strict=True))
        self.fused = fused(spec.loss, spec.layers[-1].activation)

    def forward(self, params: Params, x: Array | None = None) -> list[tuple[Array, Array]]:
        """(z_i, a_i) for every layer, from the first to the output."""
        cache = []
        a = self.x if x is None else x
        for w, b, act in self.layers:
            z = params[w] @ a
            if b is not None:
                z = z + params[b]
            a = act.forward(z)
            cache.append((z, a))
        return cache

    def loss_and_gradients(self, params: Params) -> tuple[float, Params]:
        """The loss on the data and dL/dθ for every parameter θ."""
        cache = self.forward(params)
        return self.loss_value(cache), self._backward(params, cache)

    def loss_value(self, cache: list[tuple[Array, Array]], t: Array | None = None) -> float:
        """The loss of a forward pass (from the logits for BCE on a sigmoid output)."""
        z, y = cache[-1]
        t = self.t if t is None else t
        if self.fused:
            return float(np.mean(bce_from_logits(z, t)))
        return self.loss.value(y, t)

    def gradients(self, params: Params, columns: NDArray[np.int64] | None = None) -> Params:
        """dL/dθ for every parameter θ, on the examples ``columns`` (default: all of them).

        On a mini-batch the loss is the mean over the batch's examples.
        """
        if columns is None:
            return self._backward(params, self.forward(params))
        x, t = self.x[:, columns], self.t[:, columns]
        return self._backward(params, self.forward(params, x), x, t)

    def _backward(
        self,
        params: Params,
        cache: list[tuple[Array, Array]],
        x: Array | None = None,
        t: Array | None = None,
    ) -> Params:
        x = self.x if x is None else x
        t = self.t if t is None else t
        y = cache[-1][1]
        last = len(self.weights) - 1
        grad_a = self.loss.grad(y, t)
        grads: Params = {}
        for i in range(last, -1, -1):
            z, a = cache[i]
            if i == last and self.fused:
                grad_z = (y - t) / y.shape[1]  # σ' cancels: no saturation
            else:
                grad_z = grad_a * self.activations[i].derivative(z, a)
            a_prev = cache[i - 1][1] if i else x
            grads[self.weights[i]] = grad_z @ a_prev.T
            if (b := self.biases[i]) is not None:
                grads[b] = grad_z.sum(axis=1, keepdims=True)
            if i:
                grad_a = params[self.weights[i]].T @ grad_z
        return grads


def forward(spec: NetworkSpec, x: Array) -> list[tuple[Array, Array]]:
    """(z_i, a_i) for every layer of ``spec`` on input ``x``."""
    return DenseNet(spec).forward(spec.params(), x)


def loss_and_gradients(spec: NetworkSpec) -> tuple[float, Params]:
    """The loss of ``spec`` on its own data and dL/dθ for every parameter θ."""
    return DenseNet(spec).loss_and_gradients(spec.params())


def predict(spec: NetworkSpec, input: Array | None = None) -> Array:
    """The network's output for ``input`` (the spec's own input by default)."""
    with np.errstate(all="ignore"):
        return forward(spec, spec.input if input is None else input)[-1][1]


def loss_of(spec: NetworkSpec) -> float:
    """The loss of ``spec`` on its own data."""
    net = DenseNet(spec)
    with np.errstate(all="ignore"):
        return net.loss_value(net.forward(spec.params()))
