"""In-lesson quiz blocks, and a walk through every bundled lesson, forward and back, in parts."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.ui.support import Entry, demo_lesson, screen_text, settle
from tutor.engine import derive
from tutor.lesson.catalog import LessonEntry, load_catalog
from tutor.lesson.model import Quantity, QuizBlock, Step
from tutor.store.locations import lesson_dirs
from tutor.store.progress import Progress
from tutor.store.progress_file import ProgressStore
from tutor.text.derivation import record_line
from tutor.tui.app import make_app
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.derivation.view import PredictionInput
from tutor.tui.widgets.quiz_block import QuizBlockView

MAX_PRESSES = 2000
"""A bound on a hang: no step needs nearly as many presses."""


def quiz_lesson():
    question = "What is dL/dW2 of the network with w2 = {W2}?"
    block = QuizBlock(
        id="dw2",
        question=question,
        answer=Quantity(kind="grad", network="tiny", text="grad W2 of tiny", name="W2"),
        hints=("Start from dL/da2 = a2 − t.", "Multiply by σ'(z2) and by a1."),
        line=50,
    )
    lesson = demo_lesson()
    return replace(lesson, steps=(Step("Quiz", (block,), 49), *lesson.steps))


async def test_quiz_block_hints_then_worked_solution(tmp_path):
    lesson = quiz_lesson()
    derivation = derive(lesson.network("tiny"))
    dw2 = derivation.gradients["W2"].item()
    app = make_app(
        data_dir=tmp_path, catalog=[Entry(Path("q.md"), lesson)], start=f"lesson:{lesson.id}"
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(QuizBlockView)
        assert "w2 = 0.8" in screen_text(app)
        field = view.query_one("Input")
        field.focus()
        for attempt, hint in enumerate(lesson.steps[0].parts[0].hints, start=1):
            field.value = "1"
            await pilot.press("enter")
            await settle(pilot)
            assert f"Hint {attempt} of 2: {hint}" in screen_text(app)
        field.value = f"{dw2 * 1.05:.6g}"  # close: another try, no hint
        await pilot.press("enter")
        await settle(pilot)
        assert "~ Close" in screen_text(app) and not view.attempt.over
        field.value = "1"
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Worked solution" in text
        assert record_line(derivation.record_for("dL/dW2")) in text
        assert view.attempt.over and not view.solved and field.disabled


async def test_quiz_block_right_answer(tmp_path):
    lesson = quiz_lesson()
    dw2 = derive(lesson.network("tiny")).gradients["W2"].item()
    app = make_app(
        data_dir=tmp_path, catalog=[Entry(Path("q.md"), lesson)], start=f"lesson:{lesson.id}"
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(QuizBlockView)
        field = view.query_one("Input")
        field.focus()
        field.value = f"{dw2:.4g}"
        await pilot.press("enter")
        await settle(pilot)
        assert "✓ Correct" in screen_text(app) and view.solved


STEPS_PER_WALK = 4
"""Steps walked by one test: the bundled lessons are walked in parts, so xdist spreads them."""


@functools.cache
def bundled_entries() -> tuple[LessonEntry, ...]:
    """The bundled lessons that parse (parsed once per process)."""
    return tuple(e for e in load_catalog(lesson_dirs()) if e.lesson is not None)


def lesson_parts() -> list[Any]:
    """(lesson id, first step, end step) for every part of every bundled lesson."""
    parts = []
    for entry in bundled_entries():
        assert entry.lesson is not None
        steps = len(entry.lesson.steps)
        for first in range(0, steps, STEPS_PER_WALK):
            end = min(first + STEPS_PER_WALK, steps)
            label = f"{entry.lesson.id}-steps-{first + 1}-{end}"
            parts.append(pytest.param(entry.lesson.id, first, end, id=label))
    return parts


def test_the_walk_covers_every_step_of_every_bundled_lesson() -> None:
    lessons = {e.lesson.id: len(e.lesson.steps) for e in bundled_entries() if e.lesson}
    assert len(lessons) >= 3, "the bundled lessons did not parse"
    walked: dict[str, set[int]] = {}
    for part in lesson_parts():
        lesson_id, first, end = part.values
        walked.setdefault(lesson_id, set()).update(range(first, end))
    assert walked == {lesson_id: set(range(steps)) for lesson_id, steps in lessons.items()}


@pytest.mark.parametrize(("lesson_id", "first", "end"), lesson_parts())
async def test_each_bundled_lesson_walks_forward_and_back(
    tmp_path: Path, lesson_id: str, first: int, end: int
) -> None:
    """From step ``first``, n reveals everything up to step ``end``; p goes back to ``first``."""
    progress = Progress()
    progress.lesson(lesson_id).step = first
    ProgressStore(tmp_path).save(progress)
    app = make_app(data_dir=tmp_path, catalog=list(bundled_entries()), start=f"lesson:{lesson_id}")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.index == first
        last = len(screen.lesson.steps) - 1
        for _ in range(MAX_PRESSES):
            if screen.index == end or (
                screen.index == last and all(v.finished for v in screen.body.derivations())
            ):
                break
            key = "escape" if isinstance(app.focused, PredictionInput) else "n"
            await pilot.press(key)  # a prediction is skipped
            await settle(pilot)
        else:
            raise AssertionError(f"step {screen.index + 1}: not past it in {MAX_PRESSES} presses")
        for _ in range(MAX_PRESSES):
            if screen.index == first:
                break
            await pilot.press("p")
            await settle(pilot)
        assert screen.index == first
