"""What a finished run means: the predictions table and a verdict in words.

Provides :class:`PredictionRow` and :func:`prediction_rows` (input, target,
output, rounded output and whether it is right, per training example, from the
engine's ``predict``) and :func:`outcome_text`, which tells the learner whether
the network learned, got stuck on a plateau, overshot, diverged or was stopped,
and what to try.  Every number comes from the engine.  No Textual.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tutor.engine import NetworkSpec, predict
from tutor.engine.functions import softmax
from tutor.numbers import format_number
from tutor.trainer.progress import STOPPED, RunHistory

REGRESSION_TOLERANCE = 0.05
"""For targets that are not whole numbers: an output within this (relative, at least
absolute) distance of its target counts as right."""
PLATEAU_CHANGE = 0.01
"""A run whose loss changed by less than this fraction of its start is on a plateau."""


@dataclass(frozen=True)
class PredictionRow:
    """One training example: what went in, what was wanted, what came out."""

    input: tuple[float, ...]
    target: tuple[float, ...]
    output: tuple[float, ...]
    rounded: tuple[float, ...]
    correct: bool


def prediction_rows(spec: NetworkSpec) -> list[PredictionRow]:
    """A row per example (column) of the spec's own data.

    With ``cross_entropy`` the output is the softmax probabilities and the rounded
    output the one-hot class; with whole-number targets it is rounded to the
    nearest integer; otherwise it is right within :data:`REGRESSION_TOLERANCE`.
    """
    output = predict(spec)
    target = spec.target
    if spec.loss == "cross_entropy":
        output = softmax(output, axis=0)
        rounded = np.eye(output.shape[0])[:, np.argmax(output, axis=0)]
        correct = np.argmax(output, axis=0) == np.argmax(target, axis=0)
    elif np.all(target == np.round(target)):
        rounded = np.round(output)
        correct = np.all(rounded == target, axis=0)
    else:
        rounded = np.round(output, 2)
        scale = np.maximum(1.0, np.abs(target))
        correct = np.all(np.abs(output - target) <= REGRESSION_TOLERANCE * scale, axis=0)
    return [
        PredictionRow(
            input=tuple(float(v) for v in spec.input[:, j]),
            target=tuple(float(v) for v in target[:, j]),
            output=tuple(float(v) for v in output[:, j]),
            rounded=tuple(float(v) for v in rounded[:, j]),
            correct=bool(correct[j]),
        )
        for j in range(spec.examples)
    ]


def outcome_text(history: RunHistory, rows: list[PredictionRow] | None = None) -> str:
    """What happened in the run and what to try next, in a sentence or three."""
    first, final = history.first_loss, history.final_loss
    if history.status == "diverged":
        return (
            f"{history.message} The marked epoch on the loss curve is where it happened. "
            "Each step moved the weights by lr × gradient; with a step that large the loss "
            "overshoots the valley and climbs until it overflows."
        )
    if first is None or final is None:
        return "No loss was recorded."
    change = f"the loss went from {_num(first)} to {_num(final)}"
    if history.status == STOPPED:
        return f"Stopped at epoch {history.epochs[-1]:,}: {change}."
    right = sum(row.correct for row in rows or [])
    total = len(rows or [])
    score = f"{right} of {total} examples right" if rows else ""
    grads = max(history.grad_norms[-1], default=0.0)
    if abs(final - first) <= PLATEAU_CHANGE * abs(first):
        return (
            f"Stuck on a plateau: {change} in {history.epochs[-1]:,} epochs, and the gradients "
            f"are tiny (largest ‖dL/dW‖ {_num(grads)}). Small gradients here mean stuck, not "
            "converged. Try a larger init scale or another seed."
        )
    if final > first:
        return (
            f"The loss got worse: {change}. Steps this large overshoot and push the units "
            "into saturation, where their slope is almost zero. Try a smaller learning rate."
        )
    if rows and right == total:
        every = "the example" if total == 1 else f"all {total} examples"
        return f"Learned: {every} right; {change}."
    return f"{score or 'Trained'}: {change}. Try more epochs, another learning rate or init scale."


def _num(value: float) -> str:
    return format_number(value)
