"""Wrong answers, computed by running the engine on a mistaken derivation.

A question's known mistakes are never typed in: each is what the engine gives
when one step of the derivation is done wrong, e.g. the network's backward pass
with an activation whose local slope is 1 (its derivative left out), or one of
the engine's chain-rule records recombined with a factor swapped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Literal

import numpy as np

from tutor.answers.grade import Expected, Mistake
from tutor.engine import NetworkSpec, TraceRecord, derive, sgd_step
from tutor.engine import autodiff as ad
from tutor.engine.functions import ACTIVATIONS

Slope = Literal["one", "value", "z"]
"""How a mistaken activation's local derivative is taken.

``one``: its derivative is left out; ``value``: σ(z) is used for σ'(z);
``z``: z is put where a belongs in the derivative (z(1 − z) for a(1 − a)).
"""

DESCRIPTIONS: dict[str, str] = {
    "sign flipped": "the sign is flipped; check (y − t) against (t − y).",
    "activation derivative left out": "the activation's derivative was left out of the chain.",
    "σ(z) for σ'(z)": "the activation's value was used instead of its derivative.",
    "z for a": "z (the pre-activation) was used where the activation a belongs.",
    "upstream gradient forgotten": "only the local derivative: multiply it by the upstream "
    "gradient coming back from the loss.",
    "update added": "the step was added; gradient descent subtracts lr × gradient.",
    "weight unchanged": "that is the old weight: subtract lr × gradient from it.",
    "learning rate left out": "the whole gradient was subtracted; scale it by the learning rate.",
    "factor 2 doubled": "a factor 2 too many: the derivative of ½(y − t)² is y − t, not 2(y − t).",
    "factor 2 dropped": "a factor 2 is missing: the derivative of (y − t)² is 2(y − t).",
    "1/m forgotten": "the gradients of the examples were summed, not averaged: divide by m.",
    "transposed": "the shape is transposed: dL/dW has the shape of W, (units out, units in).",
    "wrong order": "the right numbers in forward order; backprop finds the last layer's first.",
    "one layer only": "that is one sigmoid's factor; k layers multiply k of them.",
    "σ' not cancelled": "that is the squared-error gradient (y − t)·σ'(z); with cross-entropy "
    "the σ'(z) cancels, leaving y − t.",
    "stopped at dL/dy": "that is dL/dy; go one step further through the sigmoid to dL/dz.",
    "activation shape": "that is the shape of dL/dz (units, examples), not of dL/dW.",
    "forward difference": "divided by ε instead of 2ε: the two points are 2ε apart.",
}


def mistake(name: str, value: Expected) -> Mistake:
    """A :class:`~tutor.answers.grade.Mistake` with its standard description."""
    return Mistake(name, DESCRIPTIONS[name], value)


def sign_flipped(value: Expected) -> Mistake:
    """The right magnitude with the wrong sign."""
    return mistake("sign flipped", np.negative(value))


def _slope_node(z: ad.Node, activation: str, slope: Slope, label: str) -> ad.Node:
    """A node whose value is act(z) but whose local derivative is the mistaken ``slope``."""
    act = ACTIVATIONS[activation]
    value = ad.activate(ad.leaf(z.value, "z"), activation, "a").value
    local = {
        "one": np.ones_like(z.value),
        "value": value,
        "z": act.derivative(z.value, z.value),
    }[slope]
    scaled = ad.mul(z, ad.leaf(local, "slope"))
    return ad.add(scaled, ad.leaf(value - scaled.value, "offset"), label=label)


def gradients_with_slopes(spec: NetworkSpec, slopes: Mapping[int, Slope]) -> dict[str, np.ndarray]:
    """Every gradient of ``spec`` when layer i's activation derivative is taken as ``slopes[i]``."""
    a = ad.leaf(spec.input, "x")
    nodes = [a]
    for i, layer in enumerate(spec.layers, start=1):
        w = ad.leaf(layer.W, f"W{i}", requires_grad=True)
        b = None if layer.b is None else ad.leaf(layer.b, f"b{i}", requires_grad=True)
        z = ad.linear(w, a, b, label=f"z{i}")
        if i in slopes:
            a = _slope_node(z, layer.activation, slopes[i], f"a{i}")
        else:
            a = ad.activate(z, layer.activation, label=f"a{i}")
        nodes += [n for n in (w, b, z, a) if n is not None]
    loss = ad.loss_node(a, ad.leaf(spec.target, "t"), spec.loss)
    with np.errstate(all="ignore"):
        ad.backward(loss)
    return ad.grads_of(nodes)


def gradients_with_loss(spec: NetworkSpec, loss: str) -> dict[str, np.ndarray]:
    """Every gradient of ``spec`` when its loss is replaced by ``loss``."""
    return derive(replace(spec, loss=loss)).gradients


def summed_over_examples(spec: NetworkSpec, name: str) -> np.ndarray:
    """dL/d``name`` derived for each example alone and summed (the mean's 1/m forgotten)."""
    parts = [
        derive(spec.with_data(spec.input[:, [j]], spec.target[:, [j]])).gradients[name]
        for j in range(spec.examples)
    ]
    return np.sum(parts, axis=0)


def step_added(spec: NetworkSpec, lr: float, name: str) -> np.ndarray:
    """Parameter ``name`` after a step taken up the gradient instead of down."""
    return sgd_step(spec, -lr).params()[name]


def replay(record: TraceRecord, swap: Mapping[str, np.ndarray | float]) -> np.ndarray:
    """The record's product recombined by the engine with the named factors replaced."""
    leaves = [
        ad.leaf(np.asarray(swap.get(f.name, f.value), dtype=np.float64), f.name)
        for f in record.factors
    ]
    if record.combine == "matmul_rt":
        result = ad.matmul(leaves[0], ad.leaf(leaves[1].value.T, "ᵀ"))
    elif record.combine == "lt_matmul":
        result = ad.matmul(ad.leaf(leaves[1].value.T, "ᵀ"), leaves[0])
    elif record.combine == "product":
        result = leaves[0]
        for leaf in leaves[1:]:
            result = ad.mul(result, leaf)
    else:
        raise ValueError(f"cannot replay a {record.combine!r} record")
    return ad.unbroadcast(result.value, record.value.shape)
