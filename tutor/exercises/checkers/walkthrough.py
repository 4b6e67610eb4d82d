"""Checker ``walkthrough``: the backward pass of the lesson's two-weight network, over a batch.

x → z1 = w1·x → a1 = σ(z1) → z2 = w2·a1 → y = σ(z2), no biases, loss the mean
over the m examples of ½(y − t)².  The learner's ``walkthrough_backward(x, t,
w1, w2)`` returns a dict of six gradients, in the order backprop finds them.
Three cases with random weights and batch sizes m ≥ 2.
"""

from __future__ import annotations

import numpy as np

from tutor.engine import derive
from tutor.exercises import variants
from tutor.exercises.checkers.networks import gradient_variants
from tutor.exercises.judge import CheckResult, Expected, Variant, judge
from tutor.exercises.plan import Built, Plan, Results, results_of
from tutor.text.numbers import format_number

FUNCTION = "walkthrough_backward"
KEYS = {"dy": "a2", "dz2": "z2", "dw2": "W2", "da1": "a1", "dz1": "z1", "dw1": "W1"}
"""The learner's dict keys → the engine's gradient labels."""
SHOWN = {
    "dy": "dL/dy",
    "dz2": "dL/dz2",
    "dw2": "dL/dw2",
    "da1": "dL/da1",
    "dz1": "dL/dz1",
    "dw1": "dL/dw1",
}


def build(rng: np.random.Generator) -> Built:
    """Three batches; the engine's gradients and their known wrong values for each."""
    plan = Plan(functions=(FUNCTION,))
    specs, cases = [], []
    for i, m in enumerate((2, int(rng.integers(3, 6)), int(rng.integers(4, 8)))):
        w1, w2 = (float(w) for w in rng.uniform(-2.0, 2.0, size=2))
        x = rng.uniform(-2.0, 2.0, size=(1, m))
        t = rng.uniform(0.0, 1.0, size=(1, m))
        params = {"W1": np.array([[w1]]), "W2": np.array([[w2]])}
        specs.append(variants.network(params, x, t, "sigmoid", "half_squared_error"))
        cases.append(f"case {i + 1}: m = {m}, w1 = {format_number(w1)}, w2 = {format_number(w2)}")
        plan.call(
            FUNCTION,
            [x, t, w1, w2],
            report=f"grads/{i}",
            what=f"{FUNCTION} in {cases[i]}",
            guard=("x", "t"),
        )
    expected: dict[str, list[Expected]] = {key: [] for key in KEYS}
    for spec, case in zip(specs, cases, strict=True):
        d = derive(spec)
        wrong = gradient_variants(spec)
        for key, label in KEYS.items():
            more: tuple[Variant, ...] = ()
            if label.startswith("W"):
                before = "x" if label == "W1" else "a1"
                per_example = d.gradients[f"z{label[1]}"] * d.values[before]
                more = (
                    Variant(
                        f"not summed over the examples: {SHOWN[key]} adds up every example's "
                        f"dL/dz{label[1]}·{before}",
                        per_example,
                    ),
                )
            expected[key].append(Expected(d.gradients[label], wrong[label] + more, case))

    def judged(results: Results) -> list[CheckResult]:
        count = len(specs)
        return [
            judge(SHOWN[key], expected[key], results_of(results, "grads", count, key))
            for key in KEYS
        ]

    return Built(plan, judged)
