"""Families about single links of the chain: one chain-rule product and one
gradient-descent step."""

from __future__ import annotations

import numpy as np

from tutor.answers.mistakes import SYMBOLS, mistake, sign_flipped, z_in_the_derivative
from tutor.answers.types import DERIVATIVES
from tutor.engine import autodiff as ad
from tutor.engine import derive, loss_of, sgd_step
from tutor.engine.functions import ACTIVATIONS
from tutor.engine.variants import replay, step_added
from tutor.quiz.families.base import Family, draw, family, num, scalar_network, trace_upto
from tutor.quiz.question import Question
from tutor.text.derivation import update_text

ACTIVATION_NAMES = ("sigmoid", "tanh")
MIN_STEP = 0.15


@family("chain-link", "One chain-rule link: upstream × local", "chain-rule", 1)
def chain_link(meta: Family, rng: np.random.Generator) -> Question:
    """dL/dz = dL/da × da/dz for a = act(z), given the upstream gradient."""
    name = str(rng.choice(ACTIVATION_NAMES))
    # |z| ≥ 0.4 keeps tanh'(z) below 0.86, so leaving it out is clearly wrong
    z, upstream = draw(rng, -2.0, 2.0, away_from_zero=0.4), draw(rng, -2.0, 2.0)
    z_node = ad.leaf(np.array(z), "z", requires_grad=True)
    a_node = ad.activate(z_node, name, "a")
    loss = ad.mul(a_node, ad.leaf(np.array(upstream), "g"), label="L")
    trace = ad.backward(loss)
    record = next(r for r in trace if r.target == "dL/dz")
    expected = float(z_node.gradient)
    local_name = "da/dz"
    symbol = SYMBOLS[name]
    mistakes = (
        mistake("upstream gradient forgotten", float(replay(record, {"dL/da": 1.0}))),
        mistake("derivative left out", float(replay(record, {local_name: 1.0})), f=symbol),
        mistake(
            "value for derivative", float(replay(record, {local_name: a_node.value})), f=symbol
        ),
        z_in_the_derivative(
            name,
            float(
                replay(record, {local_name: ACTIVATIONS[name].derivative(np.array(z), np.array(z))})
            ),
        ),
        sign_flipped(expected),
    )
    text = (
        f"Backprop has reached a node **a = {symbol}(z)** with **z = {num(z)}**, and the gradient "
        f"coming back from the loss is **dL/da = {num(upstream)}**. What is **dL/dz**?"
    )
    derivative = "a(1 − a)" if name == "sigmoid" else "1 − a²"
    hints = (
        "Chain rule: dL/dz = dL/da × da/dz (the upstream gradient times the local derivative).",
        f"The local derivative is {symbol}'(z) = {derivative}, with a = {symbol}({num(z)}) "
        f"≈ {num(float(a_node.value))}.",
    )
    return meta.question(
        text,
        about={"z": z, "dL/da": upstream},
        expected=expected,
        kind="number",
        hints=hints,
        mistakes=mistakes,
        forward=(a_node.forward_step(),),
        trace=(record,),
        asked=frozenset({DERIVATIVES[name]}),
    )


@family("gradient-step", "The weight after one gradient-descent step", "gradient-descent", 2)
def gradient_step(meta: Family, rng: np.random.Generator) -> Question:
    """W_new = W − lr·dL/dW in the two-weight walkthrough network.

    Numbers are drawn again until the step moves the weight by at least
    :data:`MIN_STEP` of its new value, so the old weight is clearly wrong.
    """
    while True:
        x, w1, w2 = draw(rng, 0.5, 2.0), draw(rng, -1.5, 1.5), draw(rng, -1.5, 1.5)
        t = float(rng.integers(0, 2))
        lr = float(rng.choice([0.5, 1.0, 2.0]))
        name = str(rng.choice(["W1", "W2"]))
        spec = scalar_network(x, [w1, w2], t)
        after = sgd_step(spec, lr)
        expected = float(after.params()[name].item())
        old = float(spec.params()[name].item())
        if abs(expected - old) >= MIN_STEP * abs(expected):
            break
    derivation = derive(spec)
    mistakes = (
        mistake("unchanged", old, p=name.lower()),
        mistake("update added", float(step_added(spec, lr, name).item())),
        mistake("learning rate left out", float(sgd_step(spec, 1.0).params()[name].item())),
    )
    text = (
        f"In the network x → z1 = w1·x → a1 = σ(z1) → z2 = w2·a1 → y = σ(z2), with "
        f"L = ½(y − t)², **x = {num(x)}, w1 = {num(w1)}, w2 = {num(w2)}, t = {num(t)}**: "
        f"what is **{name.lower()}** after one gradient-descent step with learning rate "
        f"**{num(lr)}**?"
    )
    hints = (
        f"First backpropagate to dL/d{name.lower()}; then take the step "
        f"{name.lower()} − learning rate × dL/d{name.lower()}.",
        f"dL/d{name.lower()} ≈ {num(float(derivation.gradients[name].item()))}.",
    )
    return meta.question(
        text,
        about={"x": x, "w1": w1, "w2": w2, "t": t, "lr": lr},
        expected=expected,
        kind="number",
        hints=hints,
        mistakes=mistakes,
        forward=derivation.forward,
        trace=trace_upto(derivation, f"dL/d{name}"),
        conclusion=update_text(spec, after, derivation.loss, loss_of(after), lr),
    )
