"""Tests for the plotext widgets: sizes, log scale, bad values, empty data, resizing."""

from __future__ import annotations

import math
import random
import re
import subprocess
import sys

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget

from tutor.tui.widgets.plot_view import TOO_SMALL, BarChartView, PlotView, Series

LOSS = Series("loss", list(range(50)), [math.exp(-i / 10) for i in range(50)])


class PlotApp(App[None]):
    """One PlotView above one BarChartView, each filling half the screen."""

    def compose(self) -> ComposeResult:
        yield PlotView()
        yield BarChartView()


def shown(widget: Widget) -> str:
    """The text the widget currently paints, line by line."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(strip.text for strip in strips)


@pytest.mark.parametrize("size", [(80, 24), (160, 50), (40, 14)])
async def test_line_plot_shows_title_labels_and_legend(size: tuple[int, int]) -> None:
    async with PlotApp().run_test(size=size) as pilot:
        plot = pilot.app.query_one(PlotView)
        plot.title = "Training loss"
        plot.xlabel = "epoch"
        plot.set_series([LOSS, Series("val", [0, 49], [1.0, 0.2])])
        await pilot.pause()
        text = shown(plot)
        for expected in ("Training loss", "epoch", "loss", "val"):
            assert expected in text
        assert len(text.splitlines()) == plot.size.height
        assert max(len(line) for line in text.splitlines()) <= plot.size.width


async def test_empty_data_shows_placeholder() -> None:
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(PlotView)
        plot.title = "Loss"
        await pilot.pause()
        assert "no data yet" in shown(plot)
        plot.set_series([Series("empty", [], [])])
        await pilot.pause()
        assert "no data yet" in shown(plot)
        assert "Loss" in shown(plot)


@pytest.mark.parametrize("size", [(10, 3), (30, 8), (19, 24)])
async def test_tiny_widget_says_it_needs_room(size: tuple[int, int]) -> None:
    async with PlotApp().run_test(size=size) as pilot:
        plot = pilot.app.query_one(PlotView)
        bars = pilot.app.query_one(BarChartView)
        plot.set_series([LOSS])
        bars.set_bars([("a", 1.0)])
        await pilot.pause()
        for widget in (plot, bars):
            assert widget.render().plain == TOO_SMALL
            shown(widget)  # paints without error


async def test_nan_and_inf_are_dropped() -> None:
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(PlotView)
        ys = [1.0, math.nan, 0.5, math.inf, -math.inf, 0.25]
        plot.set_series([Series("loss", range(6), ys)])
        await pilot.pause()
        assert "loss" in shown(plot)
        plot.set_series([Series("loss", [0, 1], [math.nan, math.inf])])
        await pilot.pause()
        assert "no data yet" in shown(plot)


async def test_log_scale_ignores_non_positive_values() -> None:
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(PlotView)
        plot.set_series([Series("loss", range(5), [1.0, 0.0, -2.0, 1e-3, 1e-6])])
        plot.log_y = True
        await pilot.pause()
        text = shown(plot)
        assert "loss" in text
        assert "-2" not in text
        plot.set_series([Series("loss", [0, 1], [0.0, -1.0])])
        await pilot.pause()
        assert "no data yet" in shown(plot)
        plot.log_y = False
        await pilot.pause()
        assert "loss" in shown(plot)


async def test_vertical_marker_and_long_series() -> None:
    n = 20_000
    series = Series("loss", range(n), [1.0 + (i == 12_345) * 50 for i in range(n)])
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(PlotView)
        plot.set_series([series])
        plot.vertical_marker = 12_345
        await pilot.pause()
        text = shown(plot)
        assert "50┤" in text  # the one-sample spike (51) survives thinning: a round tick near it
        plot.vertical_marker = math.nan
        await pilot.pause()
        shown(plot)


async def test_resize_redraws_at_new_size() -> None:
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(PlotView)
        plot.title = "Loss"
        plot.set_series([LOSS])
        await pilot.pause()
        wide = shown(plot)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert plot.size.width == 120
        assert max(len(line) for line in shown(plot).splitlines()) > max(
            len(line) for line in wide.splitlines()
        )
        await pilot.resize_terminal(12, 4)
        await pilot.pause()
        assert TOO_SMALL in plot.render().plain
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "Loss" in shown(plot)


async def test_unknown_colour_name_is_harmless() -> None:
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(PlotView)
        plot.set_series([Series("loss", [0, 1], [1, 2], color="not-a-colour")])
        await pilot.pause()
        assert "loss" in shown(plot)


async def test_bar_chart_labels_in_order() -> None:
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        bars = pilot.app.query_one(BarChartView)
        bars.title = "Accuracy by topic"
        bars.maximum = 100
        bars.set_bars([("chain rule", 80.0), ("sigmoid", 35.5), ("broken", math.nan)])
        await pilot.pause()
        text = shown(bars)
        assert "Accuracy by topic" in text
        assert "100" in text
        assert "broken" not in text
        assert text.index("chain rule") < text.index("sigmoid")


async def test_bar_chart_empty_shows_placeholder() -> None:
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        bars = pilot.app.query_one(BarChartView)
        await pilot.pause()
        assert "no data yet" in shown(bars)
        bars.set_bars([("nan", math.nan)])
        await pilot.pause()
        assert "no data yet" in shown(bars)


async def test_huge_values_are_clipped_not_fatal() -> None:
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(PlotView)
        plot.set_series([Series("diverged", [0, 1, 2], [1.0, 1e308, -1e308])])
        plot.vertical_marker = 1e308
        await pilot.pause()
        assert "diverged" in shown(plot)
        bars = pilot.app.query_one(BarChartView)
        bars.set_bars([("a", 1e308), ("b", -1e308)])
        await pilot.pause()
        assert "a" in shown(bars)


async def test_plotext_failure_is_shown_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    import plotext

    def fail() -> str:
        raise ValueError("boom")

    monkeypatch.setattr(plotext, "build", fail)
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(PlotView)
        plot.set_series([LOSS])
        await pilot.pause()
        assert "could not draw the plot: boom" in shown(plot)


def test_plotext_is_imported_only_when_drawing() -> None:
    code = "import sys, tutor.tui.widgets.plot_view; print('plotext' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


async def test_degenerate_ranges() -> None:
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(PlotView)
        bars = pilot.app.query_one(BarChartView)
        plot.set_series([Series("one point", [3], [0.5])])
        bars.set_bars([("zero", 0.0), ("also zero", 0)])
        await pilot.pause()
        assert "one point" in shown(plot)
        assert "also zero" in shown(bars)
        plot.set_series([Series("flat", range(10), [2.0] * 10)])
        plot.log_y = True
        await pilot.pause()
        assert "flat" in shown(plot)


async def test_random_extreme_data_always_draws() -> None:
    rng = random.Random(7)
    pool = [0.0, -0.0, 1e-300, -1e-300, 1e300, -1e308, 1e308, math.nan, math.inf, 5e-324]
    async with PlotApp().run_test(size=(60, 30)) as pilot:
        plot = pilot.app.query_one(PlotView)
        bars = pilot.app.query_one(BarChartView)
        for _ in range(40):
            n = rng.randint(1, 30)
            ys = [rng.choice(pool) if rng.random() < 0.3 else rng.gauss(0, 10) for _ in range(n)]
            plot.log_y = rng.random() < 0.5
            plot.vertical_marker = rng.choice([None, 0.0, 1e308, -5.0, math.inf])
            plot.set_series([Series("s", range(n), ys)])
            bars.set_bars([(f"b{i}", y) for i, y in enumerate(ys[:5])])
            await pilot.pause()
            for widget in (plot, bars):
                assert "could not draw" not in shown(widget)


async def test_a_flat_series_is_drawn_flat() -> None:
    flat = Series("plateau", range(100), [0.25 + 1e-6 * (i % 3) for i in range(100)])
    async with PlotApp().run_test(size=(80, 30)) as pilot:
        plot = pilot.app.query_one(PlotView)
        plot.y_from_zero = True
        plot.set_series([flat])
        await pilot.pause()
        assert plot.y_axis() == (0.0, max(flat.ys))  # a loss axis starts at 0
        text = shown(plot)
        assert re.search(r"^\s*0┤", text, re.MULTILINE)
        assert "0.250002" not in text  # no zoom into the sixth digit
        plot.y_from_zero = False
        await pilot.pause()
        low, high = plot.y_axis() or (0.0, 0.0)
        assert high - low >= 0.2 * max(flat.ys)  # at least a fifth of the values' size
        plot.log_y = True
        await pilot.pause()
        low, high = plot.y_axis() or (1.0, 1.0)
        assert high / low >= 10 * (1 - 1e-12)  # at least a decade
        assert "log scale" in shown(plot)


async def test_legend_sits_under_the_plot_and_x_ticks_can_be_whole() -> None:
    many = [Series(f"W{i}", range(30), [10.0**-i] * 30) for i in range(1, 7)]
    async with PlotApp().run_test(size=(80, 40)) as pilot:
        plot = pilot.app.query_one(PlotView)
        plot.log_y = plot.whole_x = True
        plot.set_series(many)
        await pilot.pause()
        lines = shown(plot).splitlines()
        axis = max(i for i, line in enumerate(lines) if "└" in line)
        assert not any(re.search(r"W\d", line) for line in lines[:axis])
        assert all(f"W{i}" in "\n".join(lines[axis:]) for i in range(1, 7))
        assert "." not in lines[axis + 1]  # 0 … 29 in whole numbers, not 5.8
        await pilot.resize_terminal(24, 16)  # too narrow for one legend line: wrapped or counted
        await pilot.pause()
        text = shown(plot)
        assert "W1" in text and ("more" in text or "W6" in text)
