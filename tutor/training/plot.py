"""Training curves drawn by plotext, as text: one drawing for the terminal and the TUI.

Provides :class:`Series` (one labelled line), :func:`plot_lines` (the finite points
of each series, clipped to :data:`CLIP` and thinned, with a colour),
:func:`line_plot` and :func:`bar_chart` (the plotext text of a figure of a given
size, with ANSI colours or plain), :func:`loss_plot` (a run's loss curve, the
``train`` command's plot) and :func:`race_plot` (several runs of a lesson's race,
told apart by their characters).  The plot widgets draw with the same functions.  Axis
ranges and ticks come from :mod:`tutor.training.axes`, so a flat curve looks flat.
plotext is imported only when a figure is built, and its one global figure is
guarded by :data:`PLOTEXT_LOCK`.  No Textual, no Rich.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from tutor.training.axes import LOG_SCALE, ticks, y_range

if TYPE_CHECKING:
    from tutor.training.history import RunHistory

CLIP = 1e300
"""Values are clipped to ``[-CLIP, CLIP]``: plotext overflows on ranges near the float maximum."""
PALETTE = ("cyan", "orange", "green", "magenta", "blue", "red")
"""plotext colours for series without their own, by series index; readable on dark and light."""
MARKER_COLOR = "red"
"""The colour of the vertical marker (the epoch where a run diverged)."""
LOSS_TITLE = "Loss"
EPOCH_LABEL = "epoch"
"""The loss plot's title and its x axis, in the train view and the plain terminal alike."""
LOG_SPAN = 100
"""A loss curve is drawn on a log scale when its largest loss is over this times the smallest."""
PLOTEXT_LOCK = threading.Lock()
"""Held while building a plotext figure (plotext keeps one global figure)."""


@dataclass(frozen=True)
class Series:
    """One line of a plot: points ``(xs[i], ys[i])`` in increasing x."""

    label: str
    xs: Sequence[float]
    ys: Sequence[float]
    color: str | None = None
    marker: str | None = None


@dataclass(frozen=True)
class Line:
    """A series ready to draw: its finite, clipped (and thinned) points and its colour."""

    series: Series
    xs: list[float]
    ys: list[float]
    color: str


def clip(value: float) -> float:
    """``value`` within ``[-CLIP, CLIP]``."""
    return max(-CLIP, min(CLIP, value))


def plot_lines(
    series: Sequence[Series], *, log_y: bool = False, buckets: int | None = None
) -> list[Line]:
    """Each series that has points to draw (finite; ``y > 0`` on a log scale), clipped.

    Series without a colour take one from :data:`PALETTE` by their index; with
    ``buckets`` a long series is thinned to the extremes of that many stretches.
    """
    lines = []
    for index, one in enumerate(series):
        xs, ys = _finite_points(one.xs, one.ys, positive=log_y)
        if xs:
            if buckets is not None:
                xs, ys = _thin(xs, ys, buckets)
            lines.append(Line(one, xs, ys, one.color or PALETTE[index % len(PALETTE)]))
    return lines


def _finite_points(
    xs: Sequence[float], ys: Sequence[float], positive: bool
) -> tuple[list[float], list[float]]:
    """The points with finite coordinates (and ``y > 0`` if ``positive``), clipped, as floats."""
    kept_x: list[float] = []
    kept_y: list[float] = []
    for x, y in zip(xs, ys, strict=False):
        fx, fy = float(x), float(y)
        if math.isfinite(fx) and math.isfinite(fy) and (fy > 0 or not positive):
            kept_x.append(clip(fx))
            kept_y.append(clip(fy))
    return kept_x, kept_y


def _thin(xs: list[float], ys: list[float], buckets: int) -> tuple[list[float], list[float]]:
    """At most the lowest and highest point of each of ``buckets`` runs of consecutive points.

    Bounds the cost of a long curve without hiding its spikes.
    """
    n = len(xs)
    if n <= 2 * buckets:
        return xs, ys
    keep: list[int] = []
    for b in range(buckets):
        chunk = range(b * n // buckets, (b + 1) * n // buckets)
        keep.extend(sorted({min(chunk, key=ys.__getitem__), max(chunk, key=ys.__getitem__)}))
    return [xs[i] for i in keep], [ys[i] for i in keep]


def tick_count(cells: int, spacing: int) -> int:
    """How many ticks fit on an axis of ``cells`` with about ``spacing`` cells between them."""
    return max(2, min(6, cells // spacing))


def figure(
    width: int, height: int, title: str, draw: Callable[[ModuleType], None], *, color: bool = True
) -> str:
    """A plotext figure of ``width`` x ``height`` cells drawn by ``draw(plt)``, as text.

    With ``color`` the text keeps plotext's ANSI colour codes; without, they are
    stripped.  Errors from plotext (it fails on some extreme inputs) propagate.
    """
    with PLOTEXT_LOCK:
        import plotext as plt

        plt.clear_figure()
        plt.limitsize(False, False)
        plt.plotsize(width, height)
        plt.theme("clear")
        if title:
            plt.title(title)
        draw(plt)
        text: str = plt.build()
    return text if color else plt.uncolorize(text)


def line_plot(
    lines: Sequence[Line],
    width: int,
    height: int,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    log_y: bool = False,
    y_from_zero: bool = False,
    whole_x: bool = False,
    marker: float | None = None,
    color: bool = True,
    legend: bool = False,
) -> str:
    """``lines`` (from :func:`plot_lines`, at least one) as a plotext line plot.

    The y axis comes from :func:`~tutor.training.axes.y_range` (from 0 with
    ``y_from_zero``), ticks are spaced to the size, and ``marker`` draws a vertical line;
    with ``legend`` each line's label is listed in the plot.
    """
    all_x = [x for line in lines for x in line.xs]
    low, high = y_range([y for line in lines for y in line.ys], log=log_y, from_zero=y_from_zero)

    def draw(plt: ModuleType) -> None:
        for line in lines:
            label = line.series.label if legend else None
            plt.plot(line.xs, line.ys, color=line.color, marker=line.series.marker, label=label)
        if log_y:
            plt.yscale("log")
            plt.ylim(math.log10(low), math.log10(high))  # plotext takes log limits here
        else:
            plt.ylim(low, high)
        plt.xticks(*ticks(min(all_x), max(all_x), tick_count(width, 12), whole=whole_x))
        plt.yticks(*ticks(low, high, tick_count(height - 4, 2), log=log_y))
        if marker is not None and math.isfinite(marker):
            plt.vline(clip(marker), color=MARKER_COLOR)
        plt.xlabel(xlabel)
        plt.ylabel(ylabel)

    return figure(width, height, title, draw, color=color)


def bar_chart(
    bars: Sequence[tuple[str, float]],
    width: int,
    height: int,
    *,
    title: str = "",
    xlabel: str = "",
    maximum: float | None = None,
    bar_color: str = PALETTE[0],
) -> str | None:
    """Labelled values as horizontal bars, the first at the top; None if none is finite.

    The value axis runs from ``min(0, values)`` to ``maximum`` (or the largest value).
    """
    kept = [(label, clip(value)) for label, value in bars if math.isfinite(value)]
    if not kept:
        return None
    labels = [label for label, _ in reversed(kept)]
    values = [value for _, value in reversed(kept)]
    low = min(0.0, *values)
    high = max(0.0, *values)
    if maximum is not None and maximum > low:
        high = clip(maximum)
    if high == low:  # all zero: plotext cannot scale an empty range
        high = 1.0

    def draw(plt: ModuleType) -> None:
        plt.bar(labels, values, orientation="horizontal", color=bar_color)
        plt.xlim(low, high)
        plt.xticks(*ticks(low, high, tick_count(width, 12)))
        plt.xlabel(xlabel)

    return figure(width, height, title, draw)


def loss_plot(history: RunHistory, loss_name: str, width: int, height: int, *, color: bool) -> str:
    """A run's loss curve: y axis from 0, or a log scale (said in the title) when the loss
    spans more than :data:`LOG_SPAN`; the epoch where it diverged is marked."""
    lines = plot_lines([Series("loss", history.epochs, history.losses)])
    ys = [y for line in lines for y in line.ys]
    log = bool(ys) and min(ys) > 0 and max(ys) / min(ys) > LOG_SPAN
    title = f"{LOSS_TITLE} ({loss_name}, {LOG_SCALE})" if log else f"{LOSS_TITLE} ({loss_name})"
    return _epoch_plot(
        lines, width, height, title, log_y=log, marker=history.diverged_at, color=color
    )


def _epoch_plot(
    lines: Sequence[Line],
    width: int,
    height: int,
    title: str,
    *,
    log_y: bool,
    color: bool,
    marker: float | None = None,
    legend: bool = False,
) -> str:
    """Loss against epoch, from 0; with no finite point, the frame (and ``marker``) alone."""
    if not lines:

        def frame(plt: ModuleType) -> None:
            plt.xlabel(EPOCH_LABEL)
            if marker is not None:
                plt.vline(marker, color=MARKER_COLOR)

        return figure(width, height, title, frame, color=color)
    return line_plot(
        lines,
        width,
        height,
        title=title,
        xlabel=EPOCH_LABEL,
        log_y=log_y,
        y_from_zero=True,
        whole_x=True,
        marker=marker,
        color=color,
        legend=legend,
    )


RACE_MARKERS = ("*", "o", "+", "x")
"""Each run of a race is drawn with its own character, so the curves differ without colour."""


def race_plot(
    runs: Sequence[RunHistory],
    labels: Sequence[str],
    width: int,
    height: int,
    *,
    log_y: bool,
    color: bool,
) -> str:
    """Several runs' loss curves on one plot, each with its own character and a legend."""
    series = [
        Series(label, run.epochs, run.losses, marker=RACE_MARKERS[i % len(RACE_MARKERS)])
        for i, (label, run) in enumerate(zip(labels, runs, strict=True))
    ]
    lines = plot_lines(series, log_y=log_y, buckets=width)
    title = f"{LOSS_TITLE}, {LOG_SCALE}" if log_y else LOSS_TITLE
    return _epoch_plot(lines, width, height, title, log_y=log_y, color=color, legend=True)
