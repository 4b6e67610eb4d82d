"""A lesson's train block run headless in the plain terminal, as ``backprop-tutor train`` does.

Provides :func:`train_lines`: the run with the block's settings, then the progress
line, the loss plot (plain characters) and the report of :mod:`tutor.present.training`.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutor.engine import train
from tutor.lesson.model import Lesson, TrainBlock
from tutor.present.training import PLOT_HEIGHT, progress_line, report_lines
from tutor.training import RunHistory, coalesce
from tutor.training.knobs import knobs_from_block
from tutor.training.plot import loss_plot
from tutor.training.run import prepare_run

PLOT_WIDTH = 80


def train_lines(block: TrainBlock, lesson: Lesson) -> Sequence[str]:
    """A train block run headless with its settings: progress, loss plot, predictions."""
    spec = lesson.network(block.network)
    run = prepare_run(spec, knobs_from_block(block, spec), record_every=block.record_every)
    history = RunHistory()
    for chunk in coalesce(train(run.network, run.config), run.config.epochs, interval=0.5):
        history.add(chunk)
    lines = [progress_line(history.last)] if history.last is not None else []
    lines.append(loss_plot(history, run.network.loss, PLOT_WIDTH, PLOT_HEIGHT, color=False))
    return lines + report_lines(history, run.network, show_params=block.show_params)
