"""Checker ``two-heads``: a hidden layer read by two output heads, whose gradient must add.

h = σ(W·x), y1 = σ(V·h), y2 = σ(U·h), no biases; the loss is the mean over the m
examples of ½(y1 − t1)² + ½(y2 − t2)².  The learner's ``two_heads_backward(x, t1,
t2, W, V, U)`` returns a dict of ``dV``, ``dU``, ``dh`` and ``dW``.  The engine
derives the same network with the heads stacked (W2 = [V; U]); a dL/dh (and so a
dL/dW) that holds only one head's path is diagnosed as an overwrite: ``dh = …``
where ``dh += …`` belongs.  Three cases with batches of m ≥ 2.
"""

from __future__ import annotations

import numpy as np

from tutor.engine import derive
from tutor.exercises import variants
from tutor.exercises.checkers.networks import gradient_variants
from tutor.exercises.judge import CheckResult, Expected, Variant, judge
from tutor.exercises.plan import Built, Plan, Results, results_of

FUNCTION = "two_heads_backward"
SHOWN = {"dV": "dL/dV", "dU": "dL/dU", "dh": "dL/dh", "dW": "dL/dW"}


def _overwrites(x: np.ndarray, W: np.ndarray, heads: dict[str, tuple]) -> dict[str, list[Variant]]:
    """dL/dh and dL/dW when only one head's path reaches h, or the paths are multiplied or
    averaged instead of added; dL/dW is the engine's backward pass through h from that dL/dh."""
    found: dict[str, list[Variant]] = {"dh": [], "dW": []}
    paths: list[np.ndarray] = []
    for kept, (weights, target) in heads.items():
        lost = "y1" if kept == "y2" else "y2"
        only = derive(
            variants.network({"W1": W, "W2": weights}, x, target, "sigmoid", "half_squared_error")
        )
        message = (
            f"overwrote instead of accumulating: only the path through {kept} reached h. "
            f"h feeds both heads, so dL/dh adds both paths: write dh += …, not dh = … "
            f"(the path through {lost} was lost)"
        )
        found["dh"].append(Variant(message, only.gradients["a1"]))
        found["dW"].append(Variant(message, only.gradients["W1"]))
        paths.append(only.gradients["a1"])
    for message, dh in (
        (
            "the product of the two paths: h feeds both heads, so dL/dh is their sum, "
            "dh = V.T @ dz1 + U.T @ dz2",
            paths[0] * paths[1],
        ),
        (
            "the average of the two paths: dL/dh is their sum, not their mean "
            "(each path is a whole share of the change in L)",
            (paths[0] + paths[1]) / 2,
        ),
    ):
        found["dh"].append(Variant(message, dh))
        through_h = variants.layer_gradients(W, np.zeros((W.shape[0], 1)), x, dh, "sigmoid")
        found["dW"].append(Variant(message, through_h["W"]))
    return found


def build(rng: np.random.Generator) -> Built:
    """Three batches; the engine's gradients, the overwrites and the usual wrong values."""
    plan = Plan(functions=(FUNCTION,))
    expected: dict[str, list[Expected]] = {key: [] for key in SHOWN}
    for i, (hidden, m) in enumerate(((2, 2), (3, int(rng.integers(3, 6))), (4, 5))):
        n_in = int(rng.integers(1, 4))
        x = rng.uniform(-2.0, 2.0, size=(n_in, m))
        W = rng.uniform(-1.5, 1.5, size=(hidden, n_in))
        V, U = (rng.uniform(-1.5, 1.5, size=(1, hidden)) for _ in range(2))
        t1, t2 = (rng.uniform(0.0, 1.0, size=(1, m)) for _ in range(2))
        case = f"case {i + 1}: {n_in} inputs, {hidden} hidden units, m = {m}"
        plan.call(
            FUNCTION,
            [x, t1, t2, W, V, U],
            report=f"grads/{i}",
            what=f"{FUNCTION} in {case}",
            guard=("x", "t1", "t2", "W", "V", "U"),
        )
        stacked = variants.network(
            {"W1": W, "W2": np.vstack([V, U])},
            x,
            np.vstack([t1, t2]),
            "sigmoid",
            "half_squared_error",
        )
        gradients = derive(stacked).gradients
        wrong = gradient_variants(stacked)
        overwrites = _overwrites(x, W, {"y1": (V, t1), "y2": (U, t2)})
        rows = {"dV": 0, "dU": 1}
        for key, row in rows.items():
            head = [
                Variant(v.message, v.value[[row]])
                for v in wrong["W2"]
                if v.value.shape == (2, hidden)
            ]
            expected[key].append(Expected(gradients["W2"][[row]], tuple(head), case))
        expected["dh"].append(Expected(gradients["a1"], (*overwrites["dh"], *wrong["a1"]), case))
        expected["dW"].append(Expected(gradients["W1"], (*overwrites["dW"], *wrong["W1"]), case))

    def judged(results: Results) -> list[CheckResult]:
        return [
            judge(SHOWN[key], expected[key], results_of(results, "grads", 3, key)) for key in SHOWN
        ]

    return Built(plan, judged)
