"""Training records coalesced into chunks for a UI, and the history of one run.

The engine yields a :class:`~tutor.engine.TrainRecord` every few epochs, far more
often than a screen can usefully redraw.  :func:`coalesce` groups them into a
:class:`ProgressChunk` every ``interval`` seconds (and always at the end), with
the speed and the time left; :class:`RunHistory` accumulates the chunks of one
run into the curves the plots draw; :func:`loss_curve` shrinks a run's loss curve
to a few hundred points worth saving; :func:`share_gil` lets a UI thread run beside
a training thread.  No Textual.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from tutor.engine import TrainRecord
from tutor.training.knobs import Knobs

STOPPED = "stopped"
"""The status of a run the learner stopped (the engine's are running, done, diverged)."""
CURVE_POINTS = 200
"""The most ``(epoch, loss)`` points :func:`loss_curve` keeps (what progress saves per run)."""


@dataclass(frozen=True)
class ProgressChunk:
    """The records of a stretch of training, with where the run stands after them."""

    epochs: tuple[int, ...]
    losses: tuple[float, ...]
    grad_norms: tuple[tuple[float, ...], ...]  # per record: ‖dL/dW_i‖ for each layer
    epoch: int  # epochs done so far
    total_epochs: int
    elapsed: float  # seconds since training started
    status: str = "running"  # running | done | diverged | stopped
    message: str = ""
    params: dict[str, np.ndarray] | None = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        """Whether this is the run's last chunk."""
        return self.status != "running"

    @property
    def epochs_per_second(self) -> float | None:
        """Training speed so far, or None before it can be measured."""
        return self.epoch / self.elapsed if self.elapsed > 0 and self.epoch > 0 else None

    @property
    def seconds_left(self) -> float | None:
        """Estimated time to the last epoch at the speed so far."""
        if self.finished:
            return 0.0
        rate = self.epochs_per_second
        return (self.total_epochs - self.epoch) / rate if rate else None


def coalesce(
    records: Iterable[TrainRecord],
    total_epochs: int,
    *,
    interval: float = 0.1,
    should_stop: Callable[[], bool] = lambda: False,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[ProgressChunk]:
    """Group ``records`` into a chunk every ``interval`` seconds and one at the end.

    The first record (epoch 0) is sent at once, so a curve starts immediately.
    When ``should_stop()`` turns true the run ends with a ``stopped`` chunk.
    """
    start = clock()
    last_sent = -float("inf")
    pending: list[TrainRecord] = []
    for record in records:
        pending.append(record)
        now = clock()
        final = record.status != "running"
        stopping = not final and should_stop()
        if final or stopping or now - last_sent >= interval:
            status = STOPPED if stopping else record.status
            yield _chunk(pending, total_epochs, now - start, status)
            pending = []
            last_sent = now
            if final or stopping:
                return


def share_gil(
    records: Iterable[TrainRecord], *, every: float = 0.003, pause: float = 0.0001
) -> Iterator[TrainRecord]:
    """``records`` unchanged, but sleeping ``pause`` seconds after every ``every`` seconds.

    For a training loop in a thread beside an event loop: NumPy releases and retakes
    the GIL inside every small matrix product, and each release wakes the waiting
    event-loop thread only for it to lose the race again, so without a real pause
    the UI can wait for the whole run.  A 0.1 ms sleep every 3 ms lets it in
    (bench/train_ui.py: key latency well under 100 ms, training at ~87 % of full speed).
    """
    last = time.monotonic()
    for record in records:
        yield record
        now = time.monotonic()
        if now - last >= every:
            time.sleep(pause)
            last = time.monotonic()


def _chunk(
    records: list[TrainRecord], total_epochs: int, elapsed: float, status: str
) -> ProgressChunk:
    last = records[-1]
    return ProgressChunk(
        epochs=tuple(r.epoch for r in records),
        losses=tuple(r.loss for r in records),
        grad_norms=tuple(r.grad_norms for r in records),
        epoch=last.epoch,
        total_epochs=total_epochs,
        elapsed=elapsed,
        status=status,
        message=last.message,
        params=last.params,  # a running record has them only when the config asked
    )


@dataclass
class RunHistory:
    """Everything one run has produced so far: its curves, status and final parameters."""

    knobs: Knobs | None = None  # the run's settings, when a learner chose them
    epochs: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    grad_norms: list[tuple[float, ...]] = field(default_factory=list)
    status: str = "running"
    message: str = ""
    params: dict[str, np.ndarray] | None = None
    last: ProgressChunk | None = None

    def add(self, chunk: ProgressChunk) -> None:
        """Append a chunk's records and take on its status."""
        self.epochs.extend(chunk.epochs)
        self.losses.extend(chunk.losses)
        self.grad_norms.extend(chunk.grad_norms)
        self.status, self.message, self.last = chunk.status, chunk.message, chunk
        if chunk.params is not None:
            self.params = chunk.params

    @classmethod
    def from_curve(
        cls, knobs: Knobs | None, curve: Sequence[tuple[int, float]], status: str
    ) -> RunHistory:
        """A finished run restored from its saved loss curve (no gradients or parameters)."""
        return cls(
            knobs,
            epochs=[epoch for epoch, _ in curve],
            losses=[loss for _, loss in curve],
            status=status,
        )

    @property
    def first_loss(self) -> float | None:
        """The loss before training (epoch 0)."""
        return self.losses[0] if self.losses else None

    @property
    def final_loss(self) -> float | None:
        """The latest loss, or None if there is none or it is not finite."""
        if not self.losses or not np.isfinite(self.losses[-1]):
            return None
        return self.losses[-1]

    @property
    def diverged_at(self) -> int | None:
        """The epoch where the loss stopped being finite, if it did."""
        return self.epochs[-1] if self.status == "diverged" and self.epochs else None

    def layer_norms(self, layer: int) -> list[float]:
        """‖dL/dW_layer‖ (1-based layer) at every recorded epoch."""
        return [norms[layer - 1] for norms in self.grad_norms]

    @property
    def layers(self) -> int:
        """How many weight matrices the network has."""
        return len(self.grad_norms[0]) if self.grad_norms else 0


def loss_curve(
    epochs: Sequence[int], losses: Sequence[float], points: int = CURVE_POINTS
) -> list[tuple[int, float]]:
    """At most ``points`` finite ``(epoch, loss)`` pairs that draw like the whole curve.

    The first and last points are kept, and between them the lowest and highest
    point of each of ``(points − 2) // 2`` equal stretches, so spikes survive.
    """
    kept = [
        (int(epoch), float(loss))
        for epoch, loss in zip(epochs, losses, strict=False)
        if math.isfinite(loss)
    ]
    if len(kept) <= points:
        return kept
    inner, buckets = kept[1:-1], max(1, (points - 2) // 2)
    chosen: list[tuple[int, float]] = []
    for b in range(buckets):
        stretch = inner[b * len(inner) // buckets : (b + 1) * len(inner) // buckets]
        if stretch:
            low = min(stretch, key=lambda p: p[1])
            high = max(stretch, key=lambda p: p[1])
            chosen.extend(sorted({low, high}))
    return [kept[0], *chosen, kept[-1]]
