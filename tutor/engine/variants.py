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
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from tutor.engine import autodiff as ad
from tutor.engine.functions import ACTIVATIONS
from tutor.engine.network import NetworkSpec, derive, sgd_step
from tutor.engine.trace import TraceRecord

Array = np.ndarray

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
    return _scaled_slope(z, activation, local, label)


def _scaled_slope(z: ad.Node, activation: str, local: Array, label: str) -> ad.Node:
    """A node whose value is act(z) and whose local derivative is ``local``."""
    value = ad.activate(ad.leaf(z.value, "z"), activation, "a").value
    scaled = ad.mul(z, ad.leaf(local, "slope"))
    return ad.add(scaled, ad.leaf(value - scaled.value, "offset"), label=label)


Seen = Literal["z", "reshape"]
"""What a mistaken layer multiplies by where a transpose belongs in its backward pass.

For dL/dW = dL/dz · a_prevᵀ: ``z`` puts the previous layer's z where its a belongs;
``reshape`` takes a_prev.reshape(m, n) for a_prevᵀ.  For dL/da_prev = Wᵀ · dL/dz:
``reshape`` takes W.reshape(n_in, n_out) for Wᵀ.
"""


@dataclass(frozen=True)
class LayerMistake:
    """One layer's backward pass done wrong; fields left None are done right."""

    slope: Slope | None = None
    input_seen: Seen | None = None
    weight_seen: Literal["reshape"] | None = None
    slope_from: int | None = None  # σ′ taken at this other layer (its a(1 − a))
    weight_from: int | None = None  # this other layer's weight carries dL/dz back


def _linear(
    w: ad.Node, a: ad.Node, b: ad.Node | None, label: str, seen_input: Array, seen_weight: Array
) -> ad.Node:
    """W·a + b whose backward pass takes dL/dW = dL/dz·``seen_input``ᵀ and
    dL/da = ``seen_weight``ᵀ·dL/dz (the value is W·a + b all the same)."""
    to_w = ad.matmul(w, ad.leaf(seen_input, "seen"))
    to_a = ad.matmul(ad.leaf(seen_weight, "seen"), a)
    right = w.value @ a.value
    offset = ad.add(to_a, ad.leaf(right - to_w.value - to_a.value, "offset"))
    if b is None:
        return ad.add(to_w, offset, label=label)
    return ad.add(ad.add(to_w, offset), b, label=label)


def gradients_with_mistakes(
    spec: NetworkSpec, mistakes: Mapping[int, LayerMistake]
) -> dict[str, np.ndarray]:
    """Every gradient of ``spec`` when layer i's backward pass makes ``mistakes[i]``."""
    a = ad.leaf(spec.input, "x")
    nodes = [a]
    z_before: Array | None = None
    others = {m.slope_from or m.weight_from for m in mistakes.values()} - {None}
    values = derive(spec).values if others else {}
    for i, layer in enumerate(spec.layers, start=1):
        w = ad.leaf(layer.W, f"W{i}", requires_grad=True)
        b = None if layer.b is None else ad.leaf(layer.b, f"b{i}", requires_grad=True)
        mistake = mistakes.get(i, LayerMistake())
        if mistake.weight_from is not None:
            other = spec.layers[mistake.weight_from - 1].W
            z = _linear(w, a, b, f"z{i}", a.value, other.reshape(layer.W.shape))
        elif mistake.input_seen is None and mistake.weight_seen is None:
            z = ad.linear(w, a, b, label=f"z{i}")
        else:
            seen_input = {
                None: a.value,
                "z": a.value if z_before is None else z_before,
                "reshape": a.value.reshape(a.value.shape[::-1]).T,
            }[mistake.input_seen]
            n_out, n_in = layer.W.shape
            seen_weight = layer.W if mistake.weight_seen is None else layer.W.reshape(n_in, n_out).T
            z = _linear(w, a, b, f"z{i}", seen_input, seen_weight)
        z_before = z.value
        if mistake.slope_from is not None:
            k = mistake.slope_from
            other_layer = spec.layers[k - 1].activation
            local = ACTIVATIONS[other_layer].derivative(values[f"z{k}"], values[f"a{k}"])
            a = _scaled_slope(z, layer.activation, local, f"a{i}")
        elif mistake.slope is not None:
            a = _slope_node(z, layer.activation, mistake.slope, f"a{i}")
        else:
            a = ad.activate(z, layer.activation, label=f"a{i}")
        nodes += [n for n in (w, b, z, a) if n is not None]
    loss = ad.loss_node(a, ad.leaf(spec.target, "t"), spec.loss)
    with np.errstate(all="ignore"):
        ad.backward(loss)
    return ad.grads_of(nodes)


def gradients_below(spec: NetworkSpec, node: str, gradient: Array) -> dict[str, np.ndarray]:
    """Every gradient below ``node`` (``z2``, ``a1``) when dL/d``node`` is taken as ``gradient``.

    The engine differentiates Σ node ⊙ ``gradient``, whose gradient at the node is
    ``gradient``: a mistake made at one node, carried down the rest of the way right.
    """
    a = ad.leaf(spec.input, "x")
    nodes = [a]
    for i, layer in enumerate(spec.layers, start=1):
        w = ad.leaf(layer.W, f"W{i}", requires_grad=True)
        b = None if layer.b is None else ad.leaf(layer.b, f"b{i}", requires_grad=True)
        z = ad.linear(w, a, b, label=f"z{i}")
        nodes += [n for n in (w, b, z) if n is not None]
        if node == f"z{i}":
            break
        a = ad.activate(z, layer.activation, label=f"a{i}")
        nodes.append(a)
        if node == f"a{i}":
            break
    top = nodes[-1]
    with np.errstate(all="ignore"):
        ad.backward(ad.sum_(ad.mul(top, ad.leaf(np.asarray(gradient, dtype=np.float64), "g"))))
    return ad.grads_of(nodes)


def gradients_with_slopes(spec: NetworkSpec, slopes: Mapping[int, Slope]) -> dict[str, np.ndarray]:
    """Every gradient of ``spec`` when layer i's activation derivative is taken as ``slopes[i]``."""
    return gradients_with_mistakes(spec, {i: LayerMistake(slope=s) for i, s in slopes.items()})


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
