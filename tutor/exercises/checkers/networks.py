"""The named mistakes in a network's gradients, computed once per case by the engine.

Provides :func:`gradient_variants`: for every gradient the engine derives for a
network with the loss ½·Σ(y − t)² averaged over the examples (parameters W, b
and the values z, a), the wrong results a learner's backward pass is known to
produce, each with the mistake in words and the layer it is made at.
"""

from __future__ import annotations

import numpy as np

from tutor.engine import NetworkSpec, derive, variants
from tutor.engine.gradcheck import relative_error
from tutor.engine.network import Derivation
from tutor.engine.variants import LayerMistake
from tutor.exercises.judge import TOLERANCE, Variant


def _before(layer: int) -> str:
    return "x" if layer == 1 else f"a{layer - 1}"


def _layer_mistakes(spec: NetworkSpec) -> list[tuple[str, dict[str, np.ndarray]]]:
    """(the mistake in words, every gradient with it made), for each layer's known mistakes."""
    count = len(spec.layers)
    found = []
    for k in range(count, 0, -1):

        def wrong(mistake: LayerMistake, k: int = k) -> dict[str, np.ndarray]:
            return variants.gradients_with_mistakes(spec, {k: mistake})

        found += [
            (
                f"the sigmoid's derivative is left out at layer {k}: "
                f"dL/dz{k} = dL/da{k} ⊙ a{k}(1 − a{k})",
                wrong(LayerMistake(slope="one")),
            ),
            (
                f"z{k}(1 − z{k}) for σ′(z{k}) at layer {k}: the formula a(1 − a) takes "
                f"a{k} = σ(z{k}), not z{k}",
                wrong(LayerMistake(slope="z")),
            ),
            (
                f"σ(z{k}) for σ′(z{k}) at layer {k}: the derivative is a{k}(1 − a{k}), not a{k}",
                wrong(LayerMistake(slope="value")),
            ),
            (
                f"reshape where a transpose belongs at layer {k}: {_before(k)}.reshape(m, n) "
                f"keeps the entries in memory order; dL/dW{k} = dL/dz{k} · {_before(k)}ᵀ (.T)",
                wrong(LayerMistake(input_seen="reshape")),
            ),
        ]
        if k > 1:
            found += [
                (
                    f"z{k - 1} where a{k - 1} belongs at layer {k}: dL/dW{k} = dL/dz{k} · "
                    f"a{k - 1}ᵀ with a{k - 1} = σ(z{k - 1}), the layer's input",
                    wrong(LayerMistake(input_seen="z")),
                ),
                (
                    f"W{k}.reshape(…) where W{k}ᵀ belongs at layer {k}: dL/da{k - 1} = "
                    f"W{k}ᵀ · dL/dz{k} (.T; reshape keeps the entries in memory order)",
                    wrong(LayerMistake(weight_seen="reshape")),
                ),
            ]
        for other in range(1, count + 1):
            same = spec.layers[other - 1].W.shape == spec.layers[k - 1].W.shape
            if other != k and k > 1 and same:
                found.append(
                    (
                        f"W{other} where W{k} belongs at layer {k}: dL/da{k - 1} = "
                        f"W{k}ᵀ · dL/dz{k}",
                        wrong(LayerMistake(weight_from=other)),
                    )
                )
            rows = spec.layers[other - 1].W.shape[0] == spec.layers[k - 1].W.shape[0]
            if abs(other - k) == 1 and rows:
                found.append(
                    (
                        f"σ′ of layer {other} used at layer {k} (off by one layer): "
                        f"dL/dz{k} = dL/da{k} ⊙ a{k}(1 − a{k})",
                        wrong(LayerMistake(slope_from=other)),
                    )
                )
    return found


def _off_by_one(d: Derivation, layer: int) -> np.ndarray:
    """dL/dW at ``layer`` with the layer's own output where its input belongs (a_k for a_k−1)."""
    return d.gradients[f"z{layer}"] @ d.values[f"a{layer}"].T


def gradient_variants(spec: NetworkSpec) -> dict[str, tuple[Variant, ...]]:
    """For each gradient label (``W2``, ``b2``, ``z2``, ``a2``, …), its known wrong values."""
    d = derive(spec)
    gradients = d.gradients
    doubled = variants.gradients_with_loss(spec, "squared_error")
    summed = {name: variants.summed_over_examples(spec, name) for name in spec.params()}
    per_layer = _layer_mistakes(spec)
    m = spec.examples
    found: dict[str, tuple[Variant, ...]] = {}
    for name, g in gradients.items():
        layer = int(name[1:])
        wrong = [
            Variant(
                "factor 2: that is the gradient of (y − t)², not of ½(y − t)²; dL/dy = (y − t)/m",
                doubled[name],
            ),
            *(Variant(message, grads[name]) for message, grads in per_layer if name in grads),
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
            before = _before(layer)
            wrong.append(
                Variant(
                    f"transposed: dL/d{name} = dL/dz{layer} · {before}ᵀ has the shape of {name}",
                    np.ascontiguousarray(g.T),
                )
            )
            wrong.append(
                Variant(
                    f"a{layer} where {before} belongs at layer {layer} (off by one layer): "
                    f"dL/d{name} = dL/dz{layer} · {before}ᵀ takes the layer's input",
                    _off_by_one(d, layer),
                )
            )
        found[name] = tuple(v for v in wrong if not _same(v.value, g))
    return found


def _same(value: np.ndarray, right: np.ndarray) -> bool:
    """Whether a variant gives the right result here (then it cannot name anything)."""
    return value.shape == right.shape and relative_error(value, right) < TOLERANCE
