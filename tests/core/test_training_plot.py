"""The plotext drawing of training curves shared by the ``train`` command and the plot widgets."""

from __future__ import annotations

import math
import re
import subprocess
import sys

from tutor.training import RunHistory
from tutor.training.plot import (
    CLIP,
    PALETTE,
    Series,
    bar_chart,
    line_plot,
    loss_plot,
    plot_lines,
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def curve(losses: list[float], status: str = "done") -> RunHistory:
    return RunHistory.from_curve(None, list(enumerate(losses)), status)


def test_importing_training_loads_no_plotext_ui_or_lesson() -> None:
    code = "import sys, tutor.training, tutor.training.plot; print(' '.join(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    roots = {name.split(".")[0] for name in loaded}
    assert not roots & {"plotext", "textual", "rich"}
    assert not [name for name in loaded if name.startswith("tutor.lesson")]


def test_plot_lines_keep_finite_points_clip_them_and_colour_by_index() -> None:
    ys = [1.0, math.nan, -2.0, math.inf, 1e308, 0.0]
    first, second = plot_lines([Series("a", range(6), ys), Series("b", [0], [3.0], color="red")])
    assert first.xs == [0.0, 2.0, 4.0, 5.0] and first.ys == [1.0, -2.0, CLIP, 0.0]
    assert (first.color, second.color) == (PALETTE[0], "red")
    (log,) = plot_lines([Series("a", range(6), ys)], log_y=True)
    assert log.ys == [1.0, CLIP]  # a log scale cannot show 0 or -2
    assert plot_lines([Series("nan", [0, 1], [math.nan, -math.inf])]) == []


def test_thinning_keeps_each_stretch_extremes() -> None:
    n = 10_000
    ys = [1.0 + (i == 4321) * 50 - (i == 7777) * 0.5 for i in range(n)]
    (line,) = plot_lines([Series("s", range(n), ys)], buckets=40)
    assert len(line.xs) <= 80
    assert max(line.ys) == 51.0 and min(line.ys) == 0.5  # the one-sample spike and dip survive
    assert 4321.0 in line.xs and 7777.0 in line.xs


def test_loss_plot_chooses_a_log_axis_only_for_a_wide_span() -> None:
    falling = curve([0.25 * 0.99**i for i in range(600)])  # 0.25 down to about 6e-4: > 100×
    text = loss_plot(falling, "half_squared_error", 80, 20, color=False)
    assert "Loss (half_squared_error, log scale)" in text
    plateau = curve([0.125] * 50)
    flat = loss_plot(plateau, "half_squared_error", 80, 20, color=False)
    assert "Loss (half_squared_error)" in flat and "log scale" not in flat
    assert re.search(r"^\s*0┤", flat, re.MULTILINE)  # a loss axis starts at 0
    assert "epoch" in flat
    assert all(len(line) <= 80 for line in flat.splitlines())


def test_colour_is_plotexts_ansi_and_plain_is_the_same_drawing_without_it() -> None:
    history = curve([1.0, 0.5, 0.25, 0.2])
    coloured = loss_plot(history, "squared_error", 60, 15, color=True)
    plain = loss_plot(history, "squared_error", 60, 15, color=False)
    assert ANSI.search(coloured) and not ANSI.search(plain)
    assert ANSI.sub("", coloured) == plain


def test_a_diverged_run_is_clipped_and_marked() -> None:
    history = curve([0.3, 10.0, 1e200, 1e308, math.inf], status="diverged")
    assert history.diverged_at == 4
    text = loss_plot(history, "half_squared_error", 80, 20, color=False)
    assert "1e+300" in text  # the top of the axis is the clip, not the float maximum
    only_nan = loss_plot(curve([math.nan], "diverged"), "half_squared_error", 60, 12, color=False)
    assert "Loss (half_squared_error)" in only_nan and "epoch" in only_nan


def test_line_plot_ticks_whole_epochs_and_bar_chart_skips_non_numbers() -> None:
    lines = plot_lines([Series("", range(30), [2.0**-i for i in range(30)])])
    text = line_plot(lines, 80, 20, whole_x=True, log_y=True, ylabel="log scale", color=False)
    rows = text.splitlines()
    axis = rows[next(i for i, row in enumerate(rows) if "└" in row) + 1]  # the x tick labels
    assert axis.split() == ["0", "10", "20"]  # whole epochs at round numbers
    assert bar_chart([("nan", math.nan)], 60, 10) is None
    chart = bar_chart([("first", 80.0), ("second", 40.0)], 60, 10, maximum=100)
    assert chart is not None and "100" in ANSI.sub("", chart)
    plain = ANSI.sub("", chart)
    assert plain.index("first") < plain.index("second")
