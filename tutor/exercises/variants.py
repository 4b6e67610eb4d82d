"""More of the engine's deliberately wrong computations, for checking a learner's code.

The wrong gradients of a whole network (an activation derivative left out,
another loss, the examples summed) are :mod:`tutor.engine.variants`.  Here are
the others a checker needs, each computed by the engine with one step done
wrong: the forward pass with an activation or a bias left out, a descent step
up the gradient, one dense layer fed an upstream gradient (with its activation
derivative left out: the node keeps σ(z) as its value but passes its gradient
through unchanged), and one-sided differences.  Also :func:`network`, a spec from
named parameters.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tutor.engine import LayerSpec, NetworkSpec, predict, sgd_step
from tutor.engine import autodiff as ad

Array = np.ndarray


def network(
    params: dict[str, Array], x: Array, t: Array, activation: str, loss: str
) -> NetworkSpec:
    """A spec from named parameters W1, b1, W2, … (a layer without ``b`` has no bias)."""
    layers = []
    i = 1
    while f"W{i}" in params:
        layers.append(LayerSpec(params[f"W{i}"], params.get(f"b{i}"), activation))
        i += 1
    return NetworkSpec(np.asarray(x, float), np.asarray(t, float), loss, tuple(layers))


def _activation(z: ad.Node, name: str, label: str, slope_one: bool) -> ad.Node:
    """act(z), or a node with act(z)'s value whose local derivative is 1 (derivative left out)."""
    if not slope_one:
        return ad.activate(z, name, label)
    value = ad.activate(ad.leaf(z.value, "z"), name, "a").value
    return ad.add(z, ad.leaf(value - z.value, "offset"), label=label)


def output_without_activation(spec: NetworkSpec, layer: int) -> Array:
    """The output when layer ``layer``'s activation is left out of the forward pass."""
    layers = tuple(
        replace(part, activation="linear") if i == layer else part
        for i, part in enumerate(spec.layers, start=1)
    )
    return predict(replace(spec, layers=layers))


def output_without_bias(spec: NetworkSpec, layer: int) -> Array:
    """The output when layer ``layer``'s bias is left out of the forward pass."""
    layers = tuple(
        replace(part, b=None) if i == layer else part for i, part in enumerate(spec.layers, start=1)
    )
    return predict(replace(spec, layers=layers))


def output_after_step(spec: NetworkSpec, lr: float) -> Array:
    """The output after one gradient-descent step at rate ``lr`` (negative: up the gradient)."""
    return predict(sgd_step(spec, lr), spec.input)


def output_with_params(spec: NetworkSpec, params: dict[str, Array]) -> Array:
    """The output of ``spec``'s network with its parameters replaced by ``params``."""
    layers = tuple(
        replace(part, W=params[f"W{i}"], b=None if part.b is None else params[f"b{i}"])
        for i, part in enumerate(spec.layers, start=1)
    )
    return predict(replace(spec, layers=layers))


def layer_output(W: Array, b: Array, x: Array, activation: str) -> Array:
    """One dense layer's output act(W·x + b)."""
    z = ad.linear(ad.leaf(W, "W"), ad.leaf(x, "x"), ad.leaf(b, "b"), label="z")
    with np.errstate(all="ignore"):
        return ad.activate(z, activation, "a").value


def layer_gradients(
    W: Array, b: Array, x: Array, upstream: Array, activation: str, *, slope_one: bool = False
) -> dict[str, Array]:
    """dL/dW, dL/db, dL/dx and dL/dz of a dense layer a = act(W·x + b) with dL/da = ``upstream``.

    The engine differentiates L = Σ a ⊙ upstream, whose gradient with respect to a is
    ``upstream``; ``slope_one`` leaves the activation's derivative out.
    """
    xs = ad.leaf(x, "x", requires_grad=True)
    w = ad.leaf(W, "W", requires_grad=True)
    bias = ad.leaf(b, "b", requires_grad=True)
    z = ad.linear(w, xs, bias, label="z")
    a = _activation(z, activation, "a", slope_one)
    with np.errstate(all="ignore"):
        ad.backward(ad.sum_(ad.mul(a, ad.leaf(upstream, "g"))))
    return ad.grads_of([w, bias, xs, z])


def softmax_unshifted(z: Array) -> Array:
    """Softmax down each column without taking the largest logit off: NaN once exp overflows."""
    with np.errstate(all="ignore"):
        e = np.exp(z)
        return e / e.sum(axis=0, keepdims=True)


def cross_entropy_unshifted(z: Array, t: Array) -> float:
    """The mean cross-entropy through :func:`softmax_unshifted` (not finite once exp overflows)."""
    with np.errstate(all="ignore"):
        return float(-np.sum(t * np.log(softmax_unshifted(z))) / z.shape[1])


def softmax_over_all(z: Array) -> Array:
    """Each column's exp(z − its max), divided by the sum over the whole array."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum()
