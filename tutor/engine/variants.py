"""Derivations done wrong on purpose: what a known mistake gives, computed by the engine.

Each function runs the engine with one step of the derivation changed: an
activation whose local slope is taken wrongly, another loss, the mean over the
examples replaced by a sum, a step taken up the gradient, or one chain-rule record
recombined with a factor swapped.  The values name no mistake (that is
:mod:`tutor.answers.mistakes`); quiz families and lesson quantities diagnose with
them, and so can a checker of a learner's own backprop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Literal

import numpy as np

from tutor.engine import autodiff as ad
from tutor.engine.functions import ACTIVATIONS
from tutor.engine.network import NetworkSpec, derive, sgd_step
from tutor.engine.trace import TraceRecord

Slope = Literal["one", "value", "z"]
"""How a mistaken activation's local derivative is taken.

``one``: its derivative is left out; ``value``: act(z) is used for act'(z);
``z``: z is put where a belongs in the derivative (z(1 − z) for a(1 − a)).
"""


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
    """dL/d``name`` derived for each example alone (the mean's 1/m forgotten).

    A parameter's gradients are summed; a value's (``z1``, ``a2``: one column per
    example) are put side by side.
    """
    parts = [
        derive(spec.with_data(spec.input[:, [j]], spec.target[:, [j]])).gradients[name]
        for j in range(spec.examples)
    ]
    if name in spec.params():
        total: np.ndarray = np.sum(parts, axis=0)
        return total
    return np.hstack(parts)


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
