"""Engine quantities that quiz answers name, e.g. ``grad W2 of tiny``.

Provides :func:`parse_quantity` (text → :class:`~tutor.lesson.model.Quantity`, or a
:class:`QuantityError` saying which forms exist), :func:`evaluate` (the value the
engine computes), :func:`solution_records` (the engine's chain-rule records that
lead to it, for worked solutions), :func:`vary_spec` / :func:`vary_corners`
(randomised or extreme versions of a network for a quiz's ``vary`` table),
:func:`placeholder_text` and :func:`render_question` (``{x}``, ``{W1}``, … in a
question replaced by values; only the placeholders a question holds are formatted).
Every number comes from :mod:`tutor.engine`; nothing here is evaluated as code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np

from tutor.answers.types import Value
from tutor.engine import NetworkSpec, TraceRecord, derive, loss_of, sgd_step
from tutor.engine.functions import softmax
from tutor.engine.training import init_std
from tutor.lesson.model import NetworkBlock, Quantity, QuantityKind
from tutor.text.numbers import format_shape, format_value

Networks = NetworkSpec | Mapping[str, NetworkBlock | NetworkSpec]

FORMS = (
    "value NAME of NET",
    "grad NAME of NET",
    "loss of NET",
    "NAME after one step of NET with lr LR",
    "loss after one step of NET with lr LR",
    "shape of grad NAME of NET",
    "shape of value NAME of NET",
    "he std of Wi of NET",
)
VARY_ALIASES = {"input": "x", "target": "t"}
PLACEHOLDER = re.compile(r"\{(?P<name>[A-Za-z]\w*)(?:\[(?P<row>[1-9]\d*),(?P<col>[1-9]\d*)\])?\}")
"""A placeholder a question can fill in: ``{W1}`` or one entry, ``{W1[2,1]}``."""

_NET = r"(?P<net>[A-Za-z0-9][A-Za-z0-9_-]*)"
_NAME = r"(?P<name>[^\s\[]+(?:\[[^\]]*\])?)"
_LR = r"(?P<lr>\S+)"
PatternKind = QuantityKind | Literal["shape_grad", "shape_value"]
"""A quantity's kind as its wording tells it (a shape is of a gradient or of a value)."""
_WORDINGS: tuple[tuple[PatternKind, str], ...] = (
    ("init_std", rf"(?P<scheme>he|xavier) std of {_NAME} of {_NET}"),
    ("shape_grad", rf"shape of grad {_NAME} of {_NET}"),
    ("shape_value", rf"shape of value {_NAME} of {_NET}"),
    ("loss_after_step", rf"loss after one step of {_NET} with lr {_LR}"),
    ("loss", rf"loss of {_NET}"),
    ("value", rf"value {_NAME} of {_NET}"),
    ("grad", rf"grad {_NAME} of {_NET}"),
    ("param_after_step", rf"{_NAME} after one step of {_NET} with lr {_LR}"),
)
_PATTERNS = tuple((kind, re.compile(wording + r"\Z")) for kind, wording in _WORDINGS)
_NAME_SYNTAX = re.compile(r"(?P<base>[A-Za-z]+\d*)(?:\[(?P<row>[^,\]]*),(?P<col>[^\]]*)\])?\Z")
_LAYERED = re.compile(r"(?P<letter>[Wbza])(?P<layer>\d+)\Z")


class QuantityError(ValueError):
    """A quantity that cannot be read or computed; ``str()`` says why, for an author."""


def parse_quantity(text: str) -> Quantity:
    """Read an answer such as ``W1[2,1] after one step of tiny with lr 0.1``."""
    if not isinstance(text, str):
        raise QuantityError('the answer must be a string such as "grad W2 of tiny"')
    cleaned = " ".join(text.split())
    cleaned = re.sub(r"\[\s*([^\],]*?)\s*,\s*([^\]]*?)\s*\]", r"[\1,\2]", cleaned)
    for kind, pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if match is None:
            continue
        groups = match.groupdict()
        lr = _learning_rate(groups["lr"]) if groups.get("lr") else None
        if kind == "loss" or kind == "loss_after_step":
            return Quantity(kind, groups["net"], cleaned, lr=lr)
        name, index = parse_name(groups["name"])
        if kind == "init_std":
            if index is not None or not re.fullmatch(r"W[1-9]\d*", name):
                raise QuantityError(f"`{cleaned}`: name a weight matrix, e.g. W2")
            return Quantity("init_std", groups["net"], cleaned, name=name, scheme=groups["scheme"])
        if kind == "shape_grad" or kind == "shape_value" or kind == "shape":
            if index is not None:
                raise QuantityError(f"`{cleaned}`: a single entry has no shape; drop the [row,col]")
            of_value = kind == "shape_value"
            name = _check_name(name, "value" if of_value else "grad")
            return Quantity("shape", groups["net"], cleaned, name=name, of_value=of_value)
        name = _check_name(name, kind)
        return Quantity(kind, groups["net"], cleaned, name=name, index=index, lr=lr)
    raise QuantityError(
        f"can't read the answer `{cleaned}`: use one of "
        + "; ".join(f"`{form}`" for form in FORMS)
        + " (NAME is x, t, y, p, W1, b1, z1, a1, …, or one entry such as W1[2,1])"
    )


def parse_name(text: str) -> tuple[str, tuple[int, int] | None]:
    """``"W1[2,1]"`` → ``("W1", (1, 0))``: the name and the 0-based entry, if one is picked."""
    match = _NAME_SYNTAX.match(text.replace(" ", ""))
    if match is None:
        raise QuantityError(f"`{text}` is not a name: use x, t, y, W1, b1, z1, a1, … or W1[2,1]")
    base = match.group("base")
    if match.group("row") is None:
        return base, None
    try:
        row, col = int(match.group("row")), int(match.group("col"))
    except ValueError:
        raise QuantityError(
            f"`{text}`: an entry is picked by two whole numbers, e.g. {base}[2,1]"
        ) from None
    if row < 1 or col < 1:
        raise QuantityError(f"`{text}`: rows and columns are numbered from 1, e.g. {base}[1,1]")
    return base, (row - 1, col - 1)


def _check_name(name: str, kind: str) -> str:
    allowed = {
        "value": "x, t, y, p, W1, b1, z1, a1, …",
        "grad": "y, W1, b1, z1, a1, … (the gradient of the loss with respect to it)",
        "param_after_step": "a parameter: W1, b1, W2, …",
    }[kind]
    layered = _LAYERED.match(name)
    ok = {
        "value": name in ("x", "t", "y", "p") or layered is not None,
        "grad": name == "y" or layered is not None,
        "param_after_step": layered is not None and layered.group("letter") in "Wb",
    }[kind]
    if not ok or (layered is not None and int(layered.group("layer")) < 1):
        raise QuantityError(f"`{name}` can't be used here: use {allowed}")
    return name


def _learning_rate(text: str) -> float:
    try:
        lr = float(text)
    except ValueError:
        lr = math.nan
    if not (math.isfinite(lr) and lr > 0):
        raise QuantityError(f"the learning rate `{text}` must be a positive number, e.g. 0.1")
    return lr


def answer_kind(q: Quantity) -> str | None:
    """The ``kind`` for :func:`~tutor.answers.parse.parse_answer`: "shape" or None (any value)."""
    return "shape" if q.kind == "shape" else None


def network_for(q: Quantity, networks: Networks) -> NetworkSpec:
    """The spec ``q`` is about: ``networks`` itself, or its entry named ``q.network``."""
    if isinstance(networks, NetworkSpec):
        return networks
    found = networks.get(q.network)
    if found is None:
        known = ", ".join(f"`{name}`" for name in networks) or "none"
        raise QuantityError(f"there is no network `{q.network}` (networks: {known})")
    return found.spec if isinstance(found, NetworkBlock) else found


def evaluate(q: Quantity, networks: Networks) -> Value:
    """The engine's value of ``q``: a float, an array, or a shape (tuple of ints)."""
    spec = network_for(q, networks)
    if q.kind == "loss":
        return float(derive(spec).loss)
    if q.kind == "loss_after_step":
        return float(loss_of(sgd_step(spec, _lr(q))))
    assert q.name is not None
    _check_exists(q.name, spec, q.network)
    if q.kind == "init_std":
        n_out, n_in = spec.params()[q.name].shape
        return init_std(q.scheme or "he", n_in, n_out)
    if q.kind == "value":
        array = _value_array(q.name, spec)
    elif q.kind == "grad":
        array = derive(spec).gradients[_grad_label(q.name, spec)]
    elif q.kind == "param_after_step":
        array = sgd_step(spec, _lr(q)).params()[q.name]
    else:
        array = _shape_source(q, spec)
        return tuple(int(n) for n in array.shape)
    return _pick(np.asarray(array, dtype=np.float64), q)


def _lr(q: Quantity) -> float:
    if q.lr is None:
        raise QuantityError(f"`{q.text}` needs a learning rate: add `with lr 0.1`")
    return q.lr


def _shape_source(q: Quantity, spec: NetworkSpec) -> np.ndarray:
    assert q.name is not None
    if q.of_value:
        return _value_array(q.name, spec)
    return derive(spec).gradients[_grad_label(q.name, spec)]


def _value_array(name: str, spec: NetworkSpec) -> np.ndarray:
    if name == "x":
        return spec.input
    if name == "t":
        return spec.target
    if name in spec.params():
        return spec.params()[name]
    values = derive(spec).values
    output = values[f"a{len(spec.layers)}"]
    if name == "p":
        return softmax(output, axis=0)
    return output if name == "y" else values[name]


def _grad_label(name: str, spec: NetworkSpec) -> str:
    return f"a{len(spec.layers)}" if name == "y" else name


def _check_exists(name: str, spec: NetworkSpec, network: str) -> None:
    if name == "p" and spec.loss != "cross_entropy":
        raise QuantityError(
            f"p (the softmax probabilities) belongs to a cross_entropy network; "
            f"`{network}` uses {spec.loss}"
        )
    layered = _LAYERED.match(name)
    if layered is None:
        return
    layer = int(layered.group("layer"))
    count = len(spec.layers)
    if layer > count:
        layers = "1 layer" if count == 1 else f"{count} layers"
        raise QuantityError(f"network `{network}` has {layers}, so there is no {name}")
    if layered.group("letter") == "b" and spec.layers[layer - 1].b is None:
        raise QuantityError(f"layer {layer} of `{network}` has no bias, so there is no {name}")


def _pick(array: np.ndarray, q: Quantity) -> float | np.ndarray:
    if q.index is None:
        return float(array.item()) if array.size == 1 else array
    row, col = q.index
    if array.ndim != 2 or row >= array.shape[0] or col >= array.shape[1]:
        raise QuantityError(
            f"{q.name} has shape {format_shape(array.shape)}, "
            f"so entry [{row + 1},{col + 1}] is outside it"
        )
    return float(array[row, col])


def solution_records(q: Quantity, networks: Networks) -> tuple[TraceRecord, ...]:
    """The engine's trace records that lead to ``q``, in the order they were computed.

    A gradient (or a parameter after a step) needs the records on every path from
    the loss back to its node; the loss after a step needs every parameter's.
    Values and the loss itself come from the forward pass: no records.
    """
    spec = network_for(q, networks)
    if q.kind in ("value", "loss", "init_std") or (q.kind == "shape" and q.of_value):
        return ()
    derivation = derive(spec)
    if q.kind == "loss_after_step":
        return derivation.trace
    assert q.name is not None
    _check_exists(q.name, spec, q.network)
    start = _grad_label(q.name, spec)
    children: dict[str, list[str]] = {}
    for node in derivation.graph:
        for parent in node.parents:
            children.setdefault(parent, []).append(node.label)
    needed = {start}
    frontier = [start]
    while frontier:
        for child in children.get(frontier.pop(), ()):
            if child not in needed:
                needed.add(child)
                frontier.append(child)
    last = max(i for i, r in enumerate(derivation.trace) if r.node == start)
    return tuple(r for r in derivation.trace[: last + 1] if r.node in needed)


def _vary_target(key: str, spec: NetworkSpec) -> tuple[str, tuple[int, int] | None]:
    name, index = parse_name(key)
    name = VARY_ALIASES.get(name, name)
    arrays = {"x": spec.input, "t": spec.target, **spec.params()}
    if name not in arrays:
        known = ", ".join(arrays)
        raise QuantityError(f"`{key}` can't be varied: it is not one of {known}")
    if index is not None:
        shape = arrays[name].shape
        if index[0] >= shape[0] or index[1] >= shape[1]:
            raise QuantityError(f"`{key}` is outside {name}, which has shape {format_shape(shape)}")
    return name, index


def check_vary(vary: Mapping[str, tuple[float, float]], spec: NetworkSpec) -> None:
    """Raise :class:`QuantityError` if a ``vary`` key names nothing in ``spec``."""
    for key in vary:
        _vary_target(key, spec)


Draw = Callable[[float, float, tuple[int, ...]], np.ndarray]


def _apply_vary(
    spec: NetworkSpec, vary: Mapping[str, tuple[float, float]], draw: Draw
) -> NetworkSpec:
    arrays = {"x": spec.input.copy(), "t": spec.target.copy()}
    params = {name: p.copy() for name, p in spec.params().items()}
    arrays.update(params)
    for key, (low, high) in vary.items():
        name, index = _vary_target(key, spec)
        target = arrays[name]
        if index is None:
            target[...] = draw(low, high, target.shape)
        else:
            target[index] = draw(low, high, ())
    varied = spec.with_data(arrays["x"], arrays["t"])
    return varied.with_params({name: arrays[name] for name in params})


def vary_spec(
    spec: NetworkSpec, vary: Mapping[str, tuple[float, float]], rng: np.random.Generator
) -> NetworkSpec:
    """``spec`` with each varied entry drawn uniformly from its range, rounded to 2 decimals."""

    def draw(low: float, high: float, shape: tuple[int, ...]) -> np.ndarray:
        return np.round(rng.uniform(low, high, size=shape), 2)

    return _apply_vary(spec, vary, draw)


def vary_corners(
    spec: NetworkSpec, vary: Mapping[str, tuple[float, float]]
) -> tuple[NetworkSpec, NetworkSpec]:
    """``spec`` with every varied entry at the low end of its range, and at the high end."""
    low = _apply_vary(spec, vary, lambda lo, hi, shape: np.full(shape, lo, dtype=np.float64))
    high = _apply_vary(spec, vary, lambda lo, hi, shape: np.full(shape, hi, dtype=np.float64))
    return low, high


def drawn_values(
    spec: NetworkSpec, vary: Mapping[str, tuple[float, float]]
) -> dict[str, float | list[Any]]:
    """The values ``spec`` has at each ``vary`` key: a number, or nested lists for a matrix."""
    arrays = _arrays(spec)
    found: dict[str, float | list[Any]] = {}
    for key in vary:
        name, index = _vary_target(key, spec)
        found[key] = float(arrays[name][index]) if index is not None else arrays[name].tolist()
    return found


def with_values(spec: NetworkSpec, values: Mapping[str, float | list[Any]]) -> NetworkSpec:
    """``spec`` with the entries named as in a ``vary`` table set to ``values``.

    Raises :class:`QuantityError` when a value no longer fits (the lesson changed).
    """
    given = {key: np.asarray(value, dtype=np.float64) for key, value in values.items()}
    found = spec
    for key, value in given.items():
        name, index = _vary_target(key, found)
        wanted = () if index is not None else _arrays(found)[name].shape
        if value.shape != wanted or not np.all(np.isfinite(value)):
            raise QuantityError(f"`{key}` no longer has the shape {format_shape(value.shape)}")
        found = _apply_vary(found, {key: (0.0, 0.0)}, _fixed(value))
    return found


def _fixed(value: np.ndarray) -> Draw:
    """A draw that gives ``value`` whatever the range."""
    return lambda low, high, shape: value


def _arrays(spec: NetworkSpec) -> dict[str, np.ndarray]:
    return {"x": spec.input, "t": spec.target, **spec.params()}


def placeholder_text(placeholder: str, spec: NetworkSpec, *, lr: float | None = None) -> str | None:
    """What ``{x}``, ``{t}``, ``{W1}``, ``{b1}``, ``{W1[2,1]}`` or ``{lr}`` shows; None if nothing.

    Only the array (or entry) named is formatted, and a large array is summarised.
    """
    match = PLACEHOLDER.fullmatch(placeholder)
    if match is None:
        return None
    name, row, col = match.group("name", "row", "col")
    if name == "lr":
        return None if lr is None or row is not None else format_value(lr)
    arrays = {"x": spec.input, "input": spec.input, "t": spec.target, "target": spec.target}
    array = arrays.get(name)
    if array is None:
        array = spec.params().get(name)
    if array is None:
        return None
    if row is None:
        return format_value(float(array.item()) if array.size == 1 else np.asarray(array))
    index = (int(row) - 1, int(col) - 1)
    if array.ndim != 2 or index[0] >= array.shape[0] or index[1] >= array.shape[1]:
        return None
    return format_value(float(array[index]))


def render_question(text: str, spec: NetworkSpec, *, lr: float | None = None) -> str:
    """``text`` with each placeholder :func:`placeholder_text` knows replaced by its value.

    One pass over the text: other braces, and placeholders naming nothing, stay as they are.
    """

    def shown(match: re.Match[str]) -> str:
        value = placeholder_text(match.group(0), spec, lr=lr)
        return match.group(0) if value is None else value

    return PLACEHOLDER.sub(shown, text)
