"""``backprop-tutor train SPEC``: train a network spec in the plain terminal.

Shows a progress bar on stderr (redrawn in place only on a terminal), then the
loss curve drawn by plotext on stdout (plain characters when stdout is not a
terminal or NO_COLOR is set), the predictions for every example, the final loss
and a verdict.  Options override the spec's ``[train]`` table; ``--seed``
re-initialises the layers given by ``units`` as if ``[init] seed`` said so.
Exit status: 0 trained, 1 diverged, 2 bad spec or option, 130 interrupted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from typing import Any, TextIO

from tutor.engine import NetworkSpec, TrainConfig, train
from tutor.engine.training import MAX_EPOCHS
from tutor.formats.spec import SpecError, TrainSettings, check_spec, read_spec_source
from tutor.formats.tomlsource import TomlSource
from tutor.plain.terminal import show_line, wants_color
from tutor.present.run_verdict import verdict_text
from tutor.present.training import (
    PLOT_HEIGHT,
    final_loss_line,
    predictions_lines,
    progress_line,
)
from tutor.text.boundary import network_picture, picture_lines, shows_boundary
from tutor.text.visible import write_raw
from tutor.training import (
    STOPPED,
    KnobError,
    RunHistory,
    auto_record_every,
    check_knob,
    coalesce,
    judge_run,
    prediction_rows,
)
from tutor.training.plot import loss_plot

EXIT_OK, EXIT_DIVERGED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
MAX_PLOT_WIDTH = 120
MAX_ROWS = 32
"""Predictions are listed one example a line up to this many examples."""


def run_train(args: argparse.Namespace) -> int:
    """Train ``args.spec`` and print the curve and predictions; see the module doc for exits."""
    try:
        options = _checked_options(args)
        spec, settings = _load(args.spec, options.get("seed"))
    except KnobError as exc:
        print(f"backprop-tutor train: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SpecError as exc:
        for problem in exc.problems:
            print(f"backprop-tutor train: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    epochs = options.get("epochs", settings.epochs)
    lr = options.get("lr", settings.lr)
    optimizer = options.get("optimizer", settings.optimizer)
    config = TrainConfig(
        epochs=epochs,
        lr=lr,
        optimizer=optimizer,
        record_every=auto_record_every(epochs),
        batch_size=settings.batch_size,
    )
    history = _train_with_progress(spec, config, sys.stderr)
    color = wants_color(sys.stdout)
    plot = loss_plot(history, spec.loss, _plot_width(), PLOT_HEIGHT, color=color)
    if color:  # plotext's colour codes, around numbers and the tutor's own labels
        write_raw(sys.stdout, plot + "\n")
    else:
        print(plot)
    rows = None  # judged by the verdict; printed for a few examples only
    if history.status == "done" and history.params is not None:
        rows = prediction_rows(spec.with_params(history.params))
    if history.status == "done" and history.params is not None and shows_boundary(spec):
        print()
        print("\n".join(picture_lines(network_picture(spec.with_params(history.params)))))
    if rows is not None and spec.examples <= MAX_ROWS:
        print()
        for line in predictions_lines(rows):
            show_line(sys.stdout, line, color=color)
    print()
    if history.final_loss is not None:
        show_line(sys.stdout, final_loss_line(history.final_loss))
    print(verdict_text(judge_run(history, rows, network=spec)))
    if history.status == "diverged":
        return EXIT_DIVERGED
    return EXIT_INTERRUPTED if history.status == STOPPED else EXIT_OK


def _checked_options(args: argparse.Namespace) -> dict[str, Any]:
    """The options given on the command line, checked; a bad one raises KnobError."""
    options: dict[str, Any] = {}
    for name in ("epochs", "lr", "optimizer", "seed"):
        value = getattr(args, name, None)
        if value is not None:
            try:
                options[name] = check_knob(name, value, max_epochs=MAX_EPOCHS)
            except KnobError as exc:
                raise KnobError(name, f"--{name}: {exc.reason}") from None
    return options


def _load(path: Any, seed: int | None) -> tuple[NetworkSpec, TrainSettings]:
    """The spec and its [train] settings; with ``seed``, the ``units`` layers re-initialised."""
    source = read_spec_source(path)
    if seed is not None:
        source = _reseeded(source, seed, path)
    return check_spec(source, path)


def _reseeded(source: TomlSource, seed: int, path: Any) -> TomlSource:
    layers = source.data.get("layers")
    if isinstance(layers, list) and not any(
        isinstance(layer, dict) and "units" in layer for layer in layers
    ):
        raise SpecError.at(
            path,
            "--seed re-initialises layers given by `units`, but every layer here gives its "
            "weights `W` explicitly",
        )
    init = source.data.get("init", {})
    data = {**source.data, "init": {**init, "seed": seed} if isinstance(init, dict) else init}
    return TomlSource(data, source.lines)


def _train_with_progress(spec: NetworkSpec, config: TrainConfig, out: TextIO) -> RunHistory:
    """Train, drawing a progress bar on ``out``; Ctrl-C stops the run and keeps what it has."""
    history = RunHistory()
    live = out.isatty()
    try:
        for chunk in coalesce(train(spec, config), config.epochs, interval=0.1):
            history.add(chunk)
            if live:
                write_raw(out, "\r")
                print(progress_line(chunk), end="", file=out, flush=True)
    except KeyboardInterrupt:
        history.status = STOPPED
    if history.last is not None:
        if live:
            write_raw(out, "\r")
        print(progress_line(history.last), file=out)
    return history


def _plot_width() -> int:
    if not sys.stdout.isatty():
        return 80
    return max(40, min(MAX_PLOT_WIDTH, shutil.get_terminal_size((80, 24)).columns))
