"""Families of lesson 3.6 (where paths meet, gradients add): a hidden unit's gradient as
the sum of its paths, and the identical gradients of hidden units that start equal."""

from __future__ import annotations

import numpy as np

from tutor.answers.mistakes import mistake, sign_flipped
from tutor.engine import LayerSpec, NetworkSpec, derive
from tutor.engine.entry_paths import entry_paths
from tutor.engine.variants import replay
from tutor.quiz.families.base import Family, draw, family, num, trace_upto
from tutor.quiz.question import Question
from tutor.text.numbers import format_array

LESSON = "paths"


@family("sum-of-paths", "A hidden unit feeding two outputs: the sum of paths", "paths", 2, LESSON)
def sum_of_paths(meta: Family, rng: np.random.Generator) -> Question:
    """dL/da1 = dL/dz2[1]·W2[1,1] + dL/dz2[2]·W2[2,1] for one hidden unit and two outputs."""
    x, w1 = draw(rng, 0.5, 2.0), draw(rng, -1.5, 1.5)
    v = [draw(rng, -1.5, 1.5) for _ in range(2)]
    t = [float(n) for n in rng.integers(0, 2, size=2)]
    spec = NetworkSpec(
        input=np.array([[x]]),
        target=np.array([[t[0]], [t[1]]]),
        loss="half_squared_error",
        layers=(
            LayerSpec(W=np.array([[w1]]), b=None, activation="sigmoid"),
            LayerSpec(W=np.array([[v[0]], [v[1]]]), b=None, activation="sigmoid"),
        ),
        name="quiz",
    )
    derivation = derive(spec)
    entry = entry_paths(derivation, derivation.record_for("dL/da1"), 0, 0)
    assert entry.total is not None
    expected = entry.value
    first, second = (float(p.value) for p in entry.paths)
    mistakes = (
        mistake("one path only", first, via=entry.paths[0].via),
        mistake("one path only", second, via=entry.paths[1].via),
        mistake("product instead of sum", first * second),
        sign_flipped(expected),
    )
    given = f"x = {num(x)}, w1 = {num(w1)}, v1 = {num(v[0])}, v2 = {num(v[1])}"
    text = (
        "One sigmoid hidden unit a1 = σ(w1·x) feeds two sigmoid outputs y1 = σ(v1·a1) and "
        "y2 = σ(v2·a1), with loss L = ½(y1 − t1)² + ½(y2 − t2)², "
        f"**{given}, t1 = {num(t[0])}, t2 = {num(t[1])}**. What is **dL/da1**?"
    )
    hints = (
        "a1 reaches the loss along two paths, one through each output: add them.",
        "Path k is dL/dz2[k] · v_k, with dL/dz2[k] = (y_k − t_k)·y_k(1 − y_k).",
        f"dL/dz2 ≈ {format_array(derivation.gradients['z2'].ravel())}.",
    )
    return meta.question(
        text,
        about={"x": x, "w1": w1, "v1": v[0], "v2": v[1], "t1": t[0], "t2": t[1]},
        expected=expected,
        kind="number",
        hints=hints,
        mistakes=mistakes,
        forward=derivation.forward,
        trace=(*trace_upto(derivation, "dL/dz2"), *entry.paths, entry.total),
        conclusion="a1 is used twice, so its gradient is the sum of the two path products.",
    )


@family("symmetry", "Identical hidden units get identical gradients", "symmetry", 2, LESSON)
def symmetry(meta: Family, rng: np.random.Generator) -> Question:
    """dL/dW1 of two hidden units with equal weights: two equal rows, nothing split."""
    x = np.array([[draw(rng, -1.0, 1.0)], [draw(rng, -1.0, 1.0)]])
    row = [draw(rng, -1.0, 1.0), draw(rng, -1.0, 1.0)]
    v, t = draw(rng, -1.5, 1.5), float(rng.integers(0, 2))
    spec = NetworkSpec(
        input=x,
        target=np.array([[t]]),
        loss="half_squared_error",
        layers=(
            LayerSpec(W=np.array([row, row]), b=None, activation="sigmoid"),
            LayerSpec(W=np.array([[v, v]]), b=None, activation="sigmoid"),
        ),
        name="quiz",
    )
    derivation = derive(spec)
    expected = derivation.gradients["W1"]
    to_a1 = derivation.record_for("dL/da1")
    to_z1 = derivation.record_for("dL/dz1")
    to_w1 = derivation.record_for("dL/dW1")
    split = replay(to_a1, {"dz2/da1": spec.params()["W2"] / 2})
    split_w1 = replay(to_w1, {"dL/dz1": replay(to_z1, {"dL/da1": split})})
    one_unit = replay(to_w1, {"dL/dz1": derivation.gradients["z1"] * np.array([[1.0], [0.0]])})
    mistakes = (
        mistake("blame split", split_w1),
        mistake("one unit only", one_unit),
        mistake("transposed", expected.T.copy()),
        sign_flipped(expected),
    )
    text = (
        "Two sigmoid hidden units start **identical**: both have incoming weights "
        f"**({num(row[0])}, {num(row[1])})** and outgoing weight **v = {num(v)}** to one sigmoid "
        f"output y; no biases; L = ½(y − t)² with **x = {format_array(x)}, t = {num(t)}**. "
        "What is **dL/dW1** (one row per hidden unit)? Type it as [[a, b], [c, d]]."
    )
    hints = (
        "Work out one unit's row: dL/dz1[1] = dL/dz2 · v · a1[1](1 − a1[1]), then times xᵀ.",
        "The other unit sees the same input, has the same weights and the same outgoing "
        "weight: its row is exactly the same. Nothing is shared out between them.",
    )
    return meta.question(
        text,
        about={"x": x, "W1 row": np.array(row), "v": v, "t": t},
        expected=expected,
        kind="array",
        hints=hints,
        mistakes=mistakes,
        forward=derivation.forward,
        trace=trace_upto(derivation, "dL/dW1"),
        conclusion="Equal rows: the units take the same step and stay identical.",
    )
