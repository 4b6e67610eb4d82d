"""Every step of every bundled lesson shows whole at 80 columns (issue 24).

Each step is drawn on a tall window (so the whole page is on screen) at 240 columns,
where nothing needs cutting, and at the narrow widths, with the same app, page and data,
so the same questions are drawn.  Every letter and digit shown wide must be shown narrow
too: what Markdown rewraps keeps its letters, what is cut loses them.  A block that
scrolls sideways and shows its scrollbar (a code block too wide) is left out of both
counts, since its rest is one scroll away and the bar says so; so are the loss plots,
drawn anew at every size, and the computational graph, which changes layout with the
width (it is checked apart: no line of it is wider than the graph).  Derivations are
shown finished, every product revealed.

One app walks a run of steps; each step is drawn once at each width, the widths taken in
turn forward then back (240, 100, 80 | 80, 100, 240 | …), so a step costs two resizes and
one change of the width classes (``-wide`` at 100 and 240, ``-normal`` at 80), the
costliest part of a resize.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tests.helpers import wait_until
from tests.ui.support import bundled_entries, bundled_lesson, lesson_parts, settle
from tutor.lesson.model import DeriveBlock
from tutor.lesson.progress_keys import block_key
from tutor.store.progress import Progress
from tutor.store.progress_file import ProgressStore
from tutor.tui.app import make_app
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.derivation.graph_view import GraphView
from tutor.tui.widgets.exercise_view import ExerciseView
from tutor.tui.widgets.plot_view import PlotView

WIDE = 240
TALL = 150
"""Rows: the tallest page (138 rows at 80 columns, with header and footer 140) and room to
grow; a page that scrolls fails.  No taller: every row drawn costs, at each of the widths."""
NARROW = (80, 100)  # 80: the outline beside the step; 100: the same, with more room
STEPS_PER_TEST = 6
"""Steps checked by one test (one app): the lessons are checked in runs, so xdist spreads them."""


def letters(lines: list[str]) -> Counter[str]:
    return Counter(ch for line in lines for ch in line if ch.isalnum())


def scrolls_or_redraws(widget: Widget) -> bool:
    """Whether a widget scrolls sideways with a visible bar, or is a plot or a graph."""
    return isinstance(widget, PlotView | GraphView) or (
        widget.show_horizontal_scrollbar and widget.scrollbar_size_horizontal > 0
    )


def graph_fits(graph: GraphView) -> bool:
    lines = graph.render().plain.splitlines()
    return max((len(line) for line in lines), default=0) <= graph.content_size.width


@dataclass
class Drawn:
    """The step page as drawn at one width: the screen's lines and where each widget sat."""

    strips: list[Strip]
    body: Region
    regions: dict[Widget, Region]
    apart: list[Widget]
    """The widgets left out of the count at this width (see :func:`scrolls_or_redraws`)."""
    wide_graphs: bool
    """Whether a graph drawn here is wider than its room."""
    reports: dict[Widget, str]
    """What each exercise's status and report said here (a check the file watcher starts can
    change them between two widths; each is compared only where it said the same at both)."""

    def lines_in(self, region: Region) -> list[str]:
        return [
            self.strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)
        ]

    def letters_in(self, region: Region) -> Counter[str]:
        return letters(self.lines_in(region))

    def shown(self, apart: list[Widget]) -> Counter[str]:
        """The letters on the page, without those of the widgets set ``apart``."""
        count = self.letters_in(self.body)
        for widget in apart:
            count -= self.letters_in(self.regions[widget].intersection(self.body))
        return count


def drawn(screen: LessonScreen) -> Drawn:
    strips = screen._compositor.render_strips()
    widgets = list(screen.body.query("*"))
    apart = [widget for widget in widgets if scrolls_or_redraws(widget)]
    graphs = [g for g in apart if isinstance(g, GraphView) and not graph_fits(g)]
    regions = {widget: widget.region for widget in widgets}
    said = screen.body.query(".exercise-status, .exercise-report")
    reports = {report: str(report.render()) for report in said}
    return Drawn(strips, screen.body.region, regions, apart, bool(graphs), reports)


def checking(screen: LessonScreen) -> bool:
    """Whether an exercise on the page is being checked (its report then says so, for now)."""
    reports = (v.query_one(".exercise-report", Static) for v in screen.body.query(ExerciseView))
    return any(str(report.render()).startswith("Checking") for report in reports)


def start_at(data_dir: Path, lesson_id: str, first: int) -> None:
    """Save progress at step ``first`` with every derivation of the lesson finished."""
    progress = Progress()
    mine = progress.lesson(lesson_id)
    mine.step = first
    for index, step in enumerate(bundled_lesson(lesson_id).steps):
        for part, block in enumerate(step.parts):
            if isinstance(block, DeriveBlock):
                mine.revealed[block_key(index, part)] = 10**6
    ProgressStore(data_dir).save(progress)


@pytest.mark.parametrize(("lesson_id", "first", "end"), lesson_parts(STEPS_PER_TEST))
async def test_every_step_shows_whole_at_80_and_100_columns(
    tmp_path: Path, lesson_id: str, first: int, end: int
) -> None:
    start_at(tmp_path, lesson_id, first)
    app = make_app(data_dir=tmp_path, catalog=bundled_entries(), start=f"lesson:{lesson_id}")
    clipped: list[str] = []
    widths = (WIDE, *sorted(NARROW, reverse=True))
    async with app.run_test(size=(WIDE, TALL)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.index == first
        for index in range(first, end):
            step = screen.lesson.steps[index]
            if index != first:
                screen.show_step(index)
                await settle(pilot)
            at: dict[int, Drawn] = {}
            for n, width in enumerate(widths):
                if n:
                    await pilot.resize_terminal(width, TALL)
                    await settle(pilot)
                await wait_until(pilot, lambda: not checking(screen), what="an exercise's check")
                assert screen.body.max_scroll_y == 0, f"step {index + 1} is taller than {TALL} rows"
                at[width] = drawn(screen)
            widths = widths[::-1]  # the next step starts at the width this one ended at
            for width in NARROW:
                changed = [
                    w for w, said in at[width].reports.items() if at[WIDE].reports[w] != said
                ]
                apart = at[width].apart + changed
                missing = at[WIDE].shown(apart) - at[width].shown(apart)
                if missing or at[width].wide_graphs:
                    lines = at[width].lines_in(at[width].body)
                    page = "\n".join(f"  |{line.rstrip()}" for line in lines if line.strip())
                    clipped.append(
                        f"step {index + 1} ({step.title}) at {width} columns: "
                        f"{''.join(sorted(missing.elements()))!r} not shown"
                        + (", a graph wider than its room" if at[width].wide_graphs else "")
                        + f"\n{page}"
                    )
    assert not clipped, "\n\n".join(clipped)
