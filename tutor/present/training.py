"""The report of a training run in the plain terminal: progress bar, predictions, verdict.

Provides :func:`progress_line`, :func:`predictions_text` and :func:`report_lines`
(what follows the loss plot: predictions, learnt parameters, final loss and the
verdict), shared by ``backprop-tutor train`` and a train block in ``lesson --plain``.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutor.engine import NetworkSpec
from tutor.text.numbers import format_number
from tutor.training import (
    HEADER,
    UNDECIDED,
    PredictionRow,
    ProgressChunk,
    RunHistory,
    outcome_text,
    params_text,
    prediction_cells,
    prediction_rows,
)

BAR_WIDTH = 30
PLOT_HEIGHT = 20
VERDICT_WORDS = {"right": "yes", "wrong": "NO", UNDECIDED: UNDECIDED}
"""The right? column in plain words ("?" for an output at chance)."""


def progress_line(chunk: ProgressChunk) -> str:
    """``[##########··········]  50%  epoch 2,500 / 5,000 · …`` in plain characters."""
    total = max(chunk.total_epochs, 1)
    done = min(BAR_WIDTH, BAR_WIDTH * chunk.epoch // total)
    percent = 100 * chunk.epoch // total
    return f"[{'#' * done}{'·' * (BAR_WIDTH - done)}] {percent:3d}%  {chunk.summary()}"


def predictions_text(rows: list[PredictionRow]) -> str:
    """The predictions as an aligned plain-text table ("?" for an output at chance)."""
    cells = [(*row, VERDICT_WORDS[verdict]) for *row, verdict in prediction_cells(rows)]
    widths = [max(len(r[i]) for r in [HEADER, *cells]) for i in range(len(HEADER))]
    lines = [
        "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in [HEADER, *cells]
    ]
    return "Predictions on the training examples\n" + "\n".join(lines)


def report_lines(
    history: RunHistory, network: NetworkSpec, *, show_params: Sequence[str] = ()
) -> list[str]:
    """After the plot: the predictions (if the run finished), parameters asked for, verdict.

    Blank lines ("") set the parts apart.
    """
    lines = []
    rows = None
    if history.status == "done" and history.params is not None:
        rows = prediction_rows(network.with_params(history.params))
        lines += ["", predictions_text(rows)]
        if show_params:
            lines.append(params_text(history.params, show_params))
    lines.append("")
    if history.final_loss is not None:
        lines.append(f"Final loss: {format_number(history.final_loss)}")
    lines.append(outcome_text(history, rows, network=network))
    return lines
