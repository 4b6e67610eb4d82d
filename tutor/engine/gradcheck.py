"""Gradient checking: backprop's gradients against central differences.

For each parameter θ the numerical gradient is (L(θ + ε) − L(θ − ε)) / 2ε, entry by
entry, in float64 with ε = 1e-5.  The two are compared by the norm-relative error
‖a − n‖ / (‖a‖ + ‖n‖), which does not depend on how large the gradients are.
Correct code gives about 1e-9 or less; below :data:`PASS_THRESHOLD` passes.  A
gradient off by a factor of two gives exactly 1/3, whatever the network.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from tutor.engine.dense import forward, loss_of
from tutor.engine.network import NetworkSpec, derive

Array = NDArray[np.float64]
EPSILON = 1e-5
PASS_THRESHOLD = 1e-6


@dataclass(frozen=True)
class ParamCheck:
    """The comparison for one parameter."""

    name: str
    analytical: Array
    numerical: Array
    relative_error: float

    @property
    def passed(self) -> bool:
        """Whether the relative error is below the pass threshold."""
        return self.relative_error < PASS_THRESHOLD


@dataclass(frozen=True)
class Kink:
    """A failing entry whose ±ε carries a ReLU unit's z across 0, where ReLU has no slope."""

    param: str
    index: tuple[int, ...]
    layer: int


@dataclass(frozen=True)
class GradCheck:
    """The comparison for every parameter, and overall."""

    params: tuple[ParamCheck, ...]
    relative_error: float
    epsilon: float
    threshold: float = PASS_THRESHOLD
    kinks: tuple[Kink, ...] = ()
    """Failing entries (of a failing parameter) that sit at a ReLU kink: the check cannot
    agree there."""

    @property
    def passed(self) -> bool:
        """Whether the overall relative error is below the threshold."""
        return self.relative_error < self.threshold


def relative_error(a: Array, n: Array) -> float:
    """‖a − n‖ / (‖a‖ + ‖n‖), and 0 when both are zero."""
    denominator = float(np.linalg.norm(a) + np.linalg.norm(n))
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - n)) / denominator


def numerical_gradients(
    spec: NetworkSpec, epsilon: float = EPSILON, *, one_sided: bool = False
) -> dict[str, Array]:
    """Central-difference estimates of dL/dθ for every parameter of ``spec``.

    ``one_sided``: forward differences (L(θ + ε) − L(θ)) / ε instead, the less
    accurate estimate a hand-written check often uses by mistake.
    """
    params = {name: p.copy() for name, p in spec.params().items()}
    base = loss_of(spec) if one_sided else 0.0
    found: dict[str, Array] = {}
    for name, p in params.items():
        grad = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            original = p[index]
            p[index] = original + epsilon
            plus = loss_of(spec.with_params(params))
            if one_sided:
                grad[index] = (plus - base) / epsilon
            else:
                p[index] = original - epsilon
                grad[index] = (plus - loss_of(spec.with_params(params))) / (2 * epsilon)
            p[index] = original
        found[name] = grad
    return found


def gradient_check(
    spec: NetworkSpec, *, epsilon: float = EPSILON, analytical_loss: str | None = None
) -> GradCheck:
    """Compare backprop with central differences for every parameter.

    ``analytical_loss`` takes backprop's gradients from another loss than the one
    the numerical check measures, which reproduces a classic bug (gradients of
    ½·mean(y − t)² reported for mean(y − t)²) so a lesson can show it being caught.
    """
    source = spec if analytical_loss is None else replace(spec, loss=analytical_loss)
    analytical = derive(source).gradients
    numerical = numerical_gradients(spec, epsilon)
    checks = tuple(
        ParamCheck(
            name,
            analytical[name],
            numerical[name],
            relative_error(analytical[name], numerical[name]),
        )
        for name in spec.params()
    )
    flat_a = np.concatenate([c.analytical.ravel() for c in checks])
    flat_n = np.concatenate([c.numerical.ravel() for c in checks])
    error = relative_error(flat_a, flat_n)
    failing = error >= PASS_THRESHOLD or not all(c.passed for c in checks)
    found = kinks(spec, checks, epsilon) if failing else ()
    return GradCheck(checks, error, epsilon, kinks=found)


def kinks(spec: NetworkSpec, checks: tuple[ParamCheck, ...], epsilon: float) -> tuple[Kink, ...]:
    """The failing entries at which θ ± ε puts a ReLU unit's z on both sides of 0.

    There the central difference averages the slopes on the two sides while backprop
    takes ReLU′(0) = 0 (or the one side z is on): a mismatch that is no bug.
    """
    relus = [i for i, layer in enumerate(spec.layers) if layer.activation == "relu"]
    if not relus:
        return ()
    found = []
    params = {name: p.copy() for name, p in spec.params().items()}
    for check in checks:
        if check.passed:
            continue
        scale = float(np.linalg.norm(check.analytical) + np.linalg.norm(check.numerical))
        off = np.abs(check.analytical - check.numerical) > PASS_THRESHOLD * scale
        p = params[check.name]
        for index in zip(*np.nonzero(off), strict=True):
            index = tuple(int(i) for i in index)
            original = p[index]
            sides = []
            for step in (epsilon, -epsilon):
                p[index] = original + step
                with np.errstate(all="ignore"):
                    values = forward(spec.with_params(params), spec.input)
                sides.append([values[i][0] > 0 for i in relus])
            p[index] = original
            crossed = [i for k, i in enumerate(relus) if np.any(sides[0][k] != sides[1][k])]
            if crossed:
                found.append(Kink(check.name, index, crossed[0] + 1))
    return tuple(found)
