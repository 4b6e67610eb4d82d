"""The plots of the train view: the compared runs' loss curves and the latest run's gradients.

Provides :class:`RunPlots`: a loss plot with every run of the comparison overlaid
(labelled by what differs between runs, the epoch where one diverged marked) and a
log-scale plot of ‖dL/dW‖ per layer for the latest run, tall enough for one curve
per layer (:func:`gradient_plot_height`).  While a run goes, :meth:`RunPlots.follow`
redraws them at most a few times a second (plotext is slow; the text around them
updates more often); at the end of a run they are drawn at once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical

from tutor.training import RunHistory
from tutor.training.plot import EPOCH_LABEL, LOSS_TITLE
from tutor.tui.widgets.plot_view import PlotView
from tutor.tui.widgets.train.runs import gradient_series, loss_series

PLOT_INTERVAL = 0.5
"""Seconds between redraws of the loss curve while a run is going."""
GRAD_PLOT_INTERVAL = 1.0
"""Seconds between redraws of the gradient plot while a run is going."""
LOSS_PLOT_HEIGHT = 16


def gradient_plot_height(layers: int) -> int:
    """Rows for the gradient plot: 12 for two layers, two more for each layer past that."""
    return 12 + 2 * max(0, layers - 2)


class RunPlots(Vertical):
    """The loss plot and the gradient plot of a train view."""

    DEFAULT_CSS = f"""
    RunPlots {{ height: auto; }}
    RunPlots #loss-plot {{ height: {LOSS_PLOT_HEIGHT}; }}
    """

    def __init__(self, layers: int, *, log: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.weight_layers = layers
        self.start_log = log
        """Whether the loss plot starts on a log scale (a block's ``scale = "log"``)."""
        self._last_plot = self._last_grad_plot = 0.0

    def compose(self) -> ComposeResult:
        loss_plot = PlotView(id="loss-plot")
        loss_plot.title, loss_plot.xlabel = LOSS_TITLE, EPOCH_LABEL
        loss_plot.placeholder = "no run yet"
        loss_plot.y_from_zero = loss_plot.whole_x = True
        loss_plot.log_y = self.start_log
        yield loss_plot
        grad_plot = PlotView(id="grad-plot")
        grad_plot.title, grad_plot.xlabel = "‖dL/dW‖ per layer (latest run)", EPOCH_LABEL
        grad_plot.log_y = grad_plot.whole_x = True
        grad_plot.placeholder = "train a run to see its gradients (they are not saved)"
        grad_plot.styles.height = gradient_plot_height(self.weight_layers)
        yield grad_plot

    def start(self) -> None:
        """A run begins: its first records are drawn at once."""
        self._last_plot = self._last_grad_plot = 0.0

    def follow(self, runs: Sequence[RunHistory], *, finished: bool) -> None:
        """Redraw for a new chunk of records if enough time has passed (always at the end)."""
        now = time.monotonic()
        if finished or now - self._last_plot >= PLOT_INTERVAL:
            grads = finished or now - self._last_grad_plot >= GRAD_PLOT_INTERVAL
            self._last_plot = now
            if grads:
                self._last_grad_plot = now
            self.show(runs, grads=grads)

    def show(self, runs: Sequence[RunHistory], *, grads: bool = True) -> None:
        """Draw ``runs`` (and, with ``grads``, the latest run's gradients)."""
        loss_plot = self.query_one("#loss-plot", PlotView)
        loss_plot.set_series(loss_series(runs))
        diverged = [run.diverged_at for run in runs if run.diverged_at is not None]
        loss_plot.vertical_marker = diverged[-1] if diverged else None
        if grads:
            latest = runs[-1] if runs else None
            self.query_one("#grad-plot", PlotView).set_series(gradient_series(latest))

    def toggle_log(self) -> None:
        """Switch the loss curve between a linear and a log scale."""
        plot = self.query_one("#loss-plot", PlotView)
        plot.log_y = not plot.log_y
