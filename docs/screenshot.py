"""Save ``docs/derivation.svg``: the derivation view mid-derivation, at 100×30.

Opens the first lesson with a ``derive`` block (the bundled lesson when the
catalog is available, else the test suite's demo lesson), goes to that step,
reveals the forward pass and the first backward products, and saves an SVG.
Run: ``python docs/screenshot.py``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "derivation.svg"
REVEALS_INTO_BACKWARD = 3


def entries() -> list:
    """Lesson entries: the bundled ones, or the demo lesson if there is no catalog yet."""
    try:
        from tutor.paths import lesson_dirs
        from tutor.script.catalog import load_catalog

        found = [e for e in load_catalog(lesson_dirs()) if e.lesson is not None]
        if found:
            return found
    except ImportError:
        pass
    sys.path.insert(0, str(ROOT))
    from tests.test_ui_support import demo_catalog

    return [e for e in demo_catalog() if e.lesson is not None]


async def shoot() -> None:
    from tutor.script.model import DeriveBlock
    from tutor.ui.app import make_app
    from tutor.ui.widgets.derivation_view import DerivationView, PredictionInput

    found = entries()
    entry, step = next(
        (e, i)
        for e in found
        for i, s in enumerate(e.lesson.steps)
        if any(isinstance(p, DeriveBlock) for p in s.parts)
    )
    with tempfile.TemporaryDirectory() as data_dir:
        app = make_app(data_dir=Path(data_dir), catalog=found, start=f"lesson:{entry.lesson.id}")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.screen.show_step(step)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            view = app.screen.query_one(DerivationView)
            target = view._forward_count() + REVEALS_INTO_BACKWARD
            while view.revealed < target:
                if isinstance(app.focused, PredictionInput):
                    await pilot.press("escape")
                else:
                    await pilot.press("n")
                await pilot.pause()
            await pilot.pause()
            app.save_screenshot(filename=OUTPUT.name, path=str(OUTPUT.parent))
    print(f"saved {OUTPUT}")


if __name__ == "__main__":
    asyncio.run(shoot())
