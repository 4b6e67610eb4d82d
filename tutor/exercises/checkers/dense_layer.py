"""Checker ``dense-layer``: a class DenseLayer, a = σ(W·x + b), that accumulates its gradients.

``backward(grad_a)`` returns dL/dx and adds dL/dW and dL/db into ``grad_W`` and
``grad_b`` (zeros from ``__init__``), as frameworks accumulate gradients over
several backward passes.  Each case runs forward and backward on two batches of
different sizes and reads the gradients after each; the engine differentiates
L = Σ a ⊙ grad_a, whose gradient with respect to a is grad_a.
"""

from __future__ import annotations

import numpy as np

from tutor.exercises import variants
from tutor.exercises.judge import CheckResult, Expected, Variant, judge
from tutor.exercises.plan import Built, Plan, Results, results_of

CLASS = "DenseLayer"
METHODS = ("__init__", "forward", "backward")
ACTIVATION = "sigmoid"


def _sizes(rng: np.random.Generator) -> list[tuple[int, int, int, int]]:
    """(n_in, n_out, m first, m second) for three cases; the first has no equal sizes."""
    a, b, c, d = (int(n) for n in rng.permutation(np.arange(2, 8))[:4])
    second = (int(rng.integers(1, 5)), 1, int(rng.integers(2, 6)), int(rng.integers(2, 6)))
    e, f, g, h = (int(n) for n in rng.integers(2, 7, size=4))
    return [(a, b, c, d), second, (e, f, g, h)]


def _mistakes(
    W: np.ndarray, b: np.ndarray, x: np.ndarray, g: np.ndarray, right: dict[str, np.ndarray]
) -> dict[str, tuple[Variant, ...]]:
    """The known wrong values of dL/dW, dL/db and dL/dx for one batch."""
    left_out = variants.layer_gradients(W, b, x, g, ACTIVATION, slope_one=True)
    m = x.shape[1]
    common: dict[str, tuple[Variant, ...]] = {
        name: (
            Variant(
                "the sigmoid's derivative is left out: dL/dz = dL/da ⊙ a(1 − a)", left_out[name]
            ),
            Variant("sign flipped", -right[name]),
            Variant(
                "divided by m: the upstream gradient dL/da already carries the loss's 1/m",
                right[name] / m,
            ),
        )
        for name in ("W", "b", "x")
    }
    common["W"] += (
        Variant(
            "transposed: dL/dW = dL/dz · xᵀ has the shape of W", np.ascontiguousarray(right["W"].T)
        ),
        Variant(
            "reshape where a transpose belongs: x.reshape(m, n) keeps the entries in memory "
            "order; dL/dW = dL/dz · xᵀ (.T)",
            right["z"] @ x.reshape(x.shape[::-1]),
        ),
    )
    common["b"] += (
        Variant(
            "the bias gradient is not summed over the examples: dL/db is dL/dz summed along "
            "each row (keepdims=True)",
            right["z"],
        ),
    )
    common["x"] += (
        Variant(
            "W.reshape(…) where Wᵀ belongs: dL/dx = Wᵀ · dL/dz (.T; reshape keeps the entries "
            "in memory order)",
            W.reshape(W.shape[::-1]) @ right["z"],
        ),
        Variant("W where Wᵀ belongs: dL/dx = Wᵀ · dL/dz", np.ascontiguousarray((W @ right["z"]).T))
        if W.shape[0] == W.shape[1]
        else Variant("transposed: dL/dx has the shape of x", np.ascontiguousarray(right["x"].T)),
    )
    return common


def build(rng: np.random.Generator) -> Built:
    """Three layers, two batches each; the engine's gradients after each backward pass."""
    plan = Plan(classes={CLASS: METHODS})
    expected: dict[str, list[Expected]] = {k: [] for k in ("a", "x", "W", "b", "W+", "b+")}
    cases = []
    for i, (n_in, n_out, m1, m2) in enumerate(_sizes(rng)):
        W, b = rng.normal(size=(n_out, n_in)), 0.5 * rng.normal(size=(n_out, 1))
        x1, x2 = rng.normal(size=(n_in, m1)), rng.normal(size=(n_in, m2))
        g1, g2 = rng.normal(size=(n_out, m1)), rng.normal(size=(n_out, m2))
        case = f"case {i + 1}: W of shape ({n_out}, {n_in}), batches of {m1} and {m2}"
        cases.append(case)
        layer = f"layer{i}"
        plan.new(CLASS, [W, b], keep=layer, what=f"{CLASS}(W, b) in {case}")
        plan.call(
            f"{layer}.forward", [x1], report=f"a/{i}", what=f"forward in {case}", guard=("x",)
        )
        first_pass, second_pass = f"back{i}", f"back{i}+"
        plan.call(
            f"{layer}.backward",
            [g1],
            keep=first_pass,
            report=f"x/{i}",
            what=f"backward in {case}",
            guard=("grad_a",),
        )
        for name in ("W", "b"):  # not read where backward raised: grad_W would still be zeros
            plan.attribute(
                f"{layer}.grad_{name}",
                report=f"{name}/{i}",
                what=f"reading grad_{name} after backward in {case}",
                needs=(first_pass,),
            )
        plan.call(
            f"{layer}.forward", [x2], keep=f"fwd{i}+", what=f"forward on the second batch in {case}"
        )
        plan.call(
            f"{layer}.backward",
            [g2],
            keep=second_pass,
            what=f"backward on the second batch in {case}",
            needs=(f"fwd{i}+",),
        )
        for name in ("W", "b"):
            plan.attribute(
                f"{layer}.grad_{name}",
                report=f"{name}+/{i}",
                what=f"reading grad_{name} after the second backward in {case}",
                needs=(first_pass, second_pass),
            )
        first = variants.layer_gradients(W, b, x1, g1, ACTIVATION)
        second = variants.layer_gradients(W, b, x2, g2, ACTIVATION)
        wrong = _mistakes(W, b, x1, g1, first)
        left_out = Variant(
            "the sigmoid is left out: a = σ(W·x + b)", variants.layer_output(W, b, x1, "linear")
        )
        expected["a"].append(
            Expected(variants.layer_output(W, b, x1, ACTIVATION), (left_out,), case)
        )
        for name in ("x", "W", "b"):
            expected[name].append(Expected(first[name], wrong[name], case))
        for name in ("W", "b"):
            kept_last = Variant(
                f"`=` where `+=` accumulates: grad_{name} holds only the last backward's gradient; "
                f"add to it (self.grad_{name} += …)",
                second[name],
            )
            expected[f"{name}+"].append(Expected(first[name] + second[name], (kept_last,), case))

    def judged(results: Results) -> list[CheckResult]:
        count = len(cases)
        return [
            judge("forward: a", expected["a"], results_of(results, "a", count)),
            judge("backward: dL/dx", expected["x"], results_of(results, "x", count)),
            judge("grad_W", expected["W"], results_of(results, "W", count)),
            judge("grad_b", expected["b"], results_of(results, "b", count)),
            judge("grad_W accumulates", expected["W+"], results_of(results, "W+", count)),
            judge("grad_b accumulates", expected["b+"], results_of(results, "b+", count)),
        ]

    return Built(plan, judged)
