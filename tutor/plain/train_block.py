"""A lesson's train block run headless in the plain terminal, as ``backprop-tutor train`` does.

Provides :func:`train_lines`: each run of the block (both runners of a race) with
the block's settings, its progress line, the loss plot in plain characters (or the
race's plot and table), the decision boundary or the predictions, the final loss and
the verdict, in the words of :mod:`tutor.present.training`.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutor.engine import NetworkSpec, train
from tutor.lesson.model import Lesson, TrainBlock
from tutor.present.lines import Line, lines_of
from tutor.present.run_verdict import race_verdict_lines, verdict_text
from tutor.present.training import (
    PLOT_HEIGHT,
    final_loss_line,
    params_lines,
    predictions_lines,
    progress_line,
    race_lines,
    start_gradients_lines,
)
from tutor.text.boundary import network_picture, picture_lines
from tutor.training import (
    PreparedRun,
    RunHistory,
    coalesce,
    prediction_rows,
    race,
    run_labels,
)
from tutor.training.knobs import knobs_from_block
from tutor.training.plot import loss_plot, race_plot
from tutor.training.results import judge_block_run
from tutor.training.run import prepare_run

PLOT_WIDTH = 80


def train_lines(block: TrainBlock, lesson: Lesson) -> Sequence[Line]:
    """A train block run headless with its settings: progress, loss plot, predictions.

    A block with a ``compare`` run trains both runs of its race and draws them on one
    plot (each with its own character), with their losses side by side at a few epochs.
    """
    spec = lesson.network(block.network)
    defaults = knobs_from_block(block, spec)
    runs = race(defaults, block.compare)
    labels = run_labels(runs) if len(runs) > 1 else [""]
    histories: list[RunHistory] = []
    lines: list[Line] = []
    for knobs, label in zip(runs, labels, strict=True):
        run = prepare_run(spec, knobs, record_every=block.record_every)
        history = RunHistory(knobs)
        for chunk in coalesce(train(run.network, run.config), run.config.epochs, interval=0.5):
            history.add(chunk)
        histories.append(history)
        lines.extend(_run_lines(block, spec, run, history, label))
    log = block.scale == "log"
    if len(histories) > 1:
        plot = race_plot(histories, labels, PLOT_WIDTH, PLOT_HEIGHT, log_y=log, color=False)
        lines.extend(lines_of(plot))
        lines.extend(race_lines(histories, labels))
        if block.boundary:  # the runs' gradients at the start, side by side (as the TUI)
            lines.extend(start_gradients_lines(histories, labels))
    else:
        plot = loss_plot(histories[0], spec.loss, PLOT_WIDTH, PLOT_HEIGHT, color=False)
        at = 1 if histories[0].last is not None else 0
        lines[at:at] = lines_of(plot)
    return lines


def _run_lines(
    block: TrainBlock,
    spec: NetworkSpec,
    run: PreparedRun,
    history: RunHistory,
    label: str,
) -> list[Line]:
    """One run's progress, predictions, parameters, final loss and verdict."""
    lines = [Line.of(f"Run: {label}")] if label else []
    if history.last is not None:
        lines.append(Line.of(progress_line(history.last)))
    trained = history.params if history.status == "done" else None
    rows = None  # judged by the verdict; printed where no boundary is drawn
    if trained is not None:
        rows = prediction_rows(run.network.with_params(trained))
    if trained is not None and block.boundary:
        lines.extend(map(Line.of, picture_lines(network_picture(run.network.with_params(trained)))))
        if not label:  # a race's runs are compared side by side at the end
            lines.extend(start_gradients_lines([history]))
    elif trained is not None and rows is not None:
        lines.extend(predictions_lines(rows))
        lines.extend(params_lines(trained, block.show_params))
    if history.final_loss is not None:
        lines.append(final_loss_line(history.final_loss))
    verdict = verdict_text(judge_block_run(history, rows, block, spec, run.network))
    lines.extend(race_verdict_lines([label], [verdict]))
    return lines
