"""What a finished run means: the predictions table and a verdict in words.

Provides :class:`PredictionRow` and :func:`prediction_rows` (input, target,
output, rounded output and whether it is right, per training example, from the
engine's ``predict``), :func:`prediction_cells` (the table's text, shared by the
TUI and the ``train`` command) and :func:`outcome_text`, which tells the learner
whether the network learned, got stuck on a plateau, overshot, diverged or was
stopped, and what to try (only knobs the step offers; hidden units that stayed
identical are named, :func:`symmetric_layers`); :func:`params_text` lists trained
parameters one unit per line, and :func:`race_table` a race's losses side by side at
a few epochs.  Every number comes from the engine.  No Textual.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tutor.engine import NetworkSpec, predict
from tutor.engine.functions import softmax
from tutor.text.numbers import format_distinct, format_number
from tutor.training.history import STOPPED, RunHistory
from tutor.training.knobs import KNOB_TITLES, Knobs

REGRESSION_TOLERANCE = 0.05
"""For targets that are not whole numbers: an output within this (relative, at least
absolute) distance of its target counts as right."""
UNDECIDED_MARGIN = 0.05
"""An output this close to a rounding boundary (``|y − 0.5| < 0.05`` for 0/1 targets) is at
chance: the network has not decided, so it is shown as "?" and never counts as right.  With
``cross_entropy`` the same margin applies to the lead of the likeliest class over the
runner-up halved (two classes at p and 1 − p lead by 2·|p − 0.5|)."""
PLATEAU_CHANGE = 0.01
"""A run whose loss changed by less than this fraction of its start barely moved."""
TINY_GRADIENT = 1e-3
"""Weight gradients whose largest norm ‖dL/dW‖ is below this move the weights by almost nothing."""
HEADER = ("input", "target", "output", "rounded", "right?")
"""The columns of the predictions table."""
UNDECIDED = "?"
"""Shown for an output at chance (rounded and right?)."""


@dataclass(frozen=True)
class PredictionRow:
    """One training example: what went in, what was wanted, what came out.

    ``rounded`` holds None for an output at chance (within :data:`UNDECIDED_MARGIN`
    of a rounding boundary); such an example is neither right nor wrong.
    """

    input: tuple[float, ...]
    target: tuple[float, ...]
    output: tuple[float, ...]
    rounded: tuple[float | None, ...]
    correct: bool

    @property
    def undecided(self) -> bool:
        """Whether an output of this example is at chance."""
        return None in self.rounded


def prediction_rows(spec: NetworkSpec) -> list[PredictionRow]:
    """A row per example (column) of the spec's own data.

    With ``cross_entropy`` the output is the softmax probabilities and the rounded
    output the one-hot class; with whole-number targets it is rounded to the
    nearest integer; either is undecided within :data:`UNDECIDED_MARGIN` of a tie.
    Otherwise an output is right within :data:`REGRESSION_TOLERANCE`.
    """
    output = predict(spec)
    target = spec.target
    if spec.loss == "cross_entropy":
        output = softmax(output, axis=0)
        rounded = np.eye(output.shape[0])[:, np.argmax(output, axis=0)]
        ordered = np.sort(output, axis=0)
        lead = (ordered[-1] - ordered[-2]) / 2 if len(ordered) > 1 else np.ones(spec.examples)
        open_ = np.broadcast_to(lead < UNDECIDED_MARGIN, output.shape)
        correct = np.argmax(output, axis=0) == np.argmax(target, axis=0)
    elif np.all(target == np.round(target)):
        rounded = np.round(output)
        open_ = np.abs(output - np.floor(output) - 0.5) < UNDECIDED_MARGIN
        correct = np.all(rounded == target, axis=0)
    else:
        rounded = np.round(output, 2)
        open_ = np.zeros(output.shape, dtype=bool)
        scale = np.maximum(1.0, np.abs(target))
        correct = np.all(np.abs(output - target) <= REGRESSION_TOLERANCE * scale, axis=0)
    return [
        PredictionRow(
            input=tuple(float(v) for v in spec.input[:, j]),
            target=tuple(float(v) for v in target[:, j]),
            output=tuple(float(v) for v in output[:, j]),
            rounded=tuple(
                None if unsure else float(v)
                for v, unsure in zip(rounded[:, j], open_[:, j], strict=True)
            ),
            correct=bool(correct[j]) and not open_[:, j].any(),
        )
        for j in range(spec.examples)
    ]


def prediction_cells(rows: Sequence[PredictionRow]) -> list[tuple[str, str, str, str, str]]:
    """The text of each row under :data:`HEADER`; the last cell is ``right``, ``wrong`` or "?".

    Outputs get as many figures as it takes to tell different ones apart (0.5 and
    0.50001 do not both print as "0.5").
    """
    outputs = iter(format_distinct([v for row in rows for v in row.output]))
    cells = []
    for row in rows:
        output = ", ".join(next(outputs) for _ in row.output)
        rounded = ", ".join(UNDECIDED if v is None else format_number(v) for v in row.rounded)
        verdict = UNDECIDED if row.undecided else "right" if row.correct else "wrong"
        cells.append((_vector(row.input), _vector(row.target), output, rounded, verdict))
    return cells


SATURATING = frozenset({"sigmoid", "tanh"})
"""Activations whose slope goes to zero for large inputs: only their units "saturate"."""
BLAMED = ("lr", "init_scale", "hidden", "init", "optimizer", "activation")
"""Knobs a run that went wrong is compared on with the block's own settings, in this order."""


def changed_knobs(knobs: Knobs | None, defaults: Knobs | None) -> list[str]:
    """``lr 0.1 → 2.5``, ``init scale 1.0 → 3.0``…: what this run changed from ``defaults``."""
    if knobs is None or defaults is None:
        return []
    return [
        f"{KNOB_TITLES[name]} {defaults.display(name)} → {knobs.display(name)}"
        for name in BLAMED
        if getattr(knobs, name) != getattr(defaults, name)
    ]


def saturates(network: NetworkSpec | None) -> bool:
    """Whether any unit of ``network`` has a saturating activation (unknown network: no)."""
    return network is not None and any(layer.activation in SATURATING for layer in network.layers)


def symmetric_layers(params: Mapping[str, np.ndarray], network: NetworkSpec) -> list[int]:
    """The hidden layers (numbered from 1) whose units all ended with the same weights.

    A hidden layer's units are alike when their incoming weights (rows of ``Wl``) and
    biases are equal and the next layer reads them with equal weights (columns of
    ``W(l+1)``): then they get equal gradients, and no number of steps can tell them apart.
    """
    found = []
    for layer in range(1, len(network.layers)):
        rows = [params[f"W{layer}"]]
        if f"b{layer}" in params:
            rows.append(params[f"b{layer}"])
        rows.append(params[f"W{layer + 1}"].T)
        stacked = np.hstack(rows)
        if len(stacked) > 1 and np.allclose(stacked, stacked[0], rtol=1e-9, atol=1e-12):
            found.append(layer)
    return found


def _try(offered: Collection[str] | None, *options: tuple[str, str]) -> str:
    """ "Try a or b." from the options whose knob the learner may change ("" if none may)."""
    said = [phrase for knob, phrase in options if offered is None or knob in offered]
    return f" Try {_or(said)}." if said else ""


def _blame(history: RunHistory, defaults: Knobs | None, offered: Collection[str] | None) -> str:
    """What changed from the block's settings, and what to try, for a run that went wrong."""
    knobs = history.knobs
    changes = changed_knobs(knobs, defaults)
    if not changes:
        return _try(offered, ("lr", "a smaller learning rate")).lstrip()
    said = f"Compared with the block's settings, this run changed {_and(changes)}. "
    assert knobs is not None and defaults is not None
    if knobs.lr > defaults.lr:
        return said + "A larger lr takes larger steps: try it nearer its first value."
    if knobs.init_scale > defaults.init_scale or (knobs.hidden or 0) > (defaults.hidden or 0):
        return said + (
            "Larger or more starting weights make larger outputs and gradients, so every "
            "step is larger too: try the init scale (or width) nearer its first value."
        )
    return said + "Try those back at their first values, or a smaller learning rate."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def outcome_text(
    history: RunHistory,
    rows: list[PredictionRow] | None = None,
    *,
    network: NetworkSpec | None = None,
    defaults: Knobs | None = None,
    offered: Collection[str] | None = None,
    params: Mapping[str, np.ndarray] | None = None,
) -> str:
    """What happened in the run and what to try next, in a sentence or three.

    ``network``: the network trained (saturation is said only of sigmoid and tanh units);
    ``defaults``: the block's own settings, so a run that went wrong names what it changed;
    ``offered``: the knobs the learner may change (None: all), the only ones suggested;
    ``params``: the trained parameters, so hidden units that stayed identical are named.
    """
    first, final = history.first_loss, history.final_loss
    if history.status == "diverged":
        return (
            f"The loss stopped being a number at epoch {history.diverged_at or 0:,} (the "
            "marked epoch on the loss curve): each step moved the weights by lr × gradient, "
            "overshot, and the loss climbed until it overflowed. "
            + _blame(history, defaults, offered)
        )
    if first is None or final is None:
        return "No loss was recorded."
    start, end = format_distinct([first, final])
    change = f"the loss went from {start} to {end}"
    if history.status == STOPPED:
        return f"Stopped at epoch {history.epochs[-1]:,}: {change}."
    rows = rows or []
    right = sum(row.correct for row in rows)
    undecided = sum(row.undecided for row in rows)
    grads = max(history.grad_norms[-1], default=0.0) if history.grad_norms else 0.0
    barely_moved = abs(final - first) <= PLATEAU_CHANGE * abs(first)
    at_chance = bool(rows) and undecided == len(rows)
    alike = symmetric_layers(params, network) if params is not None and network else []
    if alike and not (rows and right == len(rows)):
        return _symmetric(alike, change, right, rows, offered)
    if grads < TINY_GRADIENT and (barely_moved or at_chance):
        where = "every output sits at chance, " if at_chance else ""
        return (
            f"Stuck on a plateau: {change} in {history.epochs[-1]:,} epochs; {where}and the "
            f"gradients are tiny (largest ‖dL/dW‖ {_num(grads)}). Small gradients here mean "
            "stuck, not converged."
            + _try(offered, ("init_scale", "a larger init scale"), ("seed", "another seed"))
        )
    if barely_moved:
        return (
            f"The loss barely moved: {change} in {history.epochs[-1]:,} epochs, though the "
            f"gradients are not tiny (largest ‖dL/dW‖ {_num(grads)}). The steps are too short."
            + _try(offered, ("lr", "a larger learning rate"), ("epochs", "more epochs"))
        )
    if final > first:
        why = (
            "Steps this large overshoot and push the units into saturation, where their "
            "slope is almost zero."
            if saturates(network)
            else "Steps this large overshoot: each lands farther from the minimum than the last."
        )
        return f"The loss got worse: {change}. {why} {_blame(history, defaults, offered)}".rstrip()
    if rows and right == len(rows):
        every = "the example" if len(rows) == 1 else f"all {len(rows)} examples"
        return f"Learned: {every} right; {change}."
    score = f"{right} of {len(rows)} examples right" if rows else "Trained"
    if undecided:
        score += f", {undecided} undecided (output at chance)"
    return f"{score}: {change}." + _try(
        offered,
        ("epochs", "more epochs"),
        ("lr", "another learning rate"),
        ("init_scale", "another init scale"),
    )


def _symmetric(
    layers: list[int],
    change: str,
    right: int,
    rows: list[PredictionRow],
    offered: Collection[str] | None,
) -> str:
    """The verdict for a run whose hidden units stayed identical: the symmetry is the cause."""
    which = _and([f"layer {layer}" for layer in layers])
    score = f"{right} of {len(rows)} examples right, " if rows else ""
    return (
        f"The hidden units stayed identical: every unit of {which} ended with the same "
        f"weights ({score}{change}). Units that start alike get the same gradients, so "
        "training can never tell them apart, whatever the scale, rate or length of the run."
        + _try(offered, ("init", "a random init scheme (normal, xavier or he)"))
    )


RACE_CHECKPOINTS = 6
"""How many epochs a race's table of losses shows (the first and the last among them)."""


def race_table(runs: Sequence[RunHistory], labels: Sequence[str]) -> str:
    """The losses of several runs side by side at a few epochs every run recorded.

    The runs of a race share their epochs (same ``epochs`` and ``record_every``), so the
    rows are the first, the last and evenly spaced recorded epochs in between.
    """
    shared = sorted(set.intersection(*(set(run.epochs) for run in runs))) if runs else []
    if not shared:
        return ""
    step = max(1, (len(shared) - 1) // (RACE_CHECKPOINTS - 1))
    chosen = sorted({*shared[::step][: RACE_CHECKPOINTS - 1], shared[-1]})
    header = ["epoch", *labels]
    rows = [
        [f"{epoch:,}", *(format_number(run.losses[run.epochs.index(epoch)]) for run in runs)]
        for epoch in chosen
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    )


def params_text(params: Mapping[str, np.ndarray], names: Sequence[str]) -> str:
    """The named parameters after training, a line per unit (row): ``W1 unit 2: 0.5, −1.2``."""
    if not names:
        return ""
    lines = ["Trained parameters, one line per unit:"]
    for name in names:
        for unit, row in enumerate(np.atleast_2d(params[name]), start=1):
            lines.append(f"  {name} unit {unit}: {_vector(tuple(float(v) for v in row))}")
    return "\n".join(lines)


def _vector(values: tuple[float, ...]) -> str:
    return ", ".join(format_number(v) for v in values)


def _num(value: float) -> str:
    return format_number(value)
