"""Checker ``three-layer``: a class ThreeLayerNetwork with forward, backward and update_weights.

Three sigmoid layers, loss the mean over the m examples of ½·Σ(y − t)², so
dL/dy = (y − t)/m.  Three cases with different layer sizes and batch sizes
(the first with every size different, so a transpose cannot hide); the engine
derives each case and its wrong variants.
"""

from __future__ import annotations

import itertools

import numpy as np

from tutor.engine import derive, predict
from tutor.exercises import variants
from tutor.exercises.checkers.networks import gradient_variants
from tutor.exercises.judge import CheckResult, Expected, Variant, judge, not_run
from tutor.exercises.plan import Built, Plan, Results, ref, results_of
from tutor.text.numbers import format_number

CLASS = "ThreeLayerNetwork"
METHODS = ("__init__", "forward", "backward", "update_weights")
NAMES = ("W1", "b1", "W2", "b2", "W3", "b3")
LOSS = "half_squared_error"


def case_sizes(rng: np.random.Generator) -> list[tuple[tuple[int, ...], int]]:
    """Layer sizes (n0, n1, n2, n3) and batch sizes m for three cases, all m ≥ 2."""
    first = rng.permutation(np.arange(2, 8))[:5]  # five different numbers: no square matrix
    return [
        (tuple(int(n) for n in first[:4]), int(first[4])),
        ((int(rng.integers(1, 6)), int(rng.integers(2, 6)), int(rng.integers(2, 6)), 1), 2),
        (tuple(int(n) for n in rng.integers(2, 6, size=4)), int(rng.integers(3, 9))),
    ]


def random_params(sizes: tuple[int, ...], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Weights ~ N(0, 1) and biases ~ N(0, 0.5²), layer by layer."""
    params = {}
    for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes), start=1):
        params[f"W{i}"] = rng.normal(size=(n_out, n_in))
        params[f"b{i}"] = 0.5 * rng.normal(size=(n_out, 1))
    return params


def build(rng: np.random.Generator) -> Built:
    """Three random networks and batches; the engine's results and variants for each."""
    plan = Plan(classes={CLASS: METHODS})
    specs, lrs, cases = [], [], []
    for i, (sizes, m) in enumerate(case_sizes(rng)):
        params = random_params(sizes, rng)
        x = rng.normal(size=(sizes[0], m))
        t = rng.uniform(0.0, 1.0, size=(sizes[-1], m))
        specs.append(variants.network(params, x, t, "sigmoid", LOSS))
        lrs.append(float(rng.uniform(0.1, 1.0)))
        cases.append(f"case {i + 1}: sizes {'-'.join(map(str, sizes))}, m = {m}")
        plan.new(CLASS, [params], keep=f"net{i}", what=f"{CLASS}(params) in {cases[i]}")
        plan.call(
            f"net{i}.forward",
            [x],
            keep=f"y{i}",
            report=f"y/{i}",
            what=f"forward in {cases[i]}",
            guard=("x",),
        )
    derivations = [derive(spec) for spec in specs]
    for i, spec in enumerate(specs):
        plan.call(
            f"net{i}.backward",
            [ref(f"y{i}"), spec.target],
            report=f"grads/{i}",
            what=f"backward in {cases[i]}",
            guard=("y", "t"),
        )
    for i, (spec, d) in enumerate(zip(specs, derivations, strict=True)):
        grads = {name: d.gradients[name] for name in NAMES}
        what = f"update_weights in {cases[i]}"
        plan.call(f"net{i}.update_weights", [grads, lrs[i]], keep=f"updated{i}", what=what)
        plan.call(
            f"net{i}.forward",
            [spec.input],
            report=f"after/{i}",
            what=f"forward after {what}",
            needs=(f"updated{i}",),
        )

    forward = [
        Expected(
            d.output,
            (
                *(
                    Variant(
                        f"the sigmoid is left out at layer {k} of the forward pass",
                        variants.output_without_activation(spec, k),
                    )
                    for k in (3, 2, 1)
                ),
                *(
                    Variant(
                        f"the bias b{k} is left out of the forward pass: z{k} = W{k}·"
                        f"{'x' if k == 1 else f'a{k - 1}'} + b{k}",
                        variants.output_without_bias(spec, k),
                    )
                    for k in (3, 2, 1)
                ),
            ),
            case,
        )
        for spec, d, case in zip(specs, derivations, cases, strict=True)
    ]
    wrong = [gradient_variants(spec) for spec in specs]
    gradients = {
        name: [
            Expected(d.gradients[name], mistakes[name], case)
            for d, mistakes, case in zip(derivations, wrong, cases, strict=True)
        ]
        for name in NAMES
    }
    update = [
        Expected(
            variants.output_after_step(spec, lr),
            (
                Variant(
                    "the update's sign: gradient descent subtracts, W ← W − lr·dL/dW",
                    variants.output_after_step(spec, -lr),
                ),
                Variant(
                    "the learning rate is left out: W ← W − lr·dL/dW",
                    variants.output_after_step(spec, 1.0),
                ),
                Variant(
                    "the weights did not change: update the network's own arrays in place "
                    "(self.W1 -= …), not copies",
                    predict(spec),
                ),
                Variant(
                    "`=` where `-=` belongs: W = lr·dL/dW replaces the weights by the step; "
                    "W -= lr·dL/dW takes the step from them",
                    variants.output_with_params(spec, {n: lr * d.gradients[n] for n in NAMES}),
                ),
            ),
            f"{case}, lr = {format_number(lr)}; checked by running forward after the update",
        )
        for spec, lr, case, d in zip(specs, lrs, cases, derivations, strict=True)
    ]

    def judged(results: Results) -> list[CheckResult]:
        count = len(specs)
        checks = [judge("forward: y", forward, results_of(results, "y", count))]
        checks += [
            judge(
                f"backward: dL/d{name}", gradients[name], results_of(results, "grads", count, name)
            )
            for name in NAMES
        ]
        after = results_of(results, "after", count)
        if checks[0].passed or None in after:
            checks.append(judge("update_weights", update, after))
        else:
            checks.append(not_run("update_weights", "it is checked through forward, which fails"))
        return checks

    return Built(plan, judged)
