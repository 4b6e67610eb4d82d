"""A training run's report: what the train view, ``lesson --plain`` and ``train`` say of a run.

Provides :func:`progress_summary` (``epoch 1,200 / 5,000 · loss 0.1249 · …``) and
:func:`progress_line` (the same after a plain-character bar), :func:`predictions_lines`
(the table of predictions, its right? column in the verdict roles),
:func:`final_loss_line`, :func:`params_lines` (trained parameters, a line per unit),
:func:`start_gradients_lines` (each layer's ‖dL/dW‖ before training, a line per run of
a race), :func:`race_lines` (a race's losses side by side at a few epochs), and the
words around the knobs: :func:`fixed_knobs_line` and :func:`past_runs_line`.  The
verdict of a run is :mod:`tutor.present.run_verdict`'s.  Every number comes from the
engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tutor.engine import NetworkSpec
from tutor.present.lines import Line, Role
from tutor.text.numbers import format_distinct, format_number
from tutor.training import (
    KNOB_LABELS,
    Knobs,
    PastRun,
    PredictionRow,
    ProgressChunk,
    RunHistory,
    run_labels,
)
from tutor.training.knobs import KnobSettings, fixed_knobs
from tutor.training.plot import EPOCH_LABEL
from tutor.training.results import race_epochs

BAR_WIDTH = 30
PLOT_HEIGHT = 20
PREDICTIONS_TITLE = "Predictions on the training examples"
HEADER = ("input", "target", "output", "rounded", "right?")
"""The columns of the predictions table."""
UNDECIDED = "?"
"""Shown for an output at chance (rounded and right?)."""
RIGHT, WRONG = "yes", "NO"
"""The right? column of an example the network gets right, and of one it gets wrong."""
COLUMN_GAP = "  "


def progress_summary(chunk: ProgressChunk) -> str:
    """``epoch 1,200 / 5,000 · loss 0.1249 · 9,800 epochs/s · 0.4 s left``."""
    parts = [f"epoch {chunk.epoch:,} / {chunk.total_epochs:,}"]
    if chunk.losses:
        parts.append(f"loss {format_number(chunk.losses[-1])}")
    rate, left = chunk.epochs_per_second, chunk.seconds_left
    if rate is not None:
        parts.append(f"{rate:,.0f} epochs/s")
    if chunk.finished:
        parts.append(chunk.status)
    elif left is not None:
        parts.append(f"{format_number(left, 2)} s left")
    return " · ".join(parts)


def progress_line(chunk: ProgressChunk) -> str:
    """``[##########··········]  50%  epoch 2,500 / 5,000 · …`` in plain characters."""
    total = max(chunk.total_epochs, 1)
    done = min(BAR_WIDTH, BAR_WIDTH * chunk.epoch // total)
    percent = 100 * chunk.epoch // total
    return f"[{'#' * done}{'·' * (BAR_WIDTH - done)}] {percent:3d}%  {progress_summary(chunk)}"


def _vector(values: Sequence[float]) -> str:
    return ", ".join(format_number(v) for v in values)


def _right_cell(row: PredictionRow) -> tuple[str, Role]:
    """The right? cell of ``row`` and its role: yes, NO, or "?" for an output at chance."""
    if row.undecided:
        return UNDECIDED, Role.UNREADABLE
    return (RIGHT, Role.CORRECT) if row.correct else (WRONG, Role.WRONG)


def _aligned(rows: Sequence[Sequence[tuple[str, Role]]]) -> list[Line]:
    """Cells right-aligned in columns as wide as their widest cell, each in its role."""
    widths = [max(len(row[i][0]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        parts: list[tuple[str, Role] | str] = []
        for n, ((text, role), width) in enumerate(zip(row, widths, strict=True)):
            parts.append((("" if n == 0 else COLUMN_GAP) + text.rjust(width), role))
        lines.append(Line.join(*parts))
    return lines


def predictions_lines(rows: Sequence[PredictionRow]) -> list[Line]:
    """The predictions as a titled, aligned table: input, target, output, rounded, right?.

    Outputs get as many figures as it takes to tell different ones apart (0.5 and
    0.50001 do not both print as "0.5"); an output at chance is rounded to "?".
    """
    outputs = iter(format_distinct([v for row in rows for v in row.output]))
    table: list[list[tuple[str, Role]]] = [[(column, Role.LEAD) for column in HEADER]]
    for row in rows:
        output = ", ".join(next(outputs) for _ in row.output)
        rounded = ", ".join(UNDECIDED if v is None else format_number(v) for v in row.rounded)
        cells = (_vector(row.input), _vector(row.target), output, rounded)
        table.append([*((cell, Role.TEXT) for cell in cells), _right_cell(row)])
    return [Line.of(PREDICTIONS_TITLE, Role.HEADING), *_aligned(table)]


def final_loss_line(loss: float) -> Line:
    """``Final loss: 0.0123``."""
    return Line.of(f"Final loss: {format_number(loss)}")


def params_lines(params: Mapping[str, np.ndarray], names: Sequence[str]) -> list[Line]:
    """The named parameters after training, a line per unit (row): ``W1 unit 2: 0.5, −1.2``."""
    if not names:
        return []
    lines = [Line.of("Trained parameters, one line per unit:")]
    for name in names:
        for unit, row in enumerate(np.atleast_2d(params[name]), start=1):
            lines.append(Line.of(f"  {name} unit {unit}: {_vector([float(v) for v in row])}"))
    return lines


def start_gradients_lines(runs: Sequence[RunHistory], labels: Sequence[str] = ()) -> list[Line]:
    """Each layer's ‖dL/dW_l‖ before training: one line, or a line per labelled run.

    ``‖dL/dW_l‖ at epoch 0, layer 1 to 4: 0 · 0 · 120 · 15``; with labels, the runs of a
    race under one heading, so a vanishing or exploding start reads side by side.
    Runs that recorded no gradients are left out.
    """
    started = [
        (run.grad_norms[0], label)
        for run, label in zip(runs, labels or [""] * len(runs), strict=True)
        if run.grad_norms
    ]
    if not started:
        return []
    head = f"‖dL/dW_l‖ at epoch 0, layer 1 to {len(started[0][0])}:"
    rows = [(" · ".join(format_number(n, 2) for n in run), label) for run, label in started]
    if len(rows) == 1 and not rows[0][1]:
        return [Line.of(f"{head} {rows[0][0]}")]
    width = max(len(label) for _, label in rows)
    return [Line.of(head), *(Line.of(f"  {label:<{width}}  {values}") for values, label in rows)]


def race_lines(runs: Sequence[RunHistory], labels: Sequence[str]) -> list[Line]:
    """The losses of a race's runs side by side at the epochs of
    :func:`~tutor.training.results.race_epochs` (none if they share no epoch)."""
    chosen = race_epochs(runs)
    if not chosen:
        return []
    table = [[(cell, Role.LEAD) for cell in (EPOCH_LABEL, *labels)]]
    for epoch in chosen:
        losses = (format_number(run.losses[run.epochs.index(epoch)]) for run in runs)
        table.append([(f"{epoch:,}", Role.TEXT), *((loss, Role.TEXT) for loss in losses)])
    return _aligned(table)


def fixed_knobs_line(block: KnobSettings, spec: NetworkSpec, knobs: Knobs) -> list[Line]:
    """``Fixed: epochs 5,000 · optimizer sgd``: the settings the learner cannot change."""
    shown = [f"{KNOB_LABELS[k]} {knobs.display(k)}" for k in fixed_knobs(block, spec, knobs)]
    return [Line.of("Fixed: " + " · ".join(shown))] if shown else []


def past_runs_line(runs: Sequence[PastRun]) -> list[Line]:
    """``Runs tried before: init 0.01: done, loss 0.25; …`` (nothing if there are none)."""
    if not runs:
        return []
    labels = run_labels([run.knobs for run in runs])
    parts = [
        f"{label}: {run.status}"
        + ("" if run.final_loss is None else f", loss {format_number(run.final_loss)}")
        for label, run in zip(labels, runs, strict=True)
    ]
    return [Line.of("Runs tried before: " + "; ".join(parts))]
