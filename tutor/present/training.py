"""A training run's report in plain text: the progress bar and the table of predictions.

Provides :func:`progress_line` and :func:`predictions_text`, shared by
``backprop-tutor train`` and a train block in ``lesson --plain``.
"""

from __future__ import annotations

from tutor.training import HEADER, UNDECIDED, PredictionRow, ProgressChunk, prediction_cells

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
