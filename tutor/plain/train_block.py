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
from tutor.present.training import PLOT_HEIGHT, predictions_text, progress_line
from tutor.text.boundary import network_picture, picture_lines
from tutor.text.numbers import format_number
from tutor.training import (
    Knobs,
    PreparedRun,
    RunHistory,
    coalesce,
    editable_knobs,
    outcome_text,
    params_text,
    prediction_rows,
    race,
    run_labels,
    start_gradients_text,
)
from tutor.training.knobs import knobs_from_block
from tutor.training.plot import loss_plot, race_plot
from tutor.training.results import race_table
from tutor.training.run import prepare_run

PLOT_WIDTH = 80


def train_lines(block: TrainBlock, lesson: Lesson) -> Sequence[str]:
    """A train block run headless with its settings: progress, loss plot, predictions.

    A block with a ``compare`` run trains both runs of its race and draws them on one
    plot (each with its own character), with their losses side by side at a few epochs.
    """
    spec = lesson.network(block.network)
    defaults = knobs_from_block(block, spec)
    runs = race(defaults, block.compare)
    labels = run_labels(runs) if len(runs) > 1 else [""]
    histories, lines = [], []
    for knobs, label in zip(runs, labels, strict=True):
        run = prepare_run(spec, knobs, record_every=block.record_every)
        history = RunHistory(knobs)
        for chunk in coalesce(train(run.network, run.config), run.config.epochs, interval=0.5):
            history.add(chunk)
        histories.append(history)
        lines.extend(_run_lines(block, spec, run, history, label, defaults))
    log = block.scale == "log"
    if len(histories) > 1:
        lines.append(race_plot(histories, labels, PLOT_WIDTH, PLOT_HEIGHT, log_y=log, color=False))
        lines.append(race_table(histories, labels))
    else:
        plot = loss_plot(histories[0], spec.loss, PLOT_WIDTH, PLOT_HEIGHT, color=False)
        lines.insert(1 if histories[0].last is not None else 0, plot)
    return lines


def _run_lines(
    block: TrainBlock,
    spec: NetworkSpec,
    run: PreparedRun,
    history: RunHistory,
    label: str,
    defaults: Knobs,
) -> list[str]:
    """One run's progress, predictions, parameters, final loss and verdict."""
    lines = [f"Run: {label}"] if label else []
    if history.last is not None:
        lines.append(progress_line(history.last))
    trained = history.params if history.status == "done" else None
    rows = None  # judged by the verdict; printed where no boundary is drawn
    if trained is not None:
        rows = prediction_rows(run.network.with_params(trained))
    if trained is not None and block.boundary:
        lines.extend(picture_lines(network_picture(run.network.with_params(trained))))
        lines.append(start_gradients_text([history]))
    elif trained is not None and rows is not None:
        lines.append(predictions_text(rows))
        if block.show_params:
            lines.append(params_text(trained, block.show_params))
    if history.final_loss is not None:
        lines.append(f"Final loss: {format_number(history.final_loss)}")
    verdict = outcome_text(
        history,
        rows,
        network=run.network,
        defaults=defaults,
        offered=editable_knobs(block, spec),
        params=history.params,
    )
    lines.append(verdict)
    return lines
