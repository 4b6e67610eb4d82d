"""The train view: a lesson's ``train`` block, trained live with knobs and compared runs.

Provides :class:`TrainView`, which shows the network, the knobs the block lets the
learner change (validated as typed), a progress bar, a live loss curve with every
run of the comparison overlaid, per-layer gradient magnitudes on a log scale, and
at the end the predictions and a verdict.  Training runs in a thread worker that
iterates the engine's generator through :func:`tutor.trainer.coalesce` and posts
progress messages; the widget only draws what they carry.  When a run ends it
posts :class:`TrainView.RunFinished` so the lesson screen can save it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any, ClassVar

from rich.table import Table
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tutor.derivation_text import network_summary
from tutor.engine import NetworkSpec, train
from tutor.numbers import format_number
from tutor.script.model import KNOBS, TrainBlock
from tutor.trainer import (
    KEEPS_NETWORK,
    KNOB_LABELS,
    KnobError,
    Knobs,
    PredictionRow,
    PreparedRun,
    ProgressChunk,
    RunHistory,
    coalesce,
    knobs_from_block,
    outcome_text,
    parse_knob,
    past_runs,
    prediction_rows,
    prepare_run,
    run_labels,
    share_gil,
)
from tutor.ui.widgets.plot_view import PlotView, Series

UPDATE_INTERVAL = 0.1
"""Seconds between progress messages from the training thread (about 10 a second)."""
PLOT_INTERVAL = 0.5
"""Seconds between redraws of the loss curve while a run is going (the text updates more often)."""
GRAD_PLOT_INTERVAL = 1.0
"""Seconds between redraws of the gradient plot while a run is going."""


class KnobValidator(Validator):
    """Checks the text of one knob's field with :func:`tutor.trainer.parse_knob`."""

    def __init__(self, knob: str) -> None:
        super().__init__()
        self.knob = knob

    def validate(self, value: str) -> ValidationResult:
        """Success, or a failure whose description says why the value is refused."""
        try:
            parse_knob(self.knob, value)
        except KnobError as exc:
            return self.failure(exc.reason, value)
        return self.success()


class TrainView(Vertical, can_focus=True):
    """Train a lesson's network live, change knobs, compare runs."""

    DEFAULT_CSS = """
    TrainView {
        height: auto;
        padding: 0 1;
    }
    TrainView #train-network { color: $text-muted; }
    TrainView #train-knobs {
        layout: grid;
        grid-size: 3;
        grid-gutter: 0 2;
        grid-rows: 1;
        height: auto;
        margin: 1 0 0 0;
    }
    TrainView .knob { height: 1; }
    TrainView .knob Label { width: 13; }
    TrainView .knob Input { width: 1fr; }
    TrainView .knob .fixed { width: 1fr; color: $text-muted; }
    TrainView #train-message { margin: 1 0 0 0; }
    TrainView #train-message.-error { color: $error; }
    TrainView #train-progress { height: auto; margin: 1 0 0 0; }
    TrainView #train-stats { height: 1; }
    TrainView PlotView { height: 16; }
    TrainView #grad-plot { height: 12; }
    TrainView #train-predictions, TrainView #train-earlier { height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Train"),
        Binding("r", "start", "Train", show=False),
        Binding("s", "stop", "Stop"),
        Binding("c", "clear", "Clear runs"),
        Binding("l", "toggle_log", "Log scale"),
        Binding("escape", "leave_field", "Leave field", show=False),
    ]

    class RunFinished(Message):
        """A run ended (done, diverged or stopped): what to save in progress."""

        def __init__(
            self,
            knobs: dict[str, Any],
            final_loss: float | None,
            status: str,
            view: TrainView | None = None,
        ) -> None:
            super().__init__()
            self.knobs = knobs
            """The run's knob values (``Knobs.to_dict()``)."""
            self.final_loss = final_loss
            """The last finite loss, or None (a diverged run has none)."""
            self.status = status
            """``done``, ``diverged`` or ``stopped``."""
            self.view = view

        @property
        def control(self) -> TrainView | None:
            """The train view the run belongs to."""
            return self.view

    class _Progress(Message, bubble=False):
        """A chunk of records from the training thread (with the predictions at the end)."""

        def __init__(
            self, run_id: int, chunk: ProgressChunk, rows: list[PredictionRow] | None
        ) -> None:
            super().__init__()
            self.run_id = run_id
            self.chunk = chunk
            self.rows = rows

    def __init__(
        self,
        block: TrainBlock,
        spec: NetworkSpec,
        *,
        runs: list[dict[str, Any]] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.block = block
        self.spec = spec
        self.past_runs = past_runs(runs or [], knobs_from_block(block, spec))
        self.knobs = self.past_runs[-1].knobs if self.past_runs else knobs_from_block(block, spec)
        """The knob values of the next run."""
        self.runs: list[RunHistory] = []
        """The runs in the comparison, oldest first."""
        self._run_id = 0
        self._stop = threading.Event()
        self._last_plot = self._last_grad_plot = 0.0

    @property
    def running(self) -> bool:
        """Whether a run is in progress."""
        return bool(self.runs) and self.runs[-1].status == "running"

    def compose(self) -> ComposeResult:
        """Network summary, knobs, message, progress, plots, predictions."""
        block = self.block
        yield Static(f"Network: {network_summary(self.spec)}", id="train-network")
        if block.caption:
            yield Static(block.caption, id="train-caption")
        with Container(id="train-knobs"):
            for knob in self._editable_knobs():
                yield self._knob_row(knob)
            fixed = [k for k in KNOBS if k not in self._editable_knobs()]
            yield Static(self._fixed_text(fixed), classes="fixed", id="train-fixed")
        yield Static(
            "Press enter or r to train, s to stop, c to clear, l for a log scale.",
            id="train-message",
        )
        with Vertical(id="train-progress"):
            yield ProgressBar(total=self.knobs.epochs, show_eta=False, id="train-bar")
            yield Static("", id="train-stats")
        loss_plot = PlotView(id="loss-plot")
        loss_plot.title, loss_plot.xlabel = "Loss", "epoch"
        loss_plot.placeholder = "press enter to train"
        yield loss_plot
        grad_plot = PlotView(id="grad-plot")
        grad_plot.title, grad_plot.xlabel = "‖dL/dW‖ per layer (latest run, log scale)", "epoch"
        grad_plot.log_y = True
        yield grad_plot
        yield Static("", id="train-predictions")
        yield Static(self._earlier_text(), id="train-earlier")

    def _editable_knobs(self) -> list[str]:
        """The block's knobs the learner may change (hidden ones need a hidden layer)."""
        has_hidden = len(self.spec.sizes) > 2
        return [
            k for k in KNOBS if k in self.block.knobs and (has_hidden or k not in KEEPS_NETWORK)
        ]

    def _knob_row(self, knob: str) -> Horizontal:
        value = self.knobs.display(knob).replace(",", "")
        if getattr(self.knobs, knob) is None:
            value = ""
        field = Input(
            value,
            id=f"knob-{knob}",
            validators=[KnobValidator(knob)],
            validate_on=["changed", "submitted"],
            compact=True,
        )
        return Horizontal(Label(KNOB_LABELS[knob]), field, classes="knob")

    def _fixed_text(self, knobs: list[str]) -> str:
        """The settings the learner cannot change, on one line."""
        shown = [f"{KNOB_LABELS[k]} {self.knobs.display(k)}" for k in knobs]
        return "Fixed: " + " · ".join(shown) if shown else ""

    def _earlier_text(self) -> str:
        if not self.past_runs:
            return ""
        labels = run_labels([run.knobs for run in self.past_runs])
        parts = [
            f"{label}: {run.status}"
            + ("" if run.final_loss is None else f", loss {format_number(run.final_loss)}")
            for label, run in zip(labels, self.past_runs, strict=True)
        ]
        return "Runs tried before: " + "; ".join(parts)

    # ----- knobs -----

    @on(Input.Changed)
    def _knob_changed(self, event: Input.Changed) -> None:
        """Say at once why a value is refused, or clear an earlier refusal."""
        result = event.validation_result
        if result is not None and not result.is_valid:
            self._say(result.failure_descriptions[0], error=True)
        elif self.query_one("#train-message", Static).has_class("-error"):
            self._say("")

    @on(Input.Submitted)
    def _knob_submitted(self, event: Input.Submitted) -> None:
        """Enter in a knob's field starts a run."""
        event.stop()
        self.action_start()

    def _read_knobs(self) -> Knobs | None:
        """The knobs as typed, or None after saying what is wrong (and focusing it)."""
        values: dict[str, Any] = {}
        for field in self.query(Input):
            knob = field.id.removeprefix("knob-") if field.id else ""
            try:
                values[knob] = parse_knob(knob, field.value)
            except KnobError as exc:
                self._say(f"Not started: {exc.reason}.", error=True)
                field.focus()
                return None
        return replace(self.knobs, **values)

    # ----- actions -----

    def action_start(self) -> None:
        """Start a run with the knobs as typed (refused while a run is going)."""
        if self.running:
            self._say("A run is in progress: press s to stop it first.", error=True)
            return
        knobs = self._read_knobs()
        if knobs is None:
            return
        self.knobs = knobs
        run = prepare_run(self.spec, knobs, record_every=self.block.record_every)
        self.runs.append(RunHistory(knobs))
        self._run_id += 1
        self._stop.clear()
        self._last_plot = self._last_grad_plot = 0.0
        self.query_one("#train-bar", ProgressBar).update(total=knobs.epochs, progress=0)
        self.query_one("#train-predictions", Static).update("")
        self._say(f"Training {run_labels([k.knobs for k in self.runs])[-1]}…")
        self._train(run, self._run_id)

    def action_stop(self) -> None:
        """Stop the run in progress after its current epoch."""
        if self.running:
            self._stop.set()

    def action_clear(self) -> None:
        """Forget the compared runs (a run in progress stays)."""
        self.runs = self.runs[-1:] if self.running else []
        if not self.running:
            self.query_one("#train-predictions", Static).update("")
            self.query_one("#train-stats", Static).update("")
            self.query_one("#train-bar", ProgressBar).update(progress=0)
            self._say("Comparison cleared.")
        self._redraw_plots()

    def action_leave_field(self) -> None:
        """From a knob's field back to the view, so the single-key bindings work."""
        if not isinstance(self.app.focused, Input):
            raise SkipAction()
        self.focus()

    def action_toggle_log(self) -> None:
        """Switch the loss curve between a linear and a log scale."""
        plot = self.query_one("#loss-plot", PlotView)
        plot.log_y = not plot.log_y

    # ----- training -----

    @work(thread=True, exclusive=True, group="training", exit_on_error=False)
    def _train(self, run: PreparedRun, run_id: int) -> None:
        """Iterate the engine's training loop and post coalesced progress (thread)."""
        worker = get_current_worker()

        def should_stop() -> bool:
            return self._stop.is_set() or worker.is_cancelled

        records = share_gil(train(run.network, run.config))
        for chunk in coalesce(
            records, run.knobs.epochs, interval=UPDATE_INTERVAL, should_stop=should_stop
        ):
            rows = None
            if chunk.status == "done" and chunk.params is not None:
                rows = prediction_rows(run.network.with_params(chunk.params))
            self.post_message(self._Progress(run_id, chunk, rows))

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """A training thread that failed ends its run with the reason, not a traceback."""
        if event.worker.group != "training" or event.state != WorkerState.ERROR:
            return
        event.stop()
        if self.running:
            history = self.runs[-1]
            history.status = "failed"
            self._say(f"Training failed: {event.worker.error}", error=True)

    @on(_Progress)
    def _progress(self, message: _Progress) -> None:
        """Draw a chunk: progress text always, plots a few times a second and at the end."""
        message.stop()
        if message.run_id != self._run_id or not self.running:
            return
        history, chunk = self.runs[-1], message.chunk
        history.add(chunk)
        self.query_one("#train-bar", ProgressBar).update(progress=chunk.epoch)
        self.query_one("#train-stats", Static).update(chunk.summary(), layout=False)
        now = time.monotonic()
        if chunk.finished or now - self._last_plot >= PLOT_INTERVAL:
            grads = chunk.finished or now - self._last_grad_plot >= GRAD_PLOT_INTERVAL
            self._last_plot = now
            if grads:
                self._last_grad_plot = now
            self._redraw_plots(grads=grads)
        if chunk.finished:
            self._finish(history, message.rows)

    def _finish(self, history: RunHistory, rows: list[PredictionRow] | None) -> None:
        self._say(outcome_text(history, rows), error=history.status == "diverged")
        if rows:
            final = history.final_loss
            table = _predictions_table(rows)
            if final is not None:
                table.caption = f"final loss {format_number(final)}"
            self.query_one("#train-predictions", Static).update(table)
        self.post_message(
            self.RunFinished(history.knobs.to_dict(), history.final_loss, history.status, self)
        )

    def _redraw_plots(self, *, grads: bool = True) -> None:
        labels = run_labels([run.knobs for run in self.runs]) if self.runs else []
        loss_plot = self.query_one("#loss-plot", PlotView)
        loss_plot.set_series(
            [
                Series(label, run.epochs, run.losses)
                for label, run in zip(labels, self.runs, strict=True)
            ]
        )
        diverged = [run.diverged_at for run in self.runs if run.diverged_at is not None]
        loss_plot.vertical_marker = diverged[-1] if diverged else None
        if not grads:
            return
        grad_plot = self.query_one("#grad-plot", PlotView)
        latest = self.runs[-1] if self.runs else None
        grad_plot.set_series(
            [
                Series(f"W{i}", latest.epochs, latest.layer_norms(i))
                for i in range(1, latest.layers + 1)
            ]
            if latest
            else []
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#train-message", Static)
        message.update(text)
        message.set_class(error, "-error")


def _predictions_table(rows: list[PredictionRow]) -> Table:
    """input, target, output, rounded, right? — one row per training example."""
    table = Table(title="Predictions on the training examples", title_justify="left")
    for column in ("input", "target", "output", "rounded", "right?"):
        table.add_column(column, justify="right" if column != "right?" else "center")
    for row in rows:
        table.add_row(
            _vector(row.input),
            _vector(row.target),
            _vector(row.output),
            _vector(row.rounded),
            "✓" if row.correct else "✗",
        )
    return table


def _vector(values: tuple[float, ...]) -> str:
    return ", ".join(format_number(v) for v in values)
