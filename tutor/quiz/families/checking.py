"""The gradient-checking family: a central-difference estimate from given f(w ± ε)."""

from __future__ import annotations

import numpy as np

from tutor.answers.mistakes import mistake, sign_flipped
from tutor.engine import derive, loss_of
from tutor.engine.gradcheck import numerical_gradients
from tutor.quiz.families.base import Family, draw, family, num, scalar_network
from tutor.quiz.question import Question

SHOWN_DIGITS = 10


@family("central-difference", "A central-difference estimate", "gradient-check", 1)
def central_difference(meta: Family, rng: np.random.Generator) -> Question:
    """(f(w + ε) − f(w − ε)) / 2ε for the loss of a one-weight network."""
    x, w = draw(rng, 0.5, 2.0), draw(rng, -1.5, 1.5)
    t = float(rng.integers(0, 2))
    epsilon = float(rng.choice([0.01, 0.001]))
    spec = scalar_network(x, [w], t)
    plus = loss_of(spec.with_params({"W1": np.array([[w + epsilon]])}))
    minus = loss_of(spec.with_params({"W1": np.array([[w - epsilon]])}))
    expected = float(numerical_gradients(spec, epsilon)["W1"].item())
    mistakes = (
        mistake("ε instead of 2ε", 2 * expected),
        sign_flipped(expected),
    )
    f_plus, f_minus = num(plus, SHOWN_DIGITS), num(minus, SHOWN_DIGITS)
    text = (
        f"The loss of a network, as a function of one weight w, gives "
        f"**f(w + ε) = {f_plus}** and **f(w − ε) = {f_minus}** with **ε = {num(epsilon)}**. "
        "What is the central-difference estimate of df/dw?"
    )
    hints = (
        "The central difference is the slope between the two points: rise over run.",
        "The points w − ε and w + ε are 2ε apart: (f(w + ε) − f(w − ε)) / (2ε).",
    )
    derivation = derive(spec)
    return meta.question(
        text,
        about={"f(w+ε)": plus, "f(w−ε)": minus, "ε": epsilon},
        expected=expected,
        kind="number",
        hints=hints,
        mistakes=mistakes,
        forward=derivation.forward,
        trace=(derivation.record_for("dL/dW1"),),
        conclusion=(
            f"Central difference: ({f_plus} − {f_minus}) / (2 × {num(epsilon)}) = "
            f"{num(expected, 6)}. The network behind f was x → σ(w·x) with x = {num(x)}, "
            f"w = {num(w)}, t = {num(t)}; backprop's exact dL/dw above agrees."
        ),
    )
