"""Plots drawn by plotext at the widget's size: line plots and horizontal bar charts.

Provides :class:`Series` (one labelled line), :class:`PlotView` (line plots with an
optional log-scale y axis and a vertical marker, e.g. a loss curve and the epoch
where training diverged) and :class:`BarChartView` (labelled values as horizontal
bars, e.g. accuracy per topic).  plotext is imported only when a plot is first
drawn, and its global state is guarded by :data:`PLOTEXT_LOCK`.  NaN/inf values
are dropped, as are non-positive values on a log scale; with no data a placeholder
is shown, and a widget too small to hold a plot says so instead.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

PLOTEXT_LOCK = threading.Lock()
"""Held while building a plotext figure (plotext keeps one global figure)."""

PALETTE = ("cyan", "orange", "green", "magenta", "blue", "red")
"""plotext colours for series without their own, by series index; readable on dark and light."""

MARKER_COLOR = "red"
MIN_WIDTH = 20
MIN_HEIGHT = 5
TOO_SMALL = "(plot needs more room)"
LIMIT = 1e300
"""Values are clipped to ``[-LIMIT, LIMIT]``: plotext overflows on ranges near the float maximum."""

_PLOT_CSS = """
{name} {{
    height: 1fr;
    min-height: 3;
    content-align: center middle;
    text-align: center;
}}
"""


@dataclass(frozen=True)
class Series:
    """One line of a :class:`PlotView`: points ``(xs[i], ys[i])`` in increasing x."""

    label: str
    xs: Sequence[float]
    ys: Sequence[float]
    color: str | None = None
    marker: str | None = None


def _message(text: str, title: str = "") -> Text:
    """A centred message, under the title if there is one."""
    return Text(f"{title}\n{text}" if title else text, style="dim", justify="center")


def _plotext(width: int, height: int, title: str, draw: Callable[[ModuleType], None]) -> Text:
    """Build a figure of ``width`` x ``height`` cells with ``draw(plt)`` and return it as Text."""
    with PLOTEXT_LOCK:
        import plotext as plt

        plt.clear_figure()
        plt.limitsize(False, False)
        plt.plotsize(width, height)
        plt.theme("clear")
        if title:
            plt.title(title)
        try:
            draw(plt)
            ansi = plt.build()
        except Exception as exc:  # plotext fails on some extreme inputs; never crash the app
            return _message(f"(could not draw the plot: {exc})", title)
    return Text.from_ansi(ansi, no_wrap=True, overflow="crop")


def _too_small(widget: Widget) -> bool:
    width, height = widget.content_size
    return width < MIN_WIDTH or height < MIN_HEIGHT


def _finite_points(
    xs: Sequence[float], ys: Sequence[float], positive: bool
) -> tuple[list[float], list[float]]:
    """The points with finite coordinates (and ``y > 0`` if ``positive``), clipped, as floats."""
    kept_x: list[float] = []
    kept_y: list[float] = []
    for x, y in zip(xs, ys, strict=False):
        fx, fy = float(x), float(y)
        if math.isfinite(fx) and math.isfinite(fy) and (fy > 0 or not positive):
            kept_x.append(_clip(fx))
            kept_y.append(_clip(fy))
    return kept_x, kept_y


def _clip(value: float) -> float:
    return max(-LIMIT, min(LIMIT, value))


def _ticks(lo: float, hi: float, count: int, log: bool = False) -> tuple[list[float], list[str]]:
    """``count`` evenly spaced ticks from ``lo`` to ``hi`` (geometric if ``log``), labelled briefly.

    plotext writes every digit of a large number, which leaves no room for the plot.
    """
    if lo == hi:
        values = [lo]
    elif log:
        a, b = math.log10(lo), math.log10(hi)
        values = [10 ** (a + (b - a) * i / (count - 1)) for i in range(count)]
    else:
        values = [lo + (hi - lo) * i / (count - 1) for i in range(count)]
    for digits in range(3, 16):
        labels = [_label(v, digits) for v in values]
        if len(set(labels)) == len(labels):
            break
    return values, labels


def _label(value: float, digits: int) -> str:
    """``value`` to ``digits`` significant digits, without an exponent from 1e-4 to 1e6."""
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    if -4 <= magnitude < 6:
        return f"{round(value, digits - 1 - magnitude):.{max(digits, magnitude + 1)}g}"
    return f"{value:.{digits}g}"


def _tick_count(cells: int, spacing: int) -> int:
    """How many ticks fit on an axis of ``cells`` with about ``spacing`` cells between them."""
    return max(2, min(6, cells // spacing))


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


class PlotView(Widget):
    """Line plots of one or more :class:`Series`, redrawn at the widget's size."""

    DEFAULT_CSS = _PLOT_CSS.format(name="PlotView")

    title: reactive[str] = reactive("")
    """Shown above the plot."""
    xlabel: reactive[str] = reactive("")
    ylabel: reactive[str] = reactive("")
    log_y: reactive[bool] = reactive(False)
    """Log-scale y axis; non-positive values are then left out."""
    vertical_marker: reactive[float | None] = reactive(None)
    """An x value to mark with a vertical line (e.g. the epoch where training diverged)."""
    placeholder: reactive[str] = reactive("no data yet")
    """Shown instead of the plot when there is nothing to draw."""

    def __init__(
        self,
        series: Sequence[Series] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._series: tuple[Series, ...] = tuple(series)

    @property
    def series(self) -> tuple[Series, ...]:
        """The series currently plotted."""
        return self._series

    def set_series(self, series: Sequence[Series]) -> None:
        """Replace the plotted series and redraw."""
        self._series = tuple(series)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        """Redraw at the new size."""
        self.refresh()

    def render(self) -> RenderResult:
        """The plot, a placeholder, or a note that the widget is too small."""
        if _too_small(self):
            return _message(TOO_SMALL)
        width, height = self.content_size
        lines: list[tuple[Series, list[float], list[float], str]] = []
        for index, series in enumerate(self._series):
            xs, ys = _finite_points(series.xs, series.ys, positive=self.log_y)
            if xs:
                xs, ys = _thin(xs, ys, buckets=2 * width)
                lines.append((series, xs, ys, series.color or PALETTE[index % len(PALETTE)]))
        if not lines:
            return _message(self.placeholder, self.title)

        all_x = [x for _, xs, _, _ in lines for x in xs]
        all_y = [y for _, _, ys, _ in lines for y in ys]

        def draw(plt: ModuleType) -> None:
            for series, xs, ys, color in lines:
                plt.plot(xs, ys, label=series.label or None, color=color, marker=series.marker)
            if self.log_y:
                plt.yscale("log")
            plt.xticks(*_ticks(min(all_x), max(all_x), _tick_count(width, 12)))
            plt.yticks(*_ticks(min(all_y), max(all_y), _tick_count(height - 4, 2), self.log_y))
            marker = self.vertical_marker
            if marker is not None and math.isfinite(marker):
                plt.vline(_clip(marker), color=MARKER_COLOR)
            plt.xlabel(self.xlabel)
            plt.ylabel(self.ylabel)

        return _plotext(width, height, self.title, draw)


class BarChartView(Widget):
    """Labelled values as horizontal bars, first label at the top, redrawn at the widget's size."""

    DEFAULT_CSS = _PLOT_CSS.format(name="BarChartView")

    title: reactive[str] = reactive("")
    """Shown above the chart."""
    xlabel: reactive[str] = reactive("")
    """Names the values (the horizontal axis)."""
    maximum: reactive[float | None] = reactive(None)
    """Right end of the value axis (e.g. 100 for percentages); None fits the data."""
    color: reactive[str] = reactive(PALETTE[0])
    placeholder: reactive[str] = reactive("no data yet")
    """Shown instead of the chart when there is nothing to draw."""

    def __init__(
        self,
        bars: Sequence[tuple[str, float]] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._bars: tuple[tuple[str, float], ...] = tuple(bars)

    @property
    def bars(self) -> tuple[tuple[str, float], ...]:
        """The ``(label, value)`` pairs currently drawn."""
        return self._bars

    def set_bars(self, bars: Sequence[tuple[str, float]]) -> None:
        """Replace the ``(label, value)`` pairs and redraw."""
        self._bars = tuple(bars)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        """Redraw at the new size."""
        self.refresh()

    def render(self) -> RenderResult:
        """The chart, a placeholder, or a note that the widget is too small."""
        if _too_small(self):
            return _message(TOO_SMALL)
        bars = [(label, _clip(value)) for label, value in self._bars if math.isfinite(value)]
        if not bars:
            return _message(self.placeholder, self.title)
        labels = [label for label, _ in reversed(bars)]
        values = [value for _, value in reversed(bars)]

        width, height = self.content_size
        low = min(0.0, *values)
        high = max(0.0, *values)
        if self.maximum is not None and self.maximum > low:
            high = _clip(self.maximum)
        if high == low:  # all zero: plotext cannot scale an empty range
            high = 1.0

        def draw(plt: ModuleType) -> None:
            plt.bar(labels, values, orientation="horizontal", color=self.color)
            plt.xlim(low, high)
            plt.xticks(*_ticks(low, high, _tick_count(width, 12)))
            plt.xlabel(self.xlabel)

        return _plotext(width, height, self.title, draw)
