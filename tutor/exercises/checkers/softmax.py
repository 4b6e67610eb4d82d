"""Checker ``softmax-cross-entropy``: softmax, the cross-entropy loss and its gradient dL/dz.

Columns are examples: ``softmax(z)`` normalises each column, ``cross_entropy(z,
t)`` is the mean over the m columns of −Σ t·log softmax(z), and
``cross_entropy_backward(z, t)`` returns dL/dz = (softmax(z) − t)/m.  The third
case has logits above 1000, where exp overflows unless the column's largest
entry is subtracted first.
"""

from __future__ import annotations

import numpy as np

from tutor.engine import autodiff as ad
from tutor.engine.functions import LOSSES, softmax
from tutor.exercises import variants
from tutor.exercises.judge import CheckResult, Expected, Variant, judge
from tutor.exercises.plan import Built, Plan, Results, results_of

LOSS = LOSSES["cross_entropy"]
LARGE = 1000.0
"""The third case's logits are above this: exp overflows past 709.8 unless the max is taken off."""
OVERFLOW = (
    "exp overflowed: subtract each column's largest logit before exp; softmax(z) = "
    "softmax(z − max z), and e^1000 is infinite in float64"
)
FUNCTIONS = ("softmax", "cross_entropy", "cross_entropy_backward")


def _gradient(z: np.ndarray, t: np.ndarray) -> np.ndarray:
    """dL/dz by the engine's backward pass through its cross-entropy node."""
    logits = ad.leaf(z, "z", requires_grad=True)
    ad.backward(ad.loss_node(logits, ad.leaf(t, "t"), "cross_entropy"))
    return logits.gradient


def _cases(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """(z, t): one-hot targets, soft targets, then one-hot targets with logits above 1000."""
    found = []
    for k, m, scale, shift, soft in (
        (3, 4, 2.0, 0.0, False),
        (int(rng.integers(2, 6)), 5, 2.0, 0.0, True),
        (4, 3, 20.0, LARGE, False),
    ):
        z = shift + scale * np.abs(rng.normal(size=(k, m)))
        if soft:
            t = rng.dirichlet(np.ones(k), size=m).T
        else:
            t = np.eye(k)[:, rng.integers(0, k, size=m)]
        found.append((z, t))
    return found


def build(rng: np.random.Generator) -> Built:
    """Each function on each case; the engine's values and known wrong ones."""
    plan = Plan(functions=FUNCTIONS)
    cases = _cases(rng)
    names = [
        f"case {i + 1}: z of shape {z.shape}" + (", large logits" if np.abs(z).max() > 50 else "")
        for i, (z, _) in enumerate(cases)
    ]
    for report, function, with_t in (
        ("p", "softmax", False),
        ("L", "cross_entropy", True),
        ("dz", "cross_entropy_backward", True),
    ):
        for i, (z, t) in enumerate(cases):
            args = [z, t] if with_t else [z]
            plan.call(
                function,
                args,
                report=f"{report}/{i}",
                what=f"{function} in {names[i]}",
                guard=("z", "t"),
            )
    probabilities, losses, gradients = [], [], []
    for (z, t), name in zip(cases, names, strict=True):
        m = z.shape[1]
        p, across = softmax(z), softmax(z, axis=1)
        naive = variants.softmax_unshifted(z)
        probabilities.append(
            Expected(
                p,
                (
                    Variant(
                        "normalised across the examples (axis=1): each column is one example, "
                        "so divide by the sum down each column (axis=0, keepdims=True)",
                        across,
                    ),
                    Variant(
                        "normalised over the whole array: divide each column by its own sum",
                        variants.softmax_over_all(z),
                    ),
                    Variant(OVERFLOW, naive),
                ),
                name,
            )
        )
        value = LOSS.value(z, t)
        losses.append(
            Expected(
                np.array(value),
                (
                    Variant(
                        "summed over the examples: the loss is their mean", np.array(value * m)
                    ),
                    Variant(
                        "the minus sign is missing: log p ≤ 0, so the loss is −Σ t·log p",
                        np.array(-value),
                    ),
                    Variant(
                        "softmax forgotten: the loss is −Σ t·log softmax(z), not −Σ t·z",
                        np.array(-np.sum(t * z) / m),
                    ),
                    Variant(OVERFLOW, np.array(variants.cross_entropy_unshifted(z, t))),
                ),
                name,
            )
        )
        g = _gradient(z, t)
        gradients.append(
            Expected(
                g,
                (
                    Variant("1/m forgotten: the loss is the mean over the m examples", g * m),
                    Variant("sign flipped: dL/dz = (softmax(z) − t)/m", -g),
                    Variant("t is not subtracted: dL/dz = (softmax(z) − t)/m", p / m),
                    Variant(
                        "softmax across the examples (axis=1): normalise each column",
                        (across - t) / m,
                    ),
                    Variant(
                        "softmax forgotten: dL/dz = (softmax(z) − t)/m, not (z − t)/m", (z - t) / m
                    ),
                    Variant(OVERFLOW, (naive - t) / m),
                ),
                name,
            )
        )

    def judged(results: Results) -> list[CheckResult]:
        count = len(cases)
        return [
            judge("softmax(z)", probabilities, results_of(results, "p", count)),
            judge("cross_entropy(z, t)", losses, results_of(results, "L", count)),
            judge("cross_entropy_backward(z, t)", gradients, results_of(results, "dz", count)),
        ]

    return Built(plan, judged)
