"""What the train view shows and says about its runs, apart from the view itself.

Provides the two messages of a run (:class:`RunFinished`, posted to the screen
when a run ends, and :class:`TrainingProgress`, a chunk from the training thread),
and the plot series of the compared runs (:func:`loss_series`, :func:`gradient_series`).
What the view says of a run is :mod:`tutor.present.training`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.message import Message

from tutor.present.lines import Line
from tutor.text.boundary import BoundaryPicture
from tutor.training import (
    Knobs,
    PredictionRow,
    ProgressChunk,
    RunHistory,
    loss_curve,
    run_labels,
)
from tutor.training.plot import Series

if TYPE_CHECKING:
    from tutor.tui.widgets.train.view import TrainView


class RunFinished(Message, namespace="train_view"):
    """A run ended (done, diverged or stopped): what to save in progress.

    Handled as ``on_train_view_run_finished``; also reachable as ``TrainView.RunFinished``.
    """

    def __init__(
        self,
        knobs: dict[str, Any],
        final_loss: float | None,
        status: str,
        view: TrainView | None = None,
        curve: list[tuple[int, float]] | None = None,
    ) -> None:
        super().__init__()
        self.knobs = knobs
        """The run's knob values (``Knobs.to_dict()``)."""
        self.final_loss = final_loss
        """The last finite loss, or None (a diverged run has none)."""
        self.status = status
        """``done``, ``diverged`` or ``stopped``."""
        self.view = view
        self.curve = curve or []
        """The loss curve: at most 200 finite ``(epoch, loss)`` points, to draw it again."""

    @classmethod
    def of(cls, history: RunHistory, view: TrainView) -> RunFinished:
        """What to save of ``history``: knobs, final loss, status and a downsampled curve."""
        knobs = history.knobs.to_dict() if history.knobs else {}
        curve = loss_curve(history.epochs, history.losses)
        return cls(knobs, history.final_loss, history.status, view, curve)

    @property
    def control(self) -> TrainView | None:
        """The train view the run belongs to."""
        return self.view


class TrainingProgress(Message, bubble=False):
    """A chunk of records from the training thread (with the predictions at the end)."""

    def __init__(
        self,
        run_id: int,
        chunk: ProgressChunk,
        rows: list[PredictionRow] | None,
        params: Sequence[Line] = (),
        picture: BoundaryPicture | None = None,
    ) -> None:
        super().__init__()
        self.run_id = run_id
        self.chunk = chunk
        self.rows = rows
        self.params = params
        """The block's ``show_params`` after training, as lines (none until the end)."""
        self.picture = picture
        """The decision boundary after this chunk (a block with ``boundary``), or None."""


def run_knobs(runs: Sequence[RunHistory]) -> list[Knobs]:
    """The knobs of each run (a train view's runs were all started with knobs)."""
    return [run.knobs for run in runs if run.knobs is not None]


def loss_series(runs: Sequence[RunHistory]) -> list[Series]:
    """One loss curve per run, each labelled by the knobs that tell the runs apart."""
    labels = run_labels(run_knobs(runs)) if runs else []
    return [Series(label, run.epochs, run.losses) for label, run in zip(labels, runs, strict=True)]


def gradient_series(run: RunHistory | None) -> list[Series]:
    """‖dL/dW‖ of every layer of ``run`` (none without a run)."""
    if run is None:
        return []
    return [Series(f"W{i}", run.epochs, run.layer_norms(i)) for i in range(1, run.layers + 1)]
