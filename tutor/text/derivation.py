"""Words and numbers for the engine's records: one forward step, one chain-rule product,
its hints, a network in one line, one descent step (no Textual here).

Below :mod:`tutor.lesson` and :mod:`tutor.quiz` (the walk's hints, a question's update
use them); :mod:`tutor.present.derivation` lays these out into a derivation.

A scalar record reads ``dL/dz2 = dL/da2 × da2/dz2 = (−0.378) × (0.2351) = −0.08888``;
an array record names the shapes that combine and shows the resulting matrix.
"""

from __future__ import annotations

import numpy as np

from tutor.engine import ForwardStep, NetworkSpec, TraceRecord
from tutor.text.numbers import format_array, format_distinct, format_number, format_shape

FORWARD = "Forward pass"
BACKWARD = "Backward pass (each chain-rule product, in the order computed)"
"""The two passes' headings."""
MAX_SHOWN_ENTRIES = 16
"""Arrays up to this size are written out in full; larger ones by their shape."""


def _num(value: np.ndarray, ascii: bool = False) -> str:
    return format_number(np.asarray(value).item(), ascii=ascii)


def forward_line(step: ForwardStep, *, ascii: bool = False) -> str:
    """``z1 = W1·x + b1 = 0.5`` with the operands substituted when they are numbers."""
    head = f"{step.label} = {step.formula}"
    if step.value.size > MAX_SHOWN_ENTRIES:
        return f"{head}   shape {format_shape(step.value.shape)}"
    if step.value.size != 1:
        return (
            f"{head} = {format_array(step.value, ascii=ascii)}   {format_shape(step.value.shape)}"
        )
    if all(f.value.size == 1 for f in step.inputs) and step.rule == "weighted sum":
        numbers = _substitute_weighted_sum(step, ascii)
        return f"{head} = {numbers} = {_num(step.value, ascii)}"
    return f"{head} = {_num(step.value, ascii)}"


def on_the_way_lines(step: ForwardStep, *, ascii: bool = False) -> list[str]:
    """``p = softmax(a1) = [[0.2], [0.5], [0.3]]   (3, 1)``: values met on the way to a value."""
    lines = []
    for factor in step.on_the_way:
        if factor.value.size > MAX_SHOWN_ENTRIES:
            lines.append(f"{factor.name}   shape {format_shape(factor.value.shape)}")
        elif factor.value.size == 1:
            lines.append(f"{factor.name} = {_num(factor.value, ascii)}")
        else:
            shape = format_shape(factor.value.shape)
            lines.append(f"{factor.name} = {format_array(factor.value, ascii=ascii)}   {shape}")
    return lines


def _substitute_weighted_sum(step: ForwardStep, ascii: bool) -> str:
    w, a, *rest = step.inputs
    text = f"({_num(w.value, ascii)}) × ({_num(a.value, ascii)})"
    if rest:
        text += f" + ({_num(rest[0].value, ascii)})"
    return text


def record_line(record: TraceRecord, *, ascii: bool = False) -> str:
    """The product in symbols, then numbers (for scalars) or shapes (for arrays)."""
    head = f"{record.target} = {record.expression}"
    if record.is_scalar:
        factors = [f"({_num(f.value, ascii)})" for f in record.factors]
        joiner = " + " if record.combine == "sum" else " × "
        if len(factors) == 1:
            return f"{head} = {_num(record.value, ascii)}"
        return f"{head} = {joiner.join(factors)} = {_num(record.value, ascii)}"
    shapes = _shape_story(record)
    return f"{head}   {shapes}"


def _shape_story(record: TraceRecord) -> str:
    shapes = [format_shape(np.shape(f.value)) for f in record.factors]
    result = format_shape(record.value.shape)
    if record.combine == "matmul_rt":
        return f"{shapes[0]} · {shapes[1]}ᵀ → {result}"
    if record.combine == "lt_matmul":
        return f"{shapes[1]}ᵀ · {shapes[0]} → {result}"
    if record.combine == "sum":
        return f"{' + '.join(shapes)} → {result}"
    return f"{' ⊙ '.join(shapes)} → {result}"


def record_hints(record: TraceRecord) -> tuple[str, str]:
    """Two hints for predicting a record: the product in symbols, then its factors' values."""
    if record.combine == "sum":
        first = f"{record.target} adds up the paths: {record.expression}."
    else:
        first = f"{record.target} = {record.expression}: the chain rule ({record.rule})."
    values = "; ".join(
        f"{factor.name} = {format_array(factor.value)}"
        for factor in record.factors
        if factor.value.size <= MAX_SHOWN_ENTRIES
    )
    return first, f"The factors: {values}." if values else f"The shapes: {_shape_story(record)}."


def record_value(record: TraceRecord, *, ascii: bool = False) -> str:
    """The value of a record as text (a number or a matrix)."""
    return format_array(record.value, ascii=ascii)


def network_summary(spec: NetworkSpec) -> str:
    """``2 → 4 → 1 (sigmoid, sigmoid), loss half_squared_error, 4 examples, 17 parameters``."""
    sizes = " → ".join(str(n) for n in spec.sizes)
    activations = ", ".join(layer.activation for layer in spec.layers)
    examples = "1 example" if spec.examples == 1 else f"{spec.examples} examples"
    count = spec.parameter_count()
    params = "1 parameter" if count == 1 else f"{count} parameters"
    return f"{sizes} ({activations}), loss {spec.loss}, {examples}, {params}"


def update_text(
    before: NetworkSpec,
    after: NetworkSpec,
    loss_before: float,
    loss_after: float,
    lr: float,
    *,
    ascii: bool = False,
) -> str:
    """One gradient-descent step: each parameter old → new, and the loss old → new."""
    lines = [f"After one gradient-descent step with learning rate {format_number(lr, ascii=ascii)}"]
    new_params = after.params()
    for name, old in before.params().items():
        new = new_params[name]
        if old.size == 1:
            old_text, new_text = format_distinct([old.item(), new.item()], ascii=ascii)
        else:
            old_text, new_text = format_array(old, ascii=ascii), format_array(new, ascii=ascii)
        lines.append(f"  {name}: {old_text} → {new_text}")
    old_loss, new_loss = format_distinct([loss_before, loss_after], ascii=ascii)
    change = (loss_after - loss_before) / loss_before * 100 if loss_before else 0.0
    lines.append(f"  loss: {old_loss} → {new_loss} ({format_number(change, 3, ascii=ascii)} %)")
    return "\n".join(lines)
