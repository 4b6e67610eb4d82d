"""Save ``docs/derivation.svg``: the walkthrough derivation mid-backward-pass, at 100×30.

Opens the bundled lesson at the step that derives the walkthrough network
``tiny``, reveals the forward pass and the backward pass up to dL/dW2 (answering
the prediction for dL/dz2 with the engine's own value, rounded as a learner
would type it) and saves an SVG.  Progress goes to a temporary data directory,
so the result does not depend on the machine.  Run: ``python docs/screenshot.py``.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "derivation.svg"
SIZE = (100, 30)
NETWORK = "tiny"
REVEAL_UP_TO = "dL/dW2"


def walkthrough() -> tuple[object, int]:
    """The bundled lesson entry and the index of the step that derives ``tiny``."""
    from tutor.lesson.catalog import load_catalog
    from tutor.lesson.model import DeriveBlock
    from tutor.store.paths import lesson_dirs

    for entry in load_catalog(lesson_dirs()):
        if entry.lesson is None:
            continue
        for index, step in enumerate(entry.lesson.steps):
            if any(isinstance(p, DeriveBlock) and p.network == NETWORK for p in step.parts):
                return entry, index
    raise SystemExit(f"no bundled lesson derives the network {NETWORK!r}")


async def shoot(data_dir: Path) -> None:
    from tutor.ui.app import make_app
    from tutor.ui.widgets.derivation.view import DerivationView, PredictionInput

    entry, step = walkthrough()
    app = make_app(data_dir=data_dir, catalog=[entry], start=f"lesson:{entry.lesson.id}")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.show_step(step)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.screen.query_one(DerivationView)
        derivation = view.result.derivation
        target = view.stages.index(derivation.record_for(REVEAL_UP_TO)) + 1
        while view.revealed < target:
            field = app.focused
            if isinstance(field, PredictionInput):
                pending = view.stages[view.revealed]
                await pilot.press(*f"{pending.value.item():.3g}", "enter")
            else:
                await pilot.press("n")
            await pilot.pause()
        await pilot.pause(0.2)
        app.save_screenshot(filename=OUTPUT.name, path=str(OUTPUT.parent))
    print(f"saved {OUTPUT}")


def main() -> None:
    """Shoot with a temporary data directory (never the learner's)."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["BACKPROP_TUTOR_HOME"] = home
        asyncio.run(shoot(Path(home)))


if __name__ == "__main__":
    main()
