"""Checker ``sigmoid``: functions ``sigmoid(z)`` and ``sigmoid_prime(z)`` on whole arrays.

Three arrays of different shapes, the last with large positive and negative
entries; the engine's sigmoid and its derivative are the reference.
"""

from __future__ import annotations

import numpy as np

from tutor.engine.functions import ACTIVATIONS
from tutor.exercises.judge import CheckResult, Expected, Variant, judge
from tutor.exercises.plan import Built, Plan, Results, results_of

SIGMOID = ACTIVATIONS["sigmoid"]


def arrays(rng: np.random.Generator) -> list[np.ndarray]:
    """Three arrays of z: two random shapes, then one with saturated entries."""
    wide = np.array([[-40.0, -8.0, -1.0, 0.0], [1.0, 8.0, 40.0, 0.5]])
    return [rng.normal(0, 3, size=(3, 4)), rng.normal(0, 3, size=(1, 5)), wide]


def build(rng: np.random.Generator) -> Built:
    """Call both functions on each array; the engine computes what they should return."""
    plan = Plan(functions=("sigmoid", "sigmoid_prime"))
    zs = arrays(rng)
    cases = [f"case {i + 1}: z of shape {z.shape}" for i, z in enumerate(zs)]
    for i, z in enumerate(zs):
        plan.call("sigmoid", [z], report=f"s/{i}", what=f"sigmoid(z) in {cases[i]}", guard=("z",))
    for i, z in enumerate(zs):
        plan.call(
            "sigmoid_prime",
            [z],
            report=f"ds/{i}",
            what=f"sigmoid_prime(z) in {cases[i]}",
            guard=("z",),
        )
    values = [SIGMOID.forward(z) for z in zs]
    forward = [
        Expected(
            a,
            (
                Variant("e^z where e^−z belongs: that is σ(−z)", SIGMOID.forward(-z)),
                Variant(
                    "parentheses: 1/1 + e^−z is 1 + e^−z; write 1 / (1 + np.exp(-z))",
                    1.0 / SIGMOID.forward(z),
                ),
            ),
            case,
        )
        for z, a, case in zip(zs, values, cases, strict=True)
    ]
    derivative = [
        Expected(
            SIGMOID.derivative(z, a),
            (
                Variant("that is σ(z) itself; its derivative is σ(z)(1 − σ(z))", a),
                Variant(
                    "z(1 − z): the formula a(1 − a) takes a = σ(z), not z",
                    SIGMOID.derivative(z, z),
                ),
                Variant(
                    "sign flipped: σ'(z) = σ(z)(1 − σ(z)) is never negative",
                    -SIGMOID.derivative(z, a),
                ),
            ),
            case,
        )
        for z, a, case in zip(zs, values, cases, strict=True)
    ]

    def judged(results: Results) -> list[CheckResult]:
        count = len(zs)
        return [
            judge("sigmoid(z)", forward, results_of(results, "s", count)),
            judge("sigmoid_prime(z)", derivative, results_of(results, "ds", count)),
        ]

    return Built(plan, judged)
