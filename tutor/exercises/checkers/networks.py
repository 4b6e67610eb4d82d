"""The named mistakes in a network's gradients, computed once per case by the engine.

Provides :func:`gradient_variants`: for every gradient the engine derives for a
network with the loss ½·Σ(y − t)² averaged over the examples (parameters W, b
and the values z, a), the wrong results a learner's backward pass is known to
produce, each with the mistake in words.
"""

from __future__ import annotations

import numpy as np

from tutor.engine import NetworkSpec, derive, variants
from tutor.exercises.judge import Variant


def gradient_variants(spec: NetworkSpec) -> dict[str, tuple[Variant, ...]]:
    """For each gradient label (``W2``, ``b2``, ``z2``, ``a2``, …), its known wrong values."""
    gradients = derive(spec).gradients
    doubled = variants.gradients_with_loss(spec, "squared_error")
    summed = {name: variants.summed_over_examples(spec, name) for name in spec.params()}
    count = len(spec.layers)
    left_out = {k: variants.gradients_with_slopes(spec, {k: "one"}) for k in range(count, 0, -1)}
    m = spec.examples
    found: dict[str, tuple[Variant, ...]] = {}
    for name, g in gradients.items():
        layer = int(name[1:])
        wrong = [
            Variant(
                "factor 2: that is the gradient of (y − t)², not of ½(y − t)²; dL/dy = (y − t)/m",
                doubled[name],
            ),
            *(
                Variant(
                    f"the sigmoid's derivative is left out at layer {k}: "
                    f"dL/dz{k} = dL/da{k} ⊙ a{k}(1 − a{k})",
                    grads[name],
                )
                for k, grads in left_out.items()
                if name in grads
            ),
            Variant("sign flipped: dL/dy is (y − t)/m, not (t − y)/m", -g),
            Variant(
                "1/m forgotten: the loss is the mean over the m examples, so dL/dy = (y − t)/m",
                summed[name] if name[0] in "Wb" else g * m,
            ),
            Variant("divided by m twice: the 1/m is already in dL/dy", g / m),
        ]
        if name.startswith("b"):
            wrong.append(
                Variant(
                    f"the bias gradient is not summed over the examples: dL/d{name} is "
                    f"dL/dz{layer} summed along each row (keepdims=True)",
                    gradients[f"z{layer}"],
                )
            )
        if name.startswith("W"):
            before = "x" if layer == 1 else f"a{layer - 1}"
            wrong.append(
                Variant(
                    f"transposed: dL/d{name} = dL/dz{layer} · {before}ᵀ has the shape of {name}",
                    np.ascontiguousarray(g.T),
                )
            )
        found[name] = tuple(wrong)
    return found
