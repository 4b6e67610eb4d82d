"""Save one derivation per bundled lesson as an SVG in ``docs/``.

Each shot opens a bundled lesson at the step that derives a network, reveals the
forward pass and the backward pass up to one product (answering each prediction
with the engine's own value, rounded as a learner would type it) and saves an SVG:

- ``derivation.svg``: lesson 3.4, the walkthrough network up to dL/dW2 (100×30);
- ``derivation-classification.svg``: lesson 3.5, softmax with cross-entropy up to
  dL/dW1 (100×30);
- ``derivation-paths.svg``: lesson 3.6, a hidden unit's two paths added up in dL/da1,
  tall enough (100×40) for the graph above the paths;
- ``home.svg``: the home screen, the lessons listed (100×30);
- ``training.svg``: lesson 3.4's XOR training step after two runs, init scale 1.0
  and then 0.01, overlaid and labelled by what differs (100×50);
- ``boundary.svg``: lesson 3.7's spirals after a run, the plane coloured by the
  class the network picks, the training points on top, train and test accuracy (100×50);
- ``boundary-race.svg``: lesson 3.7's race of naive N(0, 1) weights against He
  initialisation on one deep ReLU network, both loss curves and the He run's
  boundary (100×60);
- ``fork-80x24.svg``: lesson 3.6's fork diagram (one hidden unit, two outputs) at
  80×24 with the outline shown: the whole diagram fits;
- ``race.svg``: lesson 3.5's race from a saturated start after ``r``, squared error
  against cross-entropy on one plot (100×32).

Progress goes to a temporary data directory, so the result does not depend on the
machine.  Run: ``python docs/screenshot.py`` (every shot), or name the files to take:
``python docs/screenshot.py fork-80x24.svg race.svg``.
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


def bundled(lesson: str) -> object:
    """The catalog entry of the bundled lesson ``lesson``."""
    from tutor.lesson.catalog import load_catalog
    from tutor.store.locations import lesson_dirs

    for entry in load_catalog(lesson_dirs()):
        if entry.lesson is not None and entry.lesson.id == lesson:
            return entry
    raise SystemExit(f"no bundled lesson {lesson!r}")


def step_with(entry: object, wanted: type, test: object = lambda part: True) -> int:
    """The index of the first step of ``entry`` with a ``wanted`` block that passes ``test``."""
    for index, step in enumerate(entry.lesson.steps):
        if any(isinstance(part, wanted) and test(part) for part in step.parts):
            return index
    raise SystemExit(f"lesson {entry.lesson.id!r} has no such {wanted.__name__}")


def find(shot: Shot) -> tuple[object, int]:
    """The bundled lesson entry and the index of the step that derives ``shot.network``."""
    from tutor.lesson.model import DeriveBlock

    entry = bundled(shot.lesson)
    return entry, step_with(entry, DeriveBlock, lambda part: part.network == shot.network)


def typed(value: np.ndarray) -> str:
    """The engine's value as a learner would type it: three figures, a matrix as rows."""
    if value.size == 1:
        return f"{value.item():.3g}"
    rows = ", ".join("[" + ", ".join(f"{v:.3g}" for v in row) + "]" for row in value)
    return f"[{rows}]"


async def take(shot: Shot, data_dir: Path) -> Path:
    from tutor.tui.app import make_app
    from tutor.tui.widgets.derivation.view import DerivationView, PredictionInput

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
        return save(app, shot.output)


async def take_home(data_dir: Path) -> Path:
    """The home screen as a learner first sees it."""
    from tutor.tui.app import make_app

    app = make_app(data_dir=data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        return save(app, "home.svg")


async def take_training(data_dir: Path) -> Path:
    """The XOR training step after a run at init scale 1.0 and one at 0.01 (typed in its knob)."""
    from textual.widgets import Input

    from tutor.lesson.model import TrainBlock
    from tutor.tui.app import make_app

    entry = bundled("backprop")
    step = step_with(entry, TrainBlock, lambda part: (part.network, part.init_scale) == ("xor", 1))
    app = make_app(data_dir=data_dir, catalog=[entry], start="lesson:backprop")
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        app.screen.show_step(step)
        await pilot.pause()
        for scale in (None, "0.01"):
            if scale is not None:
                field = app.screen.body.query_one("#knob-init_scale", Input)
                field.focus()
                field.value = scale
                await pilot.press("enter")
            else:
                await pilot.press("r")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
        app.screen.set_focus(None)
        await pilot.pause(0.2)
        return save(app, "training.svg")


async def take_boundary(
    data_dir: Path, network: str, output: str, height: int, *, race: bool = False
) -> Path:
    """Lesson 3.7's train block on ``network`` (the race, with ``race``) after its runs,
    scrolled to the decision boundary."""
    from tutor.lesson.model import TrainBlock
    from tutor.tui.app import make_app
    from tutor.tui.widgets.train.view import TrainView

    entry = bundled("deep")
    step = step_with(
        entry,
        TrainBlock,
        lambda part: part.network == network and part.boundary and bool(part.compare) == race,
    )
    app = make_app(data_dir=data_dir, catalog=[entry], start="lesson:deep")
    async with app.run_test(size=(100, height)) as pilot:
        await pilot.pause()
        app.screen.show_step(step)
        await pilot.pause()
        view = app.screen.body.query_one(TrainView)
        await pilot.press("r")
        races = 1 + bool(view.block.compare)
        for _ in range(2400):
            await pilot.pause(0.05)
            if len(view.runs) == races and not view.running:
                break
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        app.screen.set_focus(None)
        view.query_one("#train-params").scroll_visible(animate=False, top=False)
        await pilot.pause(0.3)
        return save(app, output)


async def take_fork(data_dir: Path) -> Path:
    """Lesson 3.6's fork diagram at 80×24, beside the outline."""
    from tutor.lesson.model import NetworkBlock
    from tutor.tui.app import make_app

    entry = bundled("paths")
    step = step_with(entry, NetworkBlock, lambda part: part.id == "fork")
    app = make_app(data_dir=data_dir, catalog=[entry], start="lesson:paths")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.show_step(step)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        return save(app, "fork-80x24.svg")


async def take_race(data_dir: Path) -> Path:
    """Lesson 3.5's race from a saturated start after ``r``: both runners on one plot."""
    from tutor.lesson.model import TrainBlock
    from tutor.tui.app import make_app
    from tutor.tui.widgets.train.view import TrainView

    entry = bundled("classification")
    step = step_with(entry, TrainBlock, lambda part: bool(part.compare))
    app = make_app(data_dir=data_dir, catalog=[entry], start="lesson:classification")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.screen.show_step(step)
        await pilot.pause()
        view = app.screen.body.query_one(TrainView)
        await pilot.press("r")
        for _ in range(2400):
            await pilot.pause(0.05)
            if len(view.runs) == 2 and not view.running:
                break
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        app.screen.set_focus(None)
        app.screen.body.scroll_to_widget(view, animate=False, top=True)
        await pilot.pause(0.3)
        return save(app, "race.svg")


def save(app: object, name: str) -> Path:
    """Save the app's screen as ``docs/name``."""
    output = ROOT / "docs" / name
    app.save_screenshot(filename=output.name, path=str(output.parent))
    return output


def main() -> None:
    """Take every shot (or those named) with a temporary data directory (never the learner's)."""
    import sys

    shots = {shot.output: lambda home, shot=shot: take(shot, home) for shot in SHOTS}
    shots |= {
        "home.svg": take_home,
        "training.svg": take_training,
        "boundary.svg": lambda home: take_boundary(home, "spirals", "boundary.svg", 50),
        "boundary-race.svg": lambda home: take_boundary(
            home, "deep-relu", "boundary-race.svg", 60, race=True
        ),
        "fork-80x24.svg": take_fork,
        "race.svg": take_race,
    }
    wanted = sys.argv[1:] or list(shots)
    for name in wanted:
        make = shots[name]
        with tempfile.TemporaryDirectory() as home:
            os.environ["BACKPROP_TUTOR_HOME"] = home
            print(f"saved {asyncio.run(make(Path(home)))}")


if __name__ == "__main__":
    main()
