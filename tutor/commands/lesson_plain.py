"""``backprop-tutor lesson ID --plain``: the lesson as plain text on stdin/stdout.

For screen readers, scripts and terminals where the TUI does not fit.  The lesson is
played by :class:`tutor.lesson.player.LessonPlayer`; this module finds the lesson,
loads and saves the learner's progress (after every answer and step, as the TUI
does), and renders a train block's run headless, as ``train`` does: the progress on
stderr, then the loss plot and the predictions.  A line is read only at a prompt
ending in ``> ``; on a terminal the player also pauses between steps, from a pipe
it does not.  Input that is not a terminal is echoed after its prompt, so the
output reads as a transcript.  Exit status: 0, or 2 for an unknown or broken lesson.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from tutor.commands.learner_data import ProgressSession
from tutor.commands.train import PLOT_HEIGHT, predictions_text, progress_line
from tutor.engine import NetworkSpec, train
from tutor.lesson.catalog import load_catalog
from tutor.lesson.model import Lesson, TrainBlock
from tutor.lesson.player import LessonPlayer, Read
from tutor.store.paths import lesson_dirs
from tutor.text.numbers import format_number
from tutor.text.visible import read_line
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
)
from tutor.training.knobs import knobs_from_block
from tutor.training.plot import loss_plot, race_plot
from tutor.training.results import race_table
from tutor.training.run import prepare_run

EXIT_OK, EXIT_USAGE = 0, 2
PLOT_WIDTH = 80


def run_lesson_plain(args: argparse.Namespace) -> int:
    """Play lesson ``args.id`` as text; see the module doc for the exit status."""
    entries = load_catalog(lesson_dirs(args.lessons))
    entry = next((e for e in entries if e.lesson is not None and e.lesson.id == args.id), None)
    if entry is None or entry.lesson is None:
        ids = sorted(e.lesson.id for e in entries if e.lesson is not None)
        known = ", ".join(ids) if ids else "none were found"
        print(f"backprop-tutor: no lesson with id {args.id!r}; known ids: {known}", file=sys.stderr)
        return EXIT_USAGE
    lesson = entry.lesson
    terminal = sys.stdin.isatty() and sys.stdout.isatty()
    with ProgressSession() as learner:
        LessonPlayer(
            lesson,
            learner.progress.lesson(lesson.id),
            read=reader(sys.stdin, sys.stdout),
            say=lambda line: print(line, flush=True),
            save=learner.save,
            train_lines=train_lines,
            pause=terminal,
        ).run()
    return EXIT_OK


def reader(stdin: TextIO, stdout: TextIO) -> Read:
    """Show a prompt and read a line; from a pipe the line is echoed after the prompt."""
    echo = not stdin.isatty()

    def read(prompt: str) -> str | None:
        stdout.write(prompt)
        stdout.flush()
        line = read_line(stdin)
        if line is None:
            stdout.write("\n")
            return None
        if echo:
            stdout.write(line if line.endswith("\n") else line + "\n")
        return line.rstrip("\n")

    return read


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
    rows = None
    if history.status == "done" and history.params is not None:
        rows = prediction_rows(run.network.with_params(history.params))
        lines.append(predictions_text(rows))
        if block.show_params:
            lines.append(params_text(history.params, block.show_params))
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
