"""Plots drawn by plotext at the widget's size: line plots and horizontal bar charts.

Provides :class:`PlotView` (line plots of :class:`~tutor.training.plot.Series` with
an optional log-scale y axis and a vertical marker, e.g. a loss curve and the epoch
where training diverged) and :class:`BarChartView` (labelled values as horizontal
bars, e.g. accuracy per topic).  The drawing is :mod:`tutor.training.plot`'s, the
same as the ``train`` command's; these widgets size it, add the legend and show it.
NaN/inf values are dropped, as are non-positive values on a log scale; with no data
a placeholder is shown, and a widget too small to hold a plot says so instead.  The
legend sits under the plot, where it hides no line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tutor.training.axes import LOG_SCALE, y_range
from tutor.training.plot import PALETTE, Line, Series, bar_chart, line_plot, plot_lines
from tutor.tui.literal import literal

__all__ = ["TOO_SMALL", "BarChartView", "PlotView", "Series"]

ANSI_CODES = {"red": 1, "green": 2, "orange": 3, "blue": 4, "magenta": 5, "cyan": 6, "gray": 8}
"""The terminal colour numbers of plotext's colour names ("NAME+" is the bright one, +8)."""
ANSI_NAMES = (
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    "bright_black", "bright_red", "bright_green", "bright_yellow",
    "bright_blue", "bright_magenta", "bright_cyan", "bright_white",
)  # fmt: skip
"""Textual's names of the 16 terminal colours, by number."""
LEGEND_SAMPLE = "──"
"""Drawn before a series' label in the legend, in the series' colour."""
MIN_WIDTH = 20
MIN_HEIGHT = 5
TOO_SMALL = "(plot needs more room)"

_PLOT_CSS = """
{name} {{
    height: 1fr;
    min-height: 3;
    content-align: center middle;
    text-align: center;
    text-wrap: nowrap;
    text-overflow: clip;
}}
"""


def _message(text: str, title: str = "") -> Content:
    """A message (centred by the widget's style), under the title if there is one."""
    return literal(f"{title}\n{text}" if title else text, "dim")


def _shown(build: Callable[[], str | None], placeholder: str, title: str) -> Content:
    """The figure ``build()`` draws as Content, the placeholder for None, or why it failed."""
    try:
        ansi = build()
    except Exception as exc:  # plotext fails on some extreme inputs; never crash the app
        return _message(f"(could not draw the plot: {exc})", title)
    if ansi is None:
        return _message(placeholder, title)
    # plotext draws with ANSI colour codes, and Textual 8.2's Content reads no ANSI: Rich's
    # decoder turns them into styled Text (its words are numbers and the tutor's own axis
    # labels, never markup), which becomes Content at once
    return Content.from_rich_text(Text.from_ansi(ansi.rstrip("\n")))


def _too_small(widget: Widget) -> bool:
    width, height = widget.content_size
    return width < MIN_WIDTH or height < MIN_HEIGHT


def _legend_style(color: str) -> str:
    """The style of a plotext colour name (plain for a name plotext does not know)."""
    code = ANSI_CODES.get(color.removesuffix("+"))
    if code is None:
        return ""
    return f"ansi_{ANSI_NAMES[code + 8 if color.endswith('+') and code < 8 else code]}"


def _legend(items: Sequence[tuple[str, str]], width: int, max_lines: int) -> list[Content]:
    """``(label, colour)`` items packed into at most ``max_lines`` lines of ``width`` cells.

    Items that do not fit are counted as "+N more" at the end.
    """
    lines: list[Content] = []
    line = Content()
    for index, (label, color) in enumerate(items):
        item = Content.assemble(literal(LEGEND_SAMPLE, _legend_style(color)), literal(f" {label}"))
        gap = 2 if line.plain else 0
        if line.plain and line.cell_length + gap + item.cell_length > width:
            lines.append(line)
            line = Content()
            gap = 0
        if len(lines) == max_lines:
            left = len(items) - index
            lines[-1] = (lines[-1] + literal(f"  +{left} more", "dim")).truncate(width)
            return lines
        line = line + " " * gap + item
    if line.plain:
        lines.append(line)
    return [text.truncate(width) for text in lines]


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
        ys = [y for line in plot_lines(self._series, log_y=self.log_y) for y in line.ys]
        return y_range(ys, log=self.log_y, from_zero=self.y_from_zero) if ys else None

    def render(self) -> RenderResult:
        """The plot with its legend below, a placeholder, or a note that the widget is too small."""
        if _too_small(self):
            return _message(TOO_SMALL)
        width, height = self.content_size
        lines = plot_lines(self._series, log_y=self.log_y, buckets=2 * width)
        labelled = [(line.series.label, line.color) for line in lines if line.series.label]
        legend = _legend(labelled, width, max_lines=max(0, height - MIN_HEIGHT))
        plot = _shown(
            lambda: self._draw(lines, width, height - len(legend)), self.placeholder, self.title
        )
        return Content("\n").join([plot, *legend]) if lines and legend else plot

    def _draw(self, lines: list[Line], width: int, height: int) -> str | None:
        """The plotext text of ``lines`` at ``width`` x ``height``, or None with nothing to draw."""
        if not lines:
            return None
        ylabel = self.ylabel
        if self.log_y:
            ylabel = f"{ylabel} ({LOG_SCALE})" if ylabel else LOG_SCALE
        return line_plot(
            lines,
            width,
            height,
            title=self.title,
            xlabel=self.xlabel,
            ylabel=ylabel,
            log_y=self.log_y,
            y_from_zero=self.y_from_zero,
            whole_x=self.whole_x,
            marker=self.vertical_marker,
        )


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
        width, height = self.content_size
        return _shown(
            lambda: bar_chart(
                self._bars,
                width,
                height,
                title=self.title,
                xlabel=self.xlabel,
                maximum=self.maximum,
                bar_color=self.color,
            ),
            self.placeholder,
            self.title,
        )
