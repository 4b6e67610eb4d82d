"""Helpers for the UI tests: a small lesson built from the model, screen text, a walk.

(Holds no tests itself.)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from textual._wait import wait_for_idle

from tests.helpers import walkthrough_spec
from tutor.engine import LayerSpec, NetworkSpec
from tutor.formats.spec import TrainSettings
from tutor.lesson.catalog import LessonEntry
from tutor.lesson.model import (
    DeriveBlock,
    GradcheckBlock,
    Lesson,
    NetworkBlock,
    Problem,
    Prose,
    Step,
)


@dataclass
class Entry:
    """Stands in for ``tutor.lesson.catalog.LessonEntry`` (path, lesson or None, problems)."""

    path: Path
    lesson: Lesson | None
    problems: tuple[Problem, ...] = field(default_factory=tuple)


def batch_spec() -> NetworkSpec:
    """A 2 → 3 → 1 network on a batch of 4 examples (array records)."""
    rng = np.random.default_rng(0)
    return NetworkSpec(
        input=rng.normal(size=(2, 4)),
        target=np.array([[0.0, 1.0, 1.0, 0.0]]),
        loss="half_squared_error",
        layers=(
            LayerSpec(rng.normal(size=(3, 2)), np.zeros((3, 1)), "tanh"),
            LayerSpec(rng.normal(size=(1, 3)), np.zeros((1, 1)), "sigmoid"),
        ),
    )


def demo_lesson() -> Lesson:
    """Four steps: prose with code, a network, a derivation with predictions and lr, a check."""
    tiny = NetworkBlock("tiny", walkthrough_spec(), TrainSettings(), 5)
    batch = NetworkBlock("batch", batch_spec(), TrainSettings(), 30)
    steps = (
        Step("Why", (Prose("Backprop *matters*.\n\n```python\nx = 1\n```", 3),), 2),
        Step("The network", (Prose("The walkthrough network:", 8), tiny), 7),
        Step(
            "Derive",
            (
                Prose("Step through it.", 12),
                DeriveBlock("tiny", 13, predict=("dL/dz2", "dL/dW1"), lr=0.1),
            ),
            11,
        ),
        Step("Batch", (batch, DeriveBlock("batch", 31, show_forward=False)), 29),
        Step("Check", (GradcheckBlock("batch", 40),), 39),
    )
    return Lesson(
        id="demo",
        title="Demo lesson",
        path=Path("demo.md"),
        steps=steps,
        number="1",
        summary="A lesson built in the test.",
        networks={"tiny": tiny, "batch": batch},
    )


@functools.cache
def bundled_entries() -> tuple[LessonEntry, ...]:
    """The bundled lessons that parse (parsed once per process: pass them to ``make_app``
    as its ``catalog``, so that an app started in a test does not parse them again)."""
    from tutor.lesson.catalog import load_catalog
    from tutor.store.locations import bundled_lessons_dir

    return tuple(e for e in load_catalog([bundled_lessons_dir()]) if e.lesson is not None)


def lesson_parts(size: int) -> list[Any]:
    """(lesson id, first step, end step) for every run of ``size`` steps of every bundled
    lesson, as test parameters named ``ID-steps-A-B``: a lesson walked in parts, so xdist
    spreads it."""
    parts = []
    for entry in sorted(bundled_entries(), key=lambda e: e.lesson.id if e.lesson else ""):
        if entry.lesson is None:
            continue
        steps = len(entry.lesson.steps)
        for first in range(0, steps, size):
            end = min(first + size, steps)
            parts.append(
                pytest.param(
                    entry.lesson.id,
                    first,
                    end,
                    id=f"{entry.lesson.id}-steps-{first + 1}-{end}",
                    marks=pytest.mark.long,
                )
            )
    return parts


def bundled_lesson(lesson_id: str) -> Lesson:
    """The bundled lesson ``lesson_id`` (see :func:`bundled_entries`)."""
    return next(e.lesson for e in bundled_entries() if e.lesson and e.lesson.id == lesson_id)


def demo_catalog() -> list[Entry]:
    """The demo lesson and one broken lesson file."""
    broken = Problem("broken.md", 3, "front matter: missing `title`")
    return [Entry(Path("demo.md"), demo_lesson()), Entry(Path("broken.md"), None, (broken,))]


def screen_text(app) -> str:
    """The text on the app's screen right now, line by line."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def notice(app) -> str:
    """The notice the screen's notice line shows now ("" if none is shown)."""
    from tutor.tui.widgets.notice_line import NoticeLine

    lines = app.screen.query(NoticeLine)
    return str(lines.first().render()) if lines and lines.first().display else ""


SETTLE_ROUNDS = 100
"""A bound on a hang: rounds of :func:`settle` before it gives up (two or three do)."""


def quiet(app) -> bool:
    """Whether no worker runs, nothing waits for a refresh, the screen holds no layout, scroll
    or repaint for its update timer, and no message waits to be handled by the app, its screen
    or any widget on it.  (Pending updates are not messages: on a loaded machine the timer can
    fire after every queue is empty, and the screen read before it is the old layout.)"""
    screen = app.screen
    nodes = [app, *screen.walk_children(with_self=True)]
    return (
        not app.workers
        and not screen._callbacks
        and not (screen._layout_required or screen._scroll_required or screen._repaint_required)
        and not screen._dirty_widgets
        and not any(node.message_queue_size for node in nodes)
    )


async def settle(pilot) -> None:
    """Wait until the app is quiet: two rounds in a row that began and ended :func:`quiet`,
    each waiting for the workers, then until the process is idle; then ``pilot.pause``
    (every widget handles what it was sent, the screen is refreshed), quiet after it too.
    Pilot's idle check reads the process's CPU time, which a loaded machine holds back too,
    so it alone can return early.  A round does not post to every widget as ``pilot.pause``
    does (8 ms of CPU a time on a lesson page, most of a walk's waiting): :func:`quiet`
    reads their queues instead."""
    app = pilot.app
    quiet_rounds = 0
    for _ in range(SETTLE_ROUNDS):
        calm = quiet(app)
        await app.workers.wait_for_complete()
        await wait_for_idle(0)
        quiet_rounds = quiet_rounds + 1 if calm and quiet(app) else 0
        if quiet_rounds == 2:
            await pilot.pause()
            if quiet(app):
                return
            quiet_rounds = 0
    raise AssertionError(f"the app was still busy after {SETTLE_ROUNDS} rounds")
