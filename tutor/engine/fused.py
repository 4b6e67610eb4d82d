"""A sigmoid output under binary cross-entropy, computed from the logits.

σ(z) rounds to exactly 0 or 1 once |z| passes about 37, so computing the loss from
y = σ(z) needs clipping (a confidently wrong z = 40 would cost a clipped 34.5) and
the chain dL/dy × σ'(z) multiplies a huge number by 0.  From the logits both are
exact: L = max(z, 0) − t·z + log(1 + e^−|z|), and σ'(z) cancels, dL/dz = (y − t)/m.

:func:`sigmoid_output` builds the output node, whose backward step is that fused
derivative (recorded with its rule in words); :func:`bce_loss` builds the loss node
on it, whose record for dL/dy is computed stably too: y − t as (1 − t)·σ(z) − t·σ(−z),
so a saturated and right output (z = 40, t = 1) has dL/dy = −1/y ≈ −1, not 0.
"""

from __future__ import annotations

import numpy as np

from tutor.engine.functions import bce_from_logits, sigmoid, sigmoid_minus_target, sigmoid_slope
from tutor.engine.graph import Array, Contribution, Node, make_node
from tutor.engine.ops import mean_loss
from tutor.engine.trace import Factor, TraceRecord


def sigmoid_output(z: Node, target: Array, label: str) -> Node:
    """a = σ(z) as the last layer of a network trained with binary cross-entropy."""
    with np.errstate(over="ignore"):
        value = sigmoid(z.value)
    m = z.value.shape[1]

    def rule(out: Node, g: Array) -> list[Contribution]:
        difference = sigmoid_minus_target(z.value, target)
        factors = [Factor(f"{out.label} − t", difference)]
        if m > 1:
            factors.append(Factor("1/m", np.asarray(1.0 / m)))
        record = TraceRecord(
            target=f"dL/d{z.label}",
            node=z.label,
            via=out.label,
            factors=tuple(factors),
            value=difference / m,
            rule=f"sigmoid with binary cross-entropy: σ'({z.label}) = {out.label}"
            f"(1 − {out.label}) cancels, so dL/d{z.label} = ({out.label} − t)"
            + (f"/m, averaged over the m = {m} examples" if m > 1 else ""),
        )
        return [(z, record)]

    return make_node(value, label, (z,), f"σ({z.label})", "sigmoid", rule)


def bce_loss(y: Node, target: Node, logits: Node, label: str = "L") -> Node:
    """Binary cross-entropy of the sigmoid output ``y`` = σ(``logits``), from the logits."""
    z, t = logits.value, target.value
    local = [
        Factor(f"{y.label} − t", sigmoid_minus_target(z, t)),
        Factor(f"1/({y.label}(1 − {y.label}))", 1.0 / sigmoid_slope(z)),
    ]
    value = float(np.mean(bce_from_logits(z, t)))
    return mean_loss(y, target, "binary_cross_entropy", value, local, label)
