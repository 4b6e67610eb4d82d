"""Save one derivation per bundled lesson as an SVG in ``docs/``.

Each shot opens a bundled lesson at the step that derives a network, reveals the
forward pass and the backward pass up to one product (answering each prediction
with the engine's own value, rounded as a learner would type it) and saves an SVG:

- ``derivation.svg``: lesson 3.4, the walkthrough network up to dL/dW2 (100×30);
- ``derivation-classification.svg``: lesson 3.5, softmax with cross-entropy up to
  dL/dW1 (100×30);
- ``derivation-paths.svg``: lesson 3.6, a hidden unit's two paths added up in dL/da1,
  tall enough (100×40) for the graph above the paths.

Progress goes to a temporary data directory, so the result does not depend on the
machine.  Run: ``python docs/screenshot.py``.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


class Shot(NamedTuple):
    """A lesson, the network its derive block steps through, the last product shown, the file."""

    lesson: str
    network: str
    reveal_up_to: str
    output: str
    size: tuple[int, int] = (100, 30)


SHOTS = (
    Shot("backprop", "tiny", "dL/dW2", "derivation.svg"),
    Shot("classification", "scores", "dL/dW1", "derivation-classification.svg"),
    Shot("paths", "fork", "dL/da1", "derivation-paths.svg", (100, 40)),
)


def find(shot: Shot) -> tuple[object, int]:
    """The bundled lesson entry and the index of the step that derives ``shot.network``."""
    from tutor.lesson.catalog import load_catalog
    from tutor.lesson.model import DeriveBlock
    from tutor.store.paths import lesson_dirs

    for entry in load_catalog(lesson_dirs()):
        if entry.lesson is None or entry.lesson.id != shot.lesson:
            continue
        for index, step in enumerate(entry.lesson.steps):
            if any(isinstance(p, DeriveBlock) and p.network == shot.network for p in step.parts):
                return entry, index
    raise SystemExit(f"lesson {shot.lesson!r} derives no network {shot.network!r}")


def typed(value: np.ndarray) -> str:
    """The engine's value as a learner would type it: three figures, a matrix as rows."""
    if value.size == 1:
        return f"{value.item():.3g}"
    rows = ", ".join("[" + ", ".join(f"{v:.3g}" for v in row) + "]" for row in value)
    return f"[{rows}]"


async def take(shot: Shot, data_dir: Path) -> Path:
    from tutor.ui.app import make_app
    from tutor.ui.widgets.derivation.view import DerivationView, PredictionInput

    entry, step = find(shot)
    app = make_app(data_dir=data_dir, catalog=[entry], start=f"lesson:{shot.lesson}")
    async with app.run_test(size=shot.size) as pilot:
        await pilot.pause()
        app.screen.show_step(step)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.screen.query_one(DerivationView)
        derivation = view.result.derivation
        target = view.walk.stages.index(derivation.record_for(shot.reveal_up_to)) + 1
        while view.revealed < target:
            if isinstance(app.focused, PredictionInput):
                pending = view.walk.stages[view.revealed]
                await pilot.press(*typed(pending.value), "enter")
            else:
                await pilot.press("n")
            await pilot.pause()
        await pilot.pause(0.2)
        output = ROOT / "docs" / shot.output
        app.save_screenshot(filename=output.name, path=str(output.parent))
    return output


def main() -> None:
    """Take every shot with a temporary data directory (never the learner's)."""
    for shot in SHOTS:
        with tempfile.TemporaryDirectory() as home:
            os.environ["BACKPROP_TUTOR_HOME"] = home
            print(f"saved {asyncio.run(take(shot, Path(home)))}")


if __name__ == "__main__":
    main()
