"""The known mistakes for a lesson's question, derived from the quantity it asks for.

Lesson authors write no diagnoses: :func:`mistakes_for` asks the engine what each
common mistake gives for the quantity (:mod:`tutor.engine.variants`) and names it
(:mod:`tutor.answers.mistakes`).

- a gradient: each activation's derivative left out, the activation's value used
  for its derivative, the upstream gradient given instead of the product, the sign
  flipped, transposed, 1/m forgotten, the squared error's factor 2;
- a parameter after one step: unchanged, the update added, the learning rate left out;
- a value: z given for a;
- a shape: transposed, or the shape of dL/dz for dL/dW.

:func:`separable_mistakes` keeps those that can be told apart from the answer.
"""

from __future__ import annotations

import numpy as np

from tutor.answers.grade import Marking
from tutor.answers.mistakes import SYMBOLS, Mistake, mistake, sign_flipped
from tutor.answers.types import DEFAULT_TOLERANCE, Value
from tutor.engine import NetworkSpec, derive, sgd_step
from tutor.engine.variants import (
    gradients_with_loss,
    gradients_with_slopes,
    step_added,
    summed_over_examples,
)
from tutor.lesson.model import Quantity

OTHER_SQUARED_LOSS = {"half_squared_error": "squared_error", "squared_error": "half_squared_error"}


def mistakes_for(q: Quantity, spec: NetworkSpec) -> tuple[Mistake, ...]:
    """The known mistakes for quantity ``q`` of ``spec``, in the order they are diagnosed."""
    if q.kind == "grad" and q.name is not None:
        return _picked(gradient_mistakes(spec, _node(q.name, spec)), q.index)
    if q.kind == "param_after_step" and q.name is not None and q.lr is not None:
        return _picked(step_mistakes(spec, q.name, q.lr), q.index)
    if q.kind == "value" and q.name is not None:
        return _picked(value_mistakes(spec, _node(q.name, spec)), q.index)
    if q.kind == "shape" and q.name is not None:
        return shape_mistakes(spec, _node(q.name, spec), of_value=q.of_value)
    return ()


def gradient_mistakes(spec: NetworkSpec, node: str) -> tuple[Mistake, ...]:
    """Mistakes in dL/d``node`` (a parameter ``W2``, ``b1`` or a value ``z1``, ``a2``)."""
    derivation = derive(spec)
    expected = derivation.gradients[node]
    layer = int(node[1:])
    first = layer + 1 if node.startswith("a") else layer  # the activations on the way back
    found: list[Mistake] = []
    for j in range(len(spec.layers), first - 1, -1):
        activation = spec.layers[j - 1].activation
        if activation == "linear":
            continue
        symbol = SYMBOLS[activation]
        left_out = gradients_with_slopes(spec, {j: "one"})[node]
        value = gradients_with_slopes(spec, {j: "value"})[node]
        found += [
            mistake("derivative left out", left_out, f=symbol, z=f"z{j}"),
            mistake("value for derivative", value, f=symbol, z=f"z{j}"),
        ]
    record = derivation.record_for(f"dL/d{node}")
    if record.combine != "sum" and len(record.factors) >= 2:
        upstream, local = record.factors[0], record.factors[1]
        if upstream.value.shape == expected.shape:
            found.append(
                mistake(
                    "upstream gradient only",
                    upstream.value,
                    upstream=upstream.name,
                    local=local.name,
                    target=record.target,
                )
            )
    found.append(sign_flipped(expected, error_term=True))
    if expected.ndim == 2 and min(expected.shape) > 1:
        found.append(mistake("transposed", expected.T.copy()))
    if spec.examples > 1:
        found.append(mistake("1/m forgotten", summed_over_examples(spec, node), m=spec.examples))
    other = OTHER_SQUARED_LOSS.get(spec.loss)
    if other is not None:
        key = "factor 2 doubled" if spec.loss == "half_squared_error" else "factor 2 dropped"
        found.append(mistake(key, gradients_with_loss(spec, other)[node]))
    return tuple(found)


def step_mistakes(spec: NetworkSpec, name: str, lr: float) -> tuple[Mistake, ...]:
    """Mistakes in parameter ``name`` after one gradient-descent step at rate ``lr``."""
    return (
        mistake("unchanged", spec.params()[name], p=name),
        mistake("update added", step_added(spec, lr, name)),
        mistake("learning rate left out", sgd_step(spec, 1.0).params()[name]),
    )


def value_mistakes(spec: NetworkSpec, node: str) -> tuple[Mistake, ...]:
    """Mistakes in the value of ``node``: z given for an activation a."""
    if not node.startswith("a"):
        return ()
    layer = int(node[1:])
    activation = spec.layers[layer - 1].activation
    if activation == "linear":
        return ()
    z = derive(spec).values[f"z{layer}"]
    return (mistake("z for a", z, layer=layer, f=SYMBOLS[activation]),)


def shape_mistakes(spec: NetworkSpec, node: str, *, of_value: bool) -> tuple[Mistake, ...]:
    """Mistakes in a shape: transposed, or dL/dz's shape given for dL/dW's."""
    derivation = derive(spec)
    array = derivation.values.get(node) if of_value else derivation.gradients.get(node)
    if array is None:
        array = spec.params()[node]
    shape = tuple(int(n) for n in array.shape)
    found = [mistake("transposed", shape[::-1])] if len(set(shape)) > 1 else []
    if not of_value and node.startswith("W"):
        z_shape = tuple(int(n) for n in derivation.gradients[f"z{node[1:]}"].shape)
        found.append(mistake("activation shape", z_shape))
    return tuple(found)


def separable_mistakes(
    expected: Value, mistakes: tuple[Mistake, ...], tolerance: float = DEFAULT_TOLERANCE
) -> tuple[tuple[Mistake, ...], tuple[Mistake, ...]]:
    """The mistakes that can be told apart from ``expected``, and those that cannot."""
    kept = tuple(m for m in mistakes if Marking.of(expected, tolerance, (m,)).separable)
    return kept, tuple(m for m in mistakes if m not in kept)


def _node(name: str, spec: NetworkSpec) -> str:
    """The graph's label for a quantity's name: ``y`` is the last activation."""
    return f"a{len(spec.layers)}" if name == "y" else name


def _picked(mistakes: tuple[Mistake, ...], index: tuple[int, int] | None) -> tuple[Mistake, ...]:
    """The mistakes at one entry ``index`` (row, column; 0-based), or whole."""
    if index is None:
        return tuple(Mistake(m.name, m.description, _scalar(np.asarray(m.value))) for m in mistakes)
    row, col = index
    picked = []
    for m in mistakes:
        value = np.asarray(m.value)
        if value.ndim == 2 and row < value.shape[0] and col < value.shape[1]:
            picked.append(Mistake(m.name, m.description, float(value[row, col])))
    return tuple(picked)


def _scalar(value: np.ndarray) -> Value:
    """A size-1 array as the float the quantity's answer is."""
    return float(value.item()) if value.size == 1 else value
