"""Families on chains of one-unit sigmoid layers: the walkthrough network's dL/dw1 and
dL/dw2 with new numbers, and a three-layer network's gradients in backprop order."""

from __future__ import annotations

import numpy as np

from tutor.answers.mistakes import Mistake, mistake, sign_flipped, z_in_the_derivative
from tutor.engine import NetworkSpec, derive
from tutor.engine.variants import Slope, gradients_with_loss, gradients_with_slopes, replay
from tutor.quiz.families.base import Family, draw, family, num, scalar_network, trace_upto
from tutor.quiz.question import Question

WALKTHROUGH = (
    "In the walkthrough network x → z1 = w1·x → a1 = σ(z1) → z2 = w2·a1 → y = a2 = σ(z2) "
    "with loss {loss}"
)
LOSS_TEXT = {"half_squared_error": "L = ½(y − t)²", "squared_error": "L = (y − t)²"}
VALUE_SLOPES: tuple[dict[int, Slope], ...] = ({1: "value", 2: "value"}, {1: "value"})
"""σ'(z) mistaken for σ(z) in both layers, or in the first only."""


def _walkthrough(rng: np.random.Generator) -> tuple[NetworkSpec, dict[str, float]]:
    """New numbers for the walkthrough network, with the ½ in the loss or without."""
    x, w1, w2 = draw(rng, 0.5, 2.0), draw(rng, -1.5, 1.5), draw(rng, -1.5, 1.5)
    t = float(rng.integers(0, 2))
    loss = str(rng.choice(list(LOSS_TEXT)))
    return scalar_network(x, [w1, w2], t, loss=loss), {"x": x, "w1": w1, "w2": w2, "t": t}


def _walkthrough_text(spec: NetworkSpec, given: dict[str, float], wanted: str) -> str:
    network = WALKTHROUGH.format(loss=LOSS_TEXT[spec.loss])
    return f"{network}, and **{_given(given)}**: what is **{wanted}**?"


def _factor_two(spec: NetworkSpec, name: str) -> Mistake:
    """The gradient with the squared error's factor 2 doubled (for ½(y − t)²) or dropped."""
    if spec.loss == "half_squared_error":
        return mistake("factor 2 doubled", _grad(gradients_with_loss(spec, "squared_error"), name))
    return mistake("factor 2 dropped", _grad(gradients_with_loss(spec, "half_squared_error"), name))


def _grad(gradients: dict[str, np.ndarray], name: str) -> float:
    return float(gradients[name].item())


def _given(values: dict[str, float]) -> str:
    return ", ".join(f"{k} = {num(v)}" for k, v in values.items())


@family("walkthrough-dw2", "dL/dw2 of the walkthrough network", "backprop", 2)
def walkthrough_dw2(meta: Family, rng: np.random.Generator) -> Question:
    """dL/dw2 = (y − t)·σ'(z2)·a1."""
    spec, given = _walkthrough(rng)
    derivation = derive(spec)
    expected = _grad(derivation.gradients, "W2")
    record = derivation.record_for("dL/dW2")
    mistakes = (
        sign_flipped(expected, error_term=True),
        mistake(
            "derivative left out",
            _grad(gradients_with_slopes(spec, {2: "one"}), "W2"),
            f="σ",
            z="z2",
        ),
        mistake(
            "value for derivative",
            _grad(gradients_with_slopes(spec, {2: "value"}), "W2"),
            f="σ",
            z="z2",
        ),
        mistake(
            "z for a",
            float(replay(record, {"dz2/dW2": derivation.values["z1"]}).item()),
            layer=1,
            f="σ",
        ),
        z_in_the_derivative("sigmoid", _grad(gradients_with_slopes(spec, {2: "z"}), "W2")),
        _factor_two(spec, "W2"),
    )
    text = _walkthrough_text(spec, given, "dL/dw2")
    dl_dy = "y − t" if spec.loss == "half_squared_error" else "2(y − t)"
    hints = (
        "Run the forward pass first: z1, a1, z2, y. Then dL/dw2 = dL/dy × dy/dz2 × dz2/dw2.",
        f"dL/dy = {dl_dy}, dy/dz2 = y(1 − y), and dz2/dw2 = a1.",
        f"With the numbers: a1 ≈ {num(_grad(derivation.values, 'a1'))}, "
        f"y ≈ {num(_grad(derivation.values, 'a2'))}.",
    )
    return meta.question(
        text,
        about=given,
        expected=expected,
        kind="number",
        hints=hints,
        mistakes=mistakes,
        forward=derivation.forward,
        trace=trace_upto(derivation, "dL/dW2"),
    )


@family("walkthrough-dw1", "dL/dw1 of the walkthrough network", "backprop", 2)
def walkthrough_dw1(meta: Family, rng: np.random.Generator) -> Question:
    """dL/dw1 = (y − t)·σ'(z2)·w2·σ'(z1)·x."""
    spec, given = _walkthrough(rng)
    derivation = derive(spec)
    expected = _grad(derivation.gradients, "W1")
    without_upstream = replay(derivation.record_for("dL/dz1"), {"dL/da1": 1.0})
    mistakes = (
        sign_flipped(expected, error_term=True),
        mistake(
            "upstream gradient forgotten",
            float(replay(derivation.record_for("dL/dW1"), {"dL/dz1": without_upstream}).item()),
        ),
        *(
            mistake(
                "derivative left out",
                _grad(gradients_with_slopes(spec, {i: "one"}), "W1"),
                f="σ",
                z=f"z{i}",
            )
            for i in (1, 2)
        ),
        *(
            mistake(
                "value for derivative" if len(slopes) == 1 else "value for derivative everywhere",
                _grad(gradients_with_slopes(spec, slopes), "W1"),
                f="σ",
                z=f"z{min(slopes)}",
            )
            for slopes in VALUE_SLOPES
        ),
        _factor_two(spec, "W1"),
    )
    text = _walkthrough_text(spec, given, "dL/dw1")
    hints = (
        "Backpropagate step by step: dL/dy, dL/dz2, dL/da1, dL/dz1, then dL/dw1.",
        "dL/da1 = dL/dz2 × w2 and dL/dz1 = dL/da1 × a1(1 − a1); finally dL/dw1 = dL/dz1 × x.",
        f"dL/dz2 ≈ {num(_grad(derivation.gradients, 'z2'))} and "
        f"a1 ≈ {num(_grad(derivation.values, 'a1'))}.",
    )
    return meta.question(
        text,
        about=given,
        expected=expected,
        kind="number",
        hints=hints,
        mistakes=mistakes,
        forward=derivation.forward,
        trace=trace_upto(derivation, "dL/dW1"),
    )


@family("three-layer", "A three-layer network's gradients in order", "backprop", 3)
def three_layer(meta: Family, rng: np.random.Generator) -> Question:
    """The weight gradients of three chained sigmoid units, in the order backprop finds them."""
    x = draw(rng, 0.5, 2.0)
    weights = [draw(rng, -1.5, 1.5) for _ in range(3)]
    t = float(rng.integers(0, 2))
    spec = scalar_network(x, weights, t)
    derivation = derive(spec)
    order = [r.node for r in derivation.trace if r.node.startswith("W")]

    def in_order(gradients: dict[str, np.ndarray]) -> np.ndarray:
        return np.array([gradients[name].item() for name in order])

    expected = in_order(derivation.gradients)
    mistakes = (
        sign_flipped(expected, error_term=True),
        mistake("wrong order", expected[::-1].copy()),
        mistake(
            "derivative left out everywhere",
            in_order(gradients_with_slopes(spec, {1: "one", 2: "one", 3: "one"})),
            f="σ",
        ),
        mistake("factor 2 doubled", in_order(gradients_with_loss(spec, "squared_error"))),
    )
    given = {"x": x, "w1": weights[0], "w2": weights[1], "w3": weights[2], "t": t}
    text = (
        "A chain of three sigmoid units x → a1 = σ(w1·x) → a2 = σ(w2·a1) → y = a3 = σ(w3·a2), "
        f"loss L = ½(y − t)², with **{_given(given)}**. Give the three weight gradients "
        "**in the order backprop computes them**, as a list like [0.1, −0.2, 0.3]."
    )
    hints = (
        "Backprop starts at the loss: the last layer's weight gradient comes first.",
        "Each step back multiplies by one more w × σ'(z): dL/dz3 = (y − t)·σ'(z3), "
        "dL/dz2 = dL/dz3·w3·σ'(z2), dL/dz1 = dL/dz2·w2·σ'(z1); "
        "dL/dw_i = dL/dz_i × (the input of layer i).",
        f"y ≈ {num(float(derivation.output.item()))}, "
        f"dL/dz3 ≈ {num(_grad(derivation.gradients, 'z3'))}.",
    )
    return meta.question(
        text,
        about=given,
        expected=expected,
        kind="array",
        hints=hints,
        mistakes=mistakes,
        forward=derivation.forward,
        trace=derivation.trace,
    )
