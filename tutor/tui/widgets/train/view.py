"""The train view: a lesson's ``train`` block, trained live with knobs and compared runs.

Provides :class:`TrainView`, which shows the network, the knobs the block lets the
learner change (validated as typed), a progress bar, a live loss curve with every
run of the comparison overlaid, per-layer gradient magnitudes on a log scale, and
at the end the predictions and a verdict.  Training runs in a thread worker that
iterates the engine's generator through :func:`tutor.training.coalesce` and posts
progress messages; the widget only draws what they carry (the messages, plot series
and predictions table are in :mod:`tutor.tui.widgets.train.runs`).  When a run ends it
posts :class:`TrainView.RunFinished` (with a downsampled loss curve) so the lesson
screen can save it; a run still going when the learner leaves the step or the
lesson is stopped and reported as ``stopped``.  Saved runs passed back as
``runs=`` are drawn again.  The view never takes the focus by itself: the lesson
screen's ``r`` starts a run from anywhere, and Tab reaches the panel (then its
knobs) in reading order.  Clearing the compared runs asks first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import NoScreen
from textual.screen import Screen
from textual.widgets import Input, ProgressBar
from textual.worker import Worker, WorkerState, get_current_worker

from tutor.engine import NetworkSpec, train
from tutor.lesson.model import TrainBlock
from tutor.present.lines import BLANK, Line
from tutor.present.run_verdict import race_verdict_lines, verdict_text
from tutor.present.training import (
    final_loss_line,
    fixed_knobs_line,
    params_lines,
    past_runs_line,
    predictions_lines,
    progress_summary,
    start_gradients_lines,
)
from tutor.store.progress import RunRecord
from tutor.text.boundary import network_picture
from tutor.text.derivation import network_summary
from tutor.training import (
    STOPPED,
    KnobError,
    Knobs,
    PredictionRow,
    PreparedRun,
    RunHistory,
    check_fit,
    coalesce,
    editable_knobs,
    knobs_from_block,
    past_runs,
    prediction_rows,
    prepare_run,
    race,
    run_labels,
    share_gil,
)
from tutor.training.results import judge_block_run
from tutor.tui.literal import Plain
from tutor.tui.tagged import tagged_content
from tutor.tui.widgets.train.boundary_view import BoundaryView
from tutor.tui.widgets.train.knob_fields import KnobFields
from tutor.tui.widgets.train.plots import RunPlots
from tutor.tui.widgets.train.runs import (
    RunFinished,
    TrainingProgress,
    run_knobs,
)

BOUNDARY_INTERVAL = 0.4
"""Seconds between redraws of the decision boundary while a run trains."""
UPDATE_INTERVAL = 0.1
"""Seconds between progress messages from the training thread (about 10 a second)."""
HINTS = {
    "view": "Press r or Enter to train, s to stop, c to clear the runs, l for a log scale.",
    "field": "Press Enter to train with these values; Esc leaves the field.",
    "away": "Press r to train, l for a log scale; Tab into this panel to change the knobs.",
}
"""The waiting message, by where the focus is: on the view, in a knob's field, elsewhere."""


class TrainView(Vertical, can_focus=True):
    """Train a lesson's network live, change knobs, compare runs."""

    DEFAULT_CSS = """
    TrainView { height: auto; }
    TrainView #train-progress { height: auto; }
    TrainView #train-stats { height: 1; }
    TrainView #train-predictions, TrainView #train-params, TrainView #train-earlier {
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Train"),
        Binding("r", "start", "Train", show=False),
        Binding("s", "stop", "Stop"),
        Binding("c", "clear", "Clear runs"),
        Binding("l", "toggle_log", "Log scale"),
        Binding("escape", "leave_field", "Leave field"),
        Binding("escape", "leave_panel", "Leave panel"),
    ]
    TYPED_KEYS = frozenset({"start", "stop", "clear", "toggle_log"})
    """Actions on printable keys, which a knob's field takes as text instead."""

    RunFinished = RunFinished
    """Posted when a run ends; handled as ``on_train_view_run_finished``."""

    def __init__(
        self,
        block: TrainBlock,
        spec: NetworkSpec,
        *,
        runs: Sequence[RunRecord] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.block = block
        self.spec = spec
        self.past_runs = past_runs(runs, knobs_from_block(block, spec))
        self.knobs = self.past_runs[-1].knobs if self.past_runs else knobs_from_block(block, spec)
        """The knob values of the next run."""
        self.runs: list[RunHistory] = [
            RunHistory.from_curve(run.knobs, run.curve, run.status)
            for run in self.past_runs
            if run.curve
        ]
        """The runs in the comparison, oldest first (saved runs with a curve included)."""
        self._run_id = 0
        self._queue: list[Knobs] = []
        """The runs still to train after this one in a race (the block's ``compare``)."""
        self._next_pending = False
        """Whether the next run of the race starts when the current run's thread ends."""
        self._verdicts: list[str] = []
        """The verdicts of the race's runs so far, oldest first."""
        self._network: NetworkSpec | None = None
        """The network of the latest run (its activations, for the verdict)."""
        self._stop = threading.Event()

    @property
    def running(self) -> bool:
        """Whether a run is in progress."""
        return bool(self.runs) and self.runs[-1].status == "running"

    def compose(self) -> ComposeResult:
        """Network summary, knobs, message, progress, plots, predictions."""
        block = self.block
        yield Plain(f"Network: {network_summary(self.spec)}", id="train-network")
        if block.caption:
            yield Plain(block.caption, id="train-caption")
        yield KnobFields(editable_knobs(block, self.spec), self.knobs, id="train-knobs")
        fixed = fixed_knobs_line(block, self.spec, self.knobs)
        yield Plain(tagged_content(fixed), id="train-fixed")
        yield Plain(HINTS["away"], id="train-message", classes="-hint")
        with Vertical(id="train-progress"):
            yield ProgressBar(total=self.knobs.epochs, show_eta=False, id="train-bar")
            yield Plain("", id="train-stats")
        yield RunPlots(len(self.spec.layers), log=block.scale == "log", id="train-plots")
        if block.boundary:
            yield BoundaryView(id="train-boundary")
        yield Plain("", id="train-predictions")
        yield Plain("", id="train-params")
        yield Plain(tagged_content(past_runs_line(self.past_runs)), id="train-earlier")

    # ----- focus, and leaving mid-run -----

    def on_mount(self) -> None:
        """Draw saved runs; watch for the lesson closing."""
        if self.runs:
            self.query_one(RunPlots).show(self.runs)
        self.app.screen_change_signal.subscribe(self, self._screen_changed, immediate=True)

    def on_unmount(self) -> None:
        """The step is being left: a run still going ends as stopped and is reported."""
        self._abandon_run()

    def _screen_changed(self, screen: Screen[Any]) -> None:
        """The screen stack changed: if this view's screen left it, end the run now."""
        if self.is_attached and self.screen not in self.app.screen_stack:
            self._abandon_run()

    def leave(self) -> None:
        """The view is hidden (its step was left): a run in progress ends as stopped."""
        self._abandon_run()

    def _abandon_run(self) -> None:
        """Stop a run in progress and report it to the screen (the view itself is going)."""
        self._queue = []
        if not self.running:
            return
        self._stop.set()
        self.workers.cancel_group(self, "training")
        history = self.runs[-1]
        history.status = STOPPED
        try:
            screen = self.screen
        except NoScreen:  # the app is closing: there is no one left to tell
            return
        screen.post_message(RunFinished.of(history, self))

    @on(events.Focus)
    @on(events.Blur)
    @on(events.DescendantFocus)
    @on(events.DescendantBlur)
    def _show_hint(self) -> None:
        """Show the waiting message for where the focus is (other messages are left alone)."""
        message = self.query_one("#train-message", Plain)
        if message.has_class("-hint"):
            focused = self.screen.focused
            where = "view" if focused is self else "field" if self.has_focus_within else "away"
            if str(message.content) != HINTS[where]:
                message.update(HINTS[where])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In a knob's field only Enter (train) and Esc work; s, c, l and r are typed."""
        in_field = isinstance(self.screen.focused, Input) and self.has_focus_within
        if action == "leave_field":
            return in_field
        if action == "leave_panel":
            return self.screen.focused is self
        return not (in_field and action in self.TYPED_KEYS)

    # ----- knobs -----

    @on(Input.Changed)
    def _knob_changed(self, event: Input.Changed) -> None:
        """Say at once why a value is refused, or clear an earlier refusal."""
        result = event.validation_result
        if result is not None and not result.is_valid:
            self._say(result.failure_descriptions[0], error=True)
        elif self.query_one("#train-message", Plain).has_class("-error"):
            self._say("", hint=True)

    @on(Input.Submitted)
    def _knob_submitted(self, event: Input.Submitted) -> None:
        """Enter in a knob's field starts a run, and leaves the field so that s, n, p work."""
        event.stop()
        self.action_start()
        if self.running:
            self.focus(scroll_visible=False)

    def _read_knobs(self) -> Knobs | None:
        """The knobs as typed, or None after saying what is wrong (and focusing it)."""
        values = self.query_one(KnobFields).read()
        if isinstance(values, tuple):
            field, error = values
            self._say(f"Not started: {error.reason}.", error=True)
            field.focus()
            return None
        knobs = replace(self.knobs, **values)
        try:
            check_fit(knobs, self.spec)
        except KnobError as exc:
            self._say(f"Not started: {exc.reason}.", error=True)
            return None
        return knobs

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
        self._queue = race(knobs, self.block.compare)
        self._verdicts = []
        self._start_next()

    def _start_next(self) -> None:
        """Train the next run of the queue (the typed run, then its comparison run)."""
        knobs = self._queue.pop(0)
        run = prepare_run(self.spec, knobs, record_every=self.block.record_every)
        self._network = run.network
        self.runs.append(RunHistory(knobs))
        self._run_id += 1
        self._stop.clear()
        self.query_one(RunPlots).start()
        self.query_one("#train-bar", ProgressBar).update(total=knobs.epochs, progress=0)
        self.query_one("#train-predictions", Plain).update("")
        self.query_one("#train-params", Plain).update("")
        self._say(f"Training {run_labels(run_knobs(self.runs))[-1]}…")
        self._train(run, self._run_id)
        self.refresh_bindings()

    def action_stop(self) -> None:
        """Stop the run in progress after its current epoch (and the race's next runs)."""
        if self.running:
            self._queue = []
            self._stop.set()

    def action_clear(self) -> None:
        """Forget the compared runs, after asking (a run in progress stays)."""
        from tutor.tui.dialogs.confirm import ConfirmScreen

        count = len(self.runs)
        kept = " The run in progress stays." if self.running else ""
        question = f"Clear the {count} compared run{'s' if count != 1 else ''} from the plot?{kept}"
        if not self.runs:
            self._say("There are no runs to clear.")
            return
        self.app.push_screen(ConfirmScreen(question, "Clear"), self._clear_confirmed)

    def _clear_confirmed(self, confirmed: bool | None) -> None:
        """Clear the runs after the learner said yes."""
        if not confirmed:
            return
        self.runs = self.runs[-1:] if self.running else []
        if not self.running:
            self.query_one("#train-predictions", Plain).update("")
            self.query_one("#train-params", Plain).update("")
            if self.block.boundary:
                self.query_one(BoundaryView).clear()
            self.query_one("#train-stats", Plain).update("")
            self.query_one("#train-earlier", Plain).update("")
            self.query_one("#train-bar", ProgressBar).update(progress=0)
            self._say("Comparison cleared.")
        self.query_one(RunPlots).show(self.runs)

    def action_leave_field(self) -> None:
        """From a knob's field back to the panel, so its single-key bindings work."""
        if not isinstance(self.app.focused, Input):
            raise SkipAction()
        self.focus(scroll_visible=False)

    def action_leave_panel(self) -> None:
        """Leave the panel: nothing has the focus (Esc then leaves the lesson)."""
        self.screen.set_focus(None)

    def action_toggle_log(self) -> None:
        """Switch the loss curve between a linear and a log scale."""
        self.query_one(RunPlots).toggle_log()

    # ----- training -----

    @work(thread=True, exclusive=True, group="training", exit_on_error=False)
    def _train(self, run: PreparedRun, run_id: int) -> None:
        """Iterate the engine's training loop and post coalesced progress (thread)."""
        worker = get_current_worker()

        def should_stop() -> bool:
            return self._stop.is_set() or worker.is_cancelled

        boundary = self.block.boundary
        config = replace(run.config, include_params=True) if boundary else run.config
        records = share_gil(train(run.network, config))
        drawn = 0.0
        for chunk in coalesce(
            records, run.knobs.epochs, interval=UPDATE_INTERVAL, should_stop=should_stop
        ):
            rows: list[PredictionRow] | None = None
            shown: list[Line] = []
            picture = None
            now = time.monotonic()
            interval = chunk.finished or now - drawn >= BOUNDARY_INTERVAL
            if boundary and chunk.params is not None and interval:
                drawn = now
                picture = network_picture(run.network.with_params(chunk.params))
            if boundary and chunk.status == "done" and chunk.params is not None:
                rows = prediction_rows(run.network.with_params(chunk.params))  # the verdict's
            elif chunk.status == "done" and chunk.params is not None:
                rows = prediction_rows(run.network.with_params(chunk.params))
                shown = params_lines(chunk.params, self.block.show_params)
            self.post_message(TrainingProgress(run_id, chunk, rows, shown, picture))

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """A race's next run starts once the thread of the one before has ended (starting it
        earlier would cancel that thread); a thread that failed ends its run with the reason."""
        if event.worker.group != "training":
            return
        if event.state == WorkerState.SUCCESS and self._next_pending:
            self._next_pending = False
            if self._queue:
                self._start_next()
            return
        if event.state != WorkerState.ERROR:
            return
        event.stop()
        if self.running:
            history = self.runs[-1]
            history.status = "failed"
            self._say(f"Training failed: {event.worker.error}", error=True)

    @on(TrainingProgress)
    def _progress(self, message: TrainingProgress) -> None:
        """Draw a chunk: progress text always, plots a few times a second and at the end."""
        message.stop()
        if message.run_id != self._run_id or not self.running:
            return
        history, chunk = self.runs[-1], message.chunk
        history.add(chunk)
        self.query_one("#train-bar", ProgressBar).update(progress=chunk.epoch)
        self.query_one("#train-stats", Plain).update(progress_summary(chunk), layout=False)
        self.query_one(RunPlots).follow(self.runs, finished=chunk.finished)
        if message.picture is not None:  # the decision boundary, redrawn live
            self.query_one(BoundaryView).show(message.picture)
        if chunk.finished:
            self._finish(history, message.rows, message.params)

    def _finish(
        self, history: RunHistory, rows: list[PredictionRow] | None, params: Sequence[Line]
    ) -> None:
        verdict = verdict_text(judge_block_run(history, rows, self.block, self.spec, self._network))
        started = start_gradients_lines([history]) if self.block.boundary else []
        said = [verdict]
        if self.block.compare:
            self._verdicts.append(verdict)
            raced_runs = self.runs[-len(self._verdicts) :]
            labels = run_labels(run_knobs(raced_runs))
            said = [line.text for line in race_verdict_lines(labels, self._verdicts)]
            if self.block.boundary:  # the runs' gradients at the start, side by side
                started = start_gradients_lines(raced_runs, labels)
        self._say("\n".join(said), error=history.status == "diverged")
        self.refresh_bindings()
        if rows and not self.block.boundary:  # the boundary shows the predictions
            table = predictions_lines(rows)
            if history.final_loss is not None:
                table = [*table, BLANK, final_loss_line(history.final_loss)]
            self.query_one("#train-predictions", Plain).update(tagged_content(table))
        self.query_one("#train-params", Plain).update(tagged_content(started or params))
        self.post_message(RunFinished.of(history, self))
        self._next_pending = bool(self._queue) and history.status == "done"

    def _say(self, text: str, *, error: bool = False, hint: bool = False) -> None:
        """Show ``text`` (``error``: in red), or with ``hint`` the waiting message."""
        message = self.query_one("#train-message", Plain)
        message.set_class(error, "-error")
        message.set_class(hint, "-hint")
        if hint:
            self._show_hint()
        else:
            message.update(text)
