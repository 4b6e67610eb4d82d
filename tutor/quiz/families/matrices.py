"""Families on layers of several units: the shape of dL/dW_i, one entry of a matrix
gradient, and a whole matrix gradient over a batch."""

from __future__ import annotations

import numpy as np

from tutor.answers.mistakes import mistake, sign_flipped
from tutor.engine import LayerSpec, NetworkSpec, derive, init_layers
from tutor.engine.variants import gradients_with_loss, gradients_with_slopes, summed_over_examples
from tutor.quiz.families.base import Family, draw, family, num
from tutor.quiz.question import Question
from tutor.text.numbers import format_array, format_shape

ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth"}


@family("gradient-shape", "The shape of dL/dW_i", "shapes", 1)
def gradient_shape(meta: Family, rng: np.random.Generator) -> Question:
    """The shape of a weight gradient for given layer sizes and batch size."""
    hidden = [int(n) for n in rng.integers(2, 9, size=int(rng.integers(1, 3)))]
    sizes = [int(rng.integers(2, 7)), *hidden, int(rng.integers(1, 5))]
    m = int(rng.integers(2, 33))
    layers = init_layers(sizes, ["sigmoid"] * (len(sizes) - 1), rng)
    spec = NetworkSpec(
        input=rng.standard_normal((sizes[0], m)),
        target=np.zeros((sizes[-1], m)),
        loss="half_squared_error",
        layers=layers,
        name="quiz",
    )
    i = int(rng.integers(1, len(layers) + 1))
    derivation = derive(spec)
    expected = tuple(derivation.gradients[f"W{i}"].shape)
    mistakes = (
        mistake("transposed", expected[::-1]),
        mistake("activation shape", tuple(derivation.gradients[f"z{i}"].shape)),
    )
    widths = " → ".join(str(n) for n in sizes)
    text = (
        f"A dense network has layer sizes **{widths}** (input first) and is given a batch of "
        f"**{m} examples** as columns of x. What is the shape of **dL/dW{i}**, the gradient of "
        f"the {ORDINAL[i]} layer's weights?"
    )
    hints = (
        "A gradient always has the shape of the thing it is the gradient of.",
        f"W{i} maps {sizes[i - 1]} inputs to {sizes[i]} unit{'s' * (sizes[i] != 1)}: "
        f"z{i} = W{i}·a{i - 1}.",
    )
    return meta.question(
        text,
        about={"sizes": tuple(sizes), "m": (m,)},
        expected=expected,
        kind="shape",
        hints=hints,
        mistakes=mistakes,
        trace=(derivation.record_for(f"dL/dW{i}"),),
        show_values=False,
        conclusion=f"dL/dW{i} has the shape of W{i}: {format_shape(expected)}.",
    )


def _small_network(rng: np.random.Generator, m: int) -> tuple[NetworkSpec, dict[str, np.ndarray]]:
    """2 inputs → 2 sigmoid units → 1 sigmoid output, half squared error, m examples."""
    W1 = np.array([[draw(rng, -1.5, 1.5) for _ in range(2)] for _ in range(2)])
    W2 = np.array([[draw(rng, -1.5, 1.5) for _ in range(2)]])
    x = np.array([[draw(rng, -1.0, 1.0) for _ in range(m)] for _ in range(2)])
    t = rng.integers(0, 2, size=(1, m)).astype(float)
    spec = NetworkSpec(
        input=x,
        target=t,
        loss="half_squared_error",
        layers=(
            LayerSpec(W=W1, b=None, activation="sigmoid"),
            LayerSpec(W=W2, b=None, activation="sigmoid"),
        ),
        name="quiz",
    )
    return spec, {"x": x, "t": t, "W1": W1, "W2": W2}


def _describe(given: dict[str, np.ndarray], batch: bool) -> str:
    data = "columns are examples" if batch else "one example"
    values = ", ".join(f"{k} = {format_array(v)}" for k, v in given.items())
    return (
        "A network with 2 inputs, 2 sigmoid hidden units and 1 sigmoid output: "
        "z1 = W1·x, a1 = σ(z1), z2 = W2·a1, y = σ(z2), loss L = mean over examples of "
        f"½(y − t)² ({data}), with **{values}**."
    )


@family("matrix-entry", "One entry of a matrix gradient", "matrices", 2)
def matrix_entry(meta: Family, rng: np.random.Generator) -> Question:
    """Entry (i, j) of dL/dW1 for one example."""
    spec, given = _small_network(rng, 1)
    derivation = derive(spec)
    i, j = (int(n) for n in rng.integers(0, 2, size=2))
    gradient = derivation.gradients["W1"]
    expected = float(gradient[i, j])
    mistakes = (
        sign_flipped(expected, error_term=True),
        mistake("transposed", float(gradient[j, i])),
        *(
            mistake(
                "derivative left out",
                float(gradients_with_slopes(spec, {layer: "one"})["W1"][i, j]),
                f="σ",
                z=f"z{layer}",
            )
            for layer in (1, 2)
        ),
        mistake("factor 2 doubled", float(gradients_with_loss(spec, "squared_error")["W1"][i, j])),
    )
    text = (
        f"{_describe(given, batch=False)} What is **entry (row {i + 1}, column {j + 1}) of "
        "dL/dW1**?"
    )
    hints = (
        f"Entry ({i + 1}, {j + 1}) of dL/dW1 = dL/dz1 · xᵀ is (dL/dz1)[{i + 1}] × x[{j + 1}].",
        "dL/dz1 = (W2ᵀ · dL/dz2) ⊙ a1(1 − a1), and dL/dz2 = (y − t)·y(1 − y).",
        f"dL/dz1 ≈ {format_array(derivation.gradients['z1'].ravel())}.",
    )
    return meta.question(
        text,
        about=given,
        expected=expected,
        kind="number",
        hints=hints,
        mistakes=mistakes,
        forward=derivation.forward,
        trace=derivation.trace,
    )


@family("matrix-gradient", "A whole matrix gradient over a batch", "matrices", 3)
def matrix_gradient(meta: Family, rng: np.random.Generator) -> Question:
    """The 2×2 dL/dW1 averaged over a batch of 3 or 4 examples.

    Never 2, where the squared error's factor 2 doubled and the mean's 1/m forgotten
    give the same number and could not be told apart.
    """
    m = int(rng.integers(3, 5))
    spec, given = _small_network(rng, m)
    derivation = derive(spec)
    expected = derivation.gradients["W1"]
    mistakes = (
        sign_flipped(expected, error_term=True),
        mistake("transposed", expected.T.copy()),
        mistake("1/m forgotten", summed_over_examples(spec, "W1"), m=m),
        mistake(
            "derivative left out", gradients_with_slopes(spec, {1: "one"})["W1"], f="σ", z="z1"
        ),
        mistake("factor 2 doubled", gradients_with_loss(spec, "squared_error")["W1"]),
    )
    text = (
        f"{_describe(given, batch=True)} What is the whole matrix **dL/dW1**? "
        "Type it as [[a, b], [c, d]]."
    )
    hints = (
        "dL/dW1 = dL/dz1 · xᵀ, where dL/dz1 has one column per example; the loss is a mean, "
        "so dL/dy carries a factor 1/m.",
        "dL/dz2 = (y − t) ⊙ y(1 − y) / m, dL/da1 = W2ᵀ · dL/dz2, dL/dz1 = dL/da1 ⊙ a1(1 − a1).",
        f"dL/dz1 ≈ {format_array(derivation.gradients['z1'])}.",
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
        conclusion=f"Averaged over the m = {num(spec.examples)} examples.",
    )
