"""Benchmark: step transitions through the whole bundled lesson, in Pilot at 100×30.

Each press of ``n`` (next step, or next value/product of a derivation) is timed
from the start of the screen's ``next`` action until the app has refreshed after
it (``call_after_refresh``), which is the latency a learner sees.  Pilot's own
idle detection between key presses is not counted.  Predictions are skipped with
Escape (not timed).  Prints the count, the median
and the 90th percentile; the last line is ``median step ms: X`` (target ≤ 30).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

MAX_PRESSES = 2000


def bundled_entries() -> tuple[list, str]:
    """The bundled lessons from the catalog; the test suite's demo lesson if it is missing."""
    try:
        from tutor.lesson.catalog import load_catalog
        from tutor.store.paths import lesson_dirs

        entries = [e for e in load_catalog(lesson_dirs()) if e.lesson is not None]
        if entries:
            return entries, "bundled lessons"
    except ImportError:
        pass
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.ui.support import demo_catalog

    return [e for e in demo_catalog() if e.lesson is not None], "demo lesson (no catalog yet)"


async def walk(entries: list, data_dir: Path) -> list[float]:
    """Seconds per transition over every lesson."""
    from tutor.ui.app import make_app
    from tutor.ui.screens.lesson import LessonScreen
    from tutor.ui.widgets.derivation.view import DerivationView, PredictionInput

    timings: list[float] = []
    action_next = LessonScreen.action_next

    def timed_next(screen: LessonScreen) -> None:
        start = time.perf_counter()
        action_next(screen)
        screen.app.call_after_refresh(lambda: timings.append(time.perf_counter() - start))

    LessonScreen.action_next = timed_next  # type: ignore[method-assign]
    app = make_app(data_dir=data_dir, catalog=entries)
    async with app.run_test(size=(100, 30)) as pilot:
        for entry in entries:
            app.open_lesson(entry.lesson.id)
            await pilot.pause()
            await app.workers.wait_for_complete()
            screen = app.screen
            last = len(entry.lesson.steps) - 1
            for _ in range(MAX_PRESSES):
                if isinstance(app.focused, PredictionInput):
                    await pilot.press("escape")
                    await pilot.pause()
                    continue
                views = screen.query(DerivationView)
                if screen.index == last and all(v.finished for v in views):
                    break
                await pilot.press("n")
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
    return timings


def main() -> int:
    entries, source = bundled_entries()
    with tempfile.TemporaryDirectory() as data_dir:
        timings = asyncio.run(walk(entries, Path(data_dir)))
    ms = sorted(t * 1000 for t in timings)
    print(f"source: {source}; transitions: {len(ms)}")
    print(f"p90 step ms: {ms[int(len(ms) * 0.9)]:.1f}; max step ms: {ms[-1]:.1f}")
    print(f"median step ms: {statistics.median(ms):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
