"""Every step of every bundled lesson shows whole at 80 columns (issue 24).

Each step is drawn on a tall window (so the whole page is on screen) at 240 columns,
where nothing needs cutting, and at the narrow width, with the same app and data, so
the same questions are drawn.  Every letter and digit shown wide must be shown narrow
too: what Markdown rewraps keeps its letters, what is cut loses them.  A block that
scrolls sideways and shows its scrollbar (a code block too wide) is left out of both
counts, since its rest is one scroll away and the bar says so; so are the loss plots,
drawn anew at every size, and the computational graph, which changes layout with the
width (it is checked apart: no line of it is wider than the graph).  Derivations are
shown finished, every product revealed.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.ui.support import settle
from tutor.lesson.catalog import load_catalog
from tutor.lesson.model import DeriveBlock
from tutor.lesson.progress_keys import block_key
from tutor.store.locations import bundled_lessons_dir
from tutor.tui.app import make_app
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.derivation.graph_view import GraphView
from tutor.tui.widgets.plot_view import PlotView

WIDE = 240
TALL = 300
NARROW = (80, 100)  # 80: the outline beside the step; 100: the same, with more room


def bundled() -> list[str]:
    entries = load_catalog([bundled_lessons_dir()])
    return sorted(entry.lesson.id for entry in entries if entry.lesson is not None)


def letters(lines: list[str]) -> Counter[str]:
    return Counter(ch for line in lines for ch in line if ch.isalnum())


def region_lines(screen, region) -> list[str]:
    strips = screen._compositor.render_strips()
    return [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]


def shown(screen: LessonScreen, apart: list) -> tuple[Counter[str], list[str]]:
    """The letters the step page shows, without those of the widgets set ``apart``."""
    body = screen.body.region
    lines = region_lines(screen, body)
    count = letters(lines)
    for widget in apart:
        count -= letters(region_lines(screen, widget.region.intersection(body)))
    return count, lines


def scrolls_or_redraws(screen: LessonScreen) -> list:
    """Widgets that scroll sideways with a visible bar, plots and graphs."""
    return [
        widget
        for widget in screen.body.query("*")
        if isinstance(widget, PlotView | GraphView)
        or (widget.show_horizontal_scrollbar and widget.scrollbar_size_horizontal > 0)
    ]


def graph_fits(graph: GraphView) -> bool:
    lines = graph.render().plain.splitlines()
    return max((len(line) for line in lines), default=0) <= graph.content_size.width


@pytest.mark.parametrize("lesson_id", bundled())
async def test_every_step_shows_whole_at_80_and_100_columns(tmp_path, lesson_id: str):
    app = make_app(data_dir=tmp_path, start=f"lesson:{lesson_id}")
    clipped: list[str] = []
    async with app.run_test(size=(WIDE, TALL)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        for index, step in enumerate(screen.lesson.steps):  # every derivation finished
            for part, block in enumerate(step.parts):
                if isinstance(block, DeriveBlock):
                    screen.lesson_progress.revealed[block_key(index, part)] = 10**6
        for index, step in enumerate(screen.lesson.steps):
            screen.show_step(index)
            await settle(pilot)
            for width in NARROW:
                await pilot.resize_terminal(width, TALL)
                await settle(pilot)
                apart = scrolls_or_redraws(screen)
                narrow, lines = shown(screen, apart)
                graphs = [g for g in apart if isinstance(g, GraphView) and not graph_fits(g)]
                await pilot.resize_terminal(WIDE, TALL)
                await settle(pilot)
                wide, _ = shown(screen, apart)
                missing = wide - narrow
                if missing or graphs:
                    page = "\n".join(f"  |{line.rstrip()}" for line in lines if line.strip())
                    clipped.append(
                        f"step {index + 1} ({step.title}) at {width} columns: "
                        f"{''.join(sorted(missing.elements()))!r} not shown"
                        + (", a graph wider than its room" if graphs else "")
                        + f"\n{page}"
                    )
    assert not clipped, "\n\n".join(clipped)
