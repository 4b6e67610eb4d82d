"""Families about activations: σ', tanh' and ReLU' at a point, and the vanishing-gradient bound."""

from __future__ import annotations

import numpy as np

from tutor.answers.mistakes import SYMBOLS, Z_SLOPES, mistake, sign_flipped, z_in_the_derivative
from tutor.answers.types import DERIVATIVES
from tutor.engine import autodiff as ad
from tutor.engine.functions import ACTIVATIONS
from tutor.quiz.families.base import Family, draw, family, num
from tutor.quiz.question import Question

LOCAL_NOTE = "(Here L is a itself, so dL/da = 1 and dL/dz is the activation's derivative.)"


def _derivative_at(name: str, z: float) -> tuple[ad.Node, ad.Node, list]:
    """The engine's z → a = act(z) with a as the root: (z node, a node, trace)."""
    z_node = ad.leaf(np.array(z), "z", requires_grad=True)
    a_node = ad.activate(z_node, name, "a")
    return z_node, a_node, ad.backward(a_node)


def _activation_question(
    meta: Family, rng: np.random.Generator, name: str, symbol: str, hints: tuple[str, ...]
) -> Question:
    z = draw(rng, -3.0, 3.0)
    z_node, a_node, trace = _derivative_at(name, z)
    expected = float(z_node.gradient)
    value = float(a_node.value)
    mistakes = [mistake("value for derivative", value, f=SYMBOLS[name])]
    if name in Z_SLOPES:
        mistakes.append(
            z_in_the_derivative(name, float(ACTIVATIONS[name].derivative(np.array(z), np.array(z))))
        )
    mistakes.append(sign_flipped(expected))
    text = f"What is the derivative **{symbol}'(z)** of {symbol} at **z = {num(z)}**?"
    filled = tuple(h.format(z=num(z), a=num(value)) for h in hints)
    return meta.question(
        text,
        about={"z": z},
        expected=expected,
        kind="number",
        hints=filled,
        mistakes=tuple(mistakes),
        forward=(a_node.forward_step(),),
        trace=tuple(trace),
        conclusion=LOCAL_NOTE,
        asked=frozenset({DERIVATIVES[name]}),
    )


@family("sigmoid-derivative", "Sigmoid derivative at a point", "activations", 1)
def sigmoid_derivative(meta: Family, rng: np.random.Generator) -> Question:
    """σ'(z) = σ(z)(1 − σ(z)) at a random z."""
    hints = (
        "Write the derivative with the output: σ'(z) = a(1 − a), where a = σ(z) = 1/(1 + e^(−z)).",
        "Here a = σ({z}) ≈ {a}; multiply a by (1 − a).",
    )
    return _activation_question(meta, rng, "sigmoid", "σ", hints)


@family("tanh-derivative", "tanh derivative at a point", "activations", 1)
def tanh_derivative(meta: Family, rng: np.random.Generator) -> Question:
    """tanh'(z) = 1 − tanh(z)² at a random z."""
    hints = (
        "Write the derivative with the output: tanh'(z) = 1 − a², where a = tanh(z).",
        "Here a = tanh({z}) ≈ {a}; compute 1 − a².",
    )
    return _activation_question(meta, rng, "tanh", "tanh", hints)


@family("relu-derivative", "ReLU derivative at a point", "activations", 1)
def relu_derivative(meta: Family, rng: np.random.Generator) -> Question:
    """relu'(z): 1 for z > 0, 0 for z < 0."""
    hints = (
        "relu(z) = max(z, 0) is a straight line on each side of 0: what is its slope there?",
        "For z > 0 relu(z) = z (slope 1); for z < 0 relu(z) = 0 (slope 0). Here z = {z}.",
    )
    return _activation_question(meta, rng, "relu", "relu", hints)


def sigmoid_chain(k: int, slope: str | None = None) -> tuple[ad.Node, list]:
    """k sigmoids in a chain, each evaluated at z = 0 (weights 1, the previous ½ taken off).

    Returns the first input node (its ``grad`` is the product of the k local
    derivatives) and the trace.  ``slope="value"`` uses σ(z) in place of σ'(z).
    """
    first = ad.leaf(np.array(0.0), "z1", requires_grad=True)
    node = first
    for i in range(1, k + 1):
        if slope == "value":
            a = ad.activate(ad.leaf(node.value, "z"), "sigmoid", "a")
            scaled = ad.mul(node, ad.leaf(a.value, "σ(z)"))
            a = ad.add(scaled, ad.leaf(a.value - scaled.value, "offset"), label=f"a{i}")
        else:
            a = ad.activate(node, "sigmoid", f"a{i}")
        node = ad.sub(a, ad.leaf(a.value, "½"), label=f"z{i + 1}") if i < k else a
    trace = ad.backward(node)
    return first, trace


@family("vanishing-bound", "Vanishing gradients: k sigmoid factors", "vanishing", 2)
def vanishing_bound(meta: Family, rng: np.random.Generator) -> Question:
    """The largest possible product of k sigmoid derivatives: σ'(0)^k."""
    k = int(rng.integers(2, 7))
    first, trace = sigmoid_chain(k)
    expected = float(first.gradient)
    peak_z, peak_a, _ = _derivative_at("sigmoid", 0.0)
    half, peak = num(float(peak_a.value)), num(float(peak_z.gradient))
    mistakes = (
        mistake("value for derivative", float(sigmoid_chain(k, "value")[0].gradient), f="σ"),
        mistake("one layer only", float(peak_z.gradient)),
    )
    text = (
        f"A gradient flows back through **{k} sigmoid layers** (every weight 1), picking up one "
        "factor σ'(z) per layer. What is the **largest** value the product of these "
        f"{k} factors can have?"
    )
    hints = (
        f"σ'(z) = σ(z)(1 − σ(z)) is largest where σ(z) = {half}, that is at z = 0.",
        f"σ'(0) = {half} × (1 − {half}) = {peak}, and the gradient is multiplied by it {k} times.",
    )
    return meta.question(
        text,
        about={"k": float(k)},
        expected=expected,
        kind="number",
        hints=hints,
        mistakes=mistakes,
        trace=tuple(r for r in trace if r.via.startswith("a")),
        conclusion=f"The product of the {k} factors σ'(z) is at most {num(expected)}: "
        f"each sigmoid layer multiplies the gradient by at most σ'(0) = {peak}.",
    )
