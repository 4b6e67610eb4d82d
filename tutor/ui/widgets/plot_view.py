"""Plots drawn by plotext at the widget's size: line plots and horizontal bar charts.

Provides :class:`Series` (one labelled line), :class:`PlotView` (line plots with an
optional log-scale y axis and a vertical marker, e.g. a loss curve and the epoch
where training diverged) and :class:`BarChartView` (labelled values as horizontal
bars, e.g. accuracy per topic).  plotext is imported only when a plot is first
drawn, and its global state is guarded by :data:`PLOTEXT_LOCK`.  NaN/inf values
are dropped, as are non-positive values on a log scale; with no data a placeholder
is shown, and a widget too small to hold a plot says so instead.  The legend sits
under the plot, where it hides no line; axis ranges and tick labels come from
:mod:`tutor.training.axes`, so a flat series looks flat.
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

from tutor.training.axes import LOG_SCALE, ticks, y_range

PLOTEXT_LOCK = threading.Lock()
"""Held while building a plotext figure (plotext keeps one global figure)."""

PALETTE = ("cyan", "orange", "green", "magenta", "blue", "red")
"""plotext colours for series without their own, by series index; readable on dark and light."""

ANSI_CODES = {"red": 1, "green": 2, "orange": 3, "blue": 4, "magenta": 5, "cyan": 6, "gray": 8}
"""The terminal colour numbers of plotext's colour names ("NAME+" is the bright one, +8)."""
LEGEND_SAMPLE = "──"
"""Drawn before a series' label in the legend, in the series' colour."""
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
    return Text.from_ansi(ansi.rstrip("\n"), no_wrap=True, overflow="crop")


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


def _legend_style(color: str) -> str:
    """The Rich style of a plotext colour name (plain for a name plotext does not know)."""
    code = ANSI_CODES.get(color.removesuffix("+"))
    if code is None:
        return ""
    return f"color({code + 8 if color.endswith('+') and code < 8 else code})"


def _legend(items: Sequence[tuple[str, str]], width: int, max_lines: int) -> list[Text]:
    """``(label, colour)`` items packed into at most ``max_lines`` lines of ``width`` cells.

    Items that do not fit are counted as "+N more" at the end.
    """
    lines: list[Text] = []
    line = Text()
    for index, (label, color) in enumerate(items):
        item = Text.assemble((LEGEND_SAMPLE, _legend_style(color)), f" {label}")
        gap = 2 if line.plain else 0
        if line.plain and line.cell_len + gap + item.cell_len > width:
            lines.append(line)
            line = Text()
            gap = 0
        if len(lines) == max_lines:
            left = len(items) - index
            lines[-1].append(f"  +{left} more", style="dim")
            lines[-1].truncate(width)
            return lines
        line.append(" " * gap)
        line.append_text(item)
    if line.plain:
        lines.append(line)
    for text in lines:
        text.truncate(width)
    return lines


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
    """Log-scale y axis; non-positive values are then left out, and the y label says so."""
    y_from_zero: reactive[bool] = reactive(False)
    """Start a linear y axis at 0 when no value is negative (a loss)."""
    whole_x: reactive[bool] = reactive(False)
    """Tick the x axis at whole numbers only (epochs)."""
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

    def y_axis(self) -> tuple[float, float] | None:
        """The ``(low, high)`` of the y axis as drawn now, or None with nothing to draw."""
        ys = [y for _, _, line_ys, _ in self._lines(buckets=None) for y in line_ys]
        return y_range(ys, log=self.log_y, from_zero=self.y_from_zero) if ys else None

    def _lines(self, buckets: int | None) -> list[tuple[Series, list[float], list[float], str]]:
        """Each series with points to draw: its finite points (thinned) and colour."""
        lines = []
        for index, series in enumerate(self._series):
            xs, ys = _finite_points(series.xs, series.ys, positive=self.log_y)
            if xs:
                if buckets is not None:
                    xs, ys = _thin(xs, ys, buckets)
                lines.append((series, xs, ys, series.color or PALETTE[index % len(PALETTE)]))
        return lines

    def render(self) -> RenderResult:
        """The plot with its legend below, a placeholder, or a note that the widget is too small."""
        if _too_small(self):
            return _message(TOO_SMALL)
        width, height = self.content_size
        lines = self._lines(buckets=2 * width)
        if not lines:
            return _message(self.placeholder, self.title)
        labelled = [(series.label, color) for series, _, _, color in lines if series.label]
        legend = _legend(labelled, width, max_lines=max(0, height - MIN_HEIGHT))
        all_x = [x for _, xs, _, _ in lines for x in xs]
        low, high = y_range(
            [y for _, _, ys, _ in lines for y in ys], log=self.log_y, from_zero=self.y_from_zero
        )
        ylabel = self.ylabel
        if self.log_y:
            ylabel = f"{ylabel} ({LOG_SCALE})" if ylabel else LOG_SCALE

        def draw(plt: ModuleType) -> None:
            for series, xs, ys, color in lines:
                plt.plot(xs, ys, color=color, marker=series.marker)
            if self.log_y:
                plt.yscale("log")
                plt.ylim(math.log10(low), math.log10(high))  # plotext takes log limits here
            else:
                plt.ylim(low, high)
            x_count = _tick_count(width, 12)
            plt.xticks(*ticks(min(all_x), max(all_x), x_count, whole=self.whole_x))
            plt.yticks(*ticks(low, high, _tick_count(height - len(legend) - 4, 2), log=self.log_y))
            marker = self.vertical_marker
            if marker is not None and math.isfinite(marker):
                plt.vline(_clip(marker), color=MARKER_COLOR)
            plt.xlabel(self.xlabel)
            plt.ylabel(ylabel)

        plot = _plotext(width, height - len(legend), self.title, draw)
        return Text("\n").join([plot, *legend]) if legend else plot


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
            plt.xticks(*ticks(low, high, _tick_count(width, 12)))
            plt.xlabel(self.xlabel)

        return _plotext(width, height, self.title, draw)
