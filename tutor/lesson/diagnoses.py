"""The known mistakes for a lesson's question, derived from the quantity it asks for.

Lesson authors write no diagnoses: :func:`mistakes_for` asks the engine what each
common mistake gives for the quantity (:mod:`tutor.engine.variants`) and names it
(:mod:`tutor.answers.mistakes`).

- a gradient: each activation's derivative left out, the activation's value used
  for its derivative, the upstream gradient given instead of the product, the sign
  flipped, transposed, 1/m forgotten, the squared error's factor 2; under softmax
  with cross-entropy p alone, softmax forgotten, t − p, one-hot for p, only the right
  class; under a sigmoid with binary cross-entropy σ′ not cancelled and dL/dy for
  dL/dz; where paths meet, one path only and the product of the paths;
- a parameter after one step: unchanged, the update added, the learning rate left out;
- a value: z given for a;
- a shape: transposed, or the shape of dL/dz for dL/dW;
- an init scheme's standard deviation: the variance given, the other scheme, the
  factor 2 left out, the layer's units used for its inputs.

:func:`separable_mistakes` keeps those that can be told apart from the answer.
"""

from __future__ import annotations

import numpy as np

from tutor.answers.grade import Marking
from tutor.answers.mistakes import SYMBOLS, Mistake, mistake, sign_flipped
from tutor.answers.types import DEFAULT_TOLERANCE, DERIVATIVES, Value
from tutor.engine import Derivation, NetworkSpec, derive, sgd_step
from tutor.engine.entry_paths import entry_paths, expandable
from tutor.engine.functions import fused, softmax
from tutor.engine.training import init_std
from tutor.engine.variants import (
    gradients_below,
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
    if q.kind == "init_std" and q.name is not None:
        return init_mistakes(spec, q.name, q.scheme or "he")
    return ()


def asked_functions(q: Quantity, spec: NetworkSpec) -> frozenset[str]:
    """The functions an answer to ``q`` may not apply: it would restate the question.

    A gradient or a step asks for the activations' derivatives to be worked out; the
    value of an activation asks for the activation itself.
    """
    if q.kind in ("grad", "param_after_step"):
        return derivatives_of(spec)
    if q.kind == "value" and q.name is not None and _node(q.name, spec).startswith("a"):
        activation = spec.layers[int(_node(q.name, spec)[1:]) - 1].activation
        return frozenset({activation}) & frozenset(DERIVATIVES)
    return frozenset()


def derivatives_of(spec: NetworkSpec) -> frozenset[str]:
    """The derivative functions of the network's activations (``dsigmoid``, ``dtanh``…)."""
    return frozenset(DERIVATIVES[x.activation] for x in spec.layers if x.activation in DERIVATIVES)


def init_mistakes(spec: NetworkSpec, weight: str, scheme: str) -> tuple[Mistake, ...]:
    """Mistakes in the standard deviation an init scheme draws ``weight`` from, each the
    engine's :func:`~tutor.engine.training.init_std` with one argument taken wrongly."""
    n_out, n_in = spec.params()[weight].shape
    right = init_std(scheme, n_in, n_out)
    other = "xavier" if scheme == "he" else "he"
    found = [
        mistake("variance for std", right**2),
        mistake("init factor 2 left out", right / np.sqrt(2.0)),
        mistake("other init scheme", init_std(other, n_in, n_out), scheme=scheme, other=other),
    ]
    if scheme == "he":
        found.append(mistake("fan out for fan in", init_std("he", n_out, n_in)))
    return tuple(found)


def gradient_mistakes(spec: NetworkSpec, node: str) -> tuple[Mistake, ...]:
    """Mistakes in dL/d``node`` (a parameter ``W2``, ``b1`` or a value ``z1``, ``a2``)."""
    derivation = derive(spec)
    expected = derivation.gradients[node]
    layer = int(node[1:])
    first = layer + 1 if node.startswith("a") else layer  # the activations on the way back
    last = len(spec.layers)
    bce = fused(spec.loss, spec.layers[-1].activation)
    found: list[Mistake] = []
    for j in range(last, first - 1, -1):
        activation = spec.layers[j - 1].activation
        if activation == "linear" or (bce and j == last):  # BCE's σ′ cancels: below
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
    if spec.loss == "cross_entropy":
        found += softmax_mistakes(spec, derivation, node)
    else:
        found.append(sign_flipped(expected, error_term=True))
    if bce:
        found += bce_mistakes(spec, derivation, node)
    found += path_mistakes(spec, derivation, node)
    if expected.ndim == 2 and min(expected.shape) > 1:
        found.append(mistake("transposed", expected.T.copy()))
    if spec.examples > 1:
        found.append(mistake("1/m forgotten", summed_over_examples(spec, node), m=spec.examples))
    other = OTHER_SQUARED_LOSS.get(spec.loss)
    if other is not None:
        key = "factor 2 doubled" if spec.loss == "half_squared_error" else "factor 2 dropped"
        found.append(mistake(key, gradients_with_loss(spec, other)[node]))
    return tuple(found)


def softmax_mistakes(spec: NetworkSpec, derivation: Derivation, node: str) -> list[Mistake]:
    """Softmax with cross-entropy done wrong at the logits, carried down to ``node``.

    p alone (t not subtracted), softmax forgotten (z − t), t − p (the sign), and for
    one-hot targets the predicted class as a one-hot, or the right class only.
    """
    last = f"z{len(spec.layers)}"
    z, t, m = derivation.values[last], spec.target, spec.examples
    p = softmax(z, axis=0)
    at_logits = {"p alone": p / m}
    if np.all(np.isin(t, (0.0, 1.0))) and np.all(t.sum(axis=0) == 1.0):
        hard = (p == p.max(axis=0, keepdims=True)).astype(float)
        at_logits["one-hot for p"] = (hard - t) / m
        at_logits["only the right class"] = np.where(t == 1.0, p - t, 0.0) / m
    found = [mistake("t − p", -derivation.gradients[node])]
    found.append(
        mistake("softmax forgotten", gradients_with_loss(spec, "half_squared_error")[node])
    )
    output = f"a{len(spec.layers)}"  # the identity of the logits: dL/da = dL/dz there
    for key, gradient in at_logits.items():
        below = {output: gradient, **gradients_below(spec, last, gradient)}
        if node in below:
            found.append(mistake(key, below[node]))
    return found


def bce_mistakes(spec: NetworkSpec, derivation: Derivation, node: str) -> list[Mistake]:
    """A sigmoid output under binary cross-entropy: σ′ kept (not cancelled), or dL/dy given
    for dL/dz at the output."""
    found = [mistake("σ' not cancelled", gradients_with_loss(spec, "half_squared_error")[node])]
    count = len(spec.layers)
    if node == f"z{count}":
        found.append(mistake("stopped at dL/dy", derivation.gradients[f"a{count}"]))
    return found


def path_mistakes(spec: NetworkSpec, derivation: Derivation, node: str) -> list[Mistake]:
    """Where a hidden activation's gradient adds several paths (one per unit it feeds): one
    path only, or the paths multiplied, at that activation and carried down to ``node``.

    The nearest such activation at or above ``node`` is the one taken.
    """
    layer = int(node[1:])
    for k in range(layer, len(spec.layers)):
        record = derivation.record_for(f"dL/da{k}")
        if expandable(record):
            break
    else:
        return []
    rows, cols = record.value.shape
    entries = [[entry_paths(derivation, record, r, c) for c in range(cols)] for r in range(rows)]
    count = len(entries[0][0].paths)
    values = np.array([[[float(p.value) for p in e.paths] for e in row] for row in entries])
    found = []
    for q in range(count):
        gradient = values[:, :, q]
        value = gradient if node == f"a{k}" else gradients_below(spec, f"a{k}", gradient)[node]
        found.append(mistake("one path only", value, via=entries[0][0].paths[q].via))
    product = values.prod(axis=2)
    value = product if node == f"a{k}" else gradients_below(spec, f"a{k}", product)[node]
    found.append(mistake("product instead of sum", value))
    return found


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
