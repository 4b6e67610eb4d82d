"""A lesson at every limit of the size budget opens and moves on (issue 23).

How long it takes is ``bench/lesson_open.py``'s to measure (target: within a second
of a one-line lesson); the bound here only catches a hang, such as the 64 s that a
1.6 MB lesson of long lines took before the budget.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.helpers import budget_lesson_text
from tutor.lesson.catalog import load_catalog
from tutor.tui.app import make_app
from tutor.tui.screens.lesson import LessonScreen

HANG = 60.0


async def test_a_lesson_at_every_limit_opens_and_steps_on(tmp_path: Path) -> None:
    (tmp_path / "budget.md").write_text(budget_lesson_text(), encoding="utf-8")
    entries = load_catalog([tmp_path])
    assert [entry.error for entry in entries] == [None]  # it passes the budget
    app = make_app(lessons_dirs=[tmp_path], data_dir=tmp_path / "home", start="lesson:budget")
    start = time.perf_counter()
    async with app.run_test(size=(100, 32)) as pilot:
        while not isinstance(app.screen, LessonScreen):
            await pilot.pause(0.05)
            assert time.perf_counter() - start < HANG
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)  # a key pressed while a step is being drawn is dropped
        await pilot.press("n")
        screen = app.screen
        while isinstance(screen, LessonScreen) and screen.index == 0:
            await pilot.pause(0.05)
            assert time.perf_counter() - start < HANG
        assert isinstance(screen, LessonScreen) and len(screen.lesson.steps) == 100
        assert screen.index == 1
        assert time.perf_counter() - start < HANG
