"""Every bundled lesson walked through Pilot with n, forward and back, every answer the engine's.

The lessons are walked in parts of a few steps (xdist spreads them), each part in an app
resumed at its first step.  Each step is shown; every quiz block is answered with the
engine's value and must be judged correct; every prediction likewise; every training panel
is shown (``test_one_voice`` trains each of its runs to the end); every gradient check must
show its verdict; every code exercise is checked as it starts (the two-heads starter must be
named an overwrite), then with the reference solution, which must pass; every product the
TUI shows path by path shows its paths.  Each part reaches the next part's first step (the
last part finishes the lesson and its summary opens), the progress file holds what the part
finished and predicted, and p goes back to the part's first step.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.helpers import wait_until
from tests.ui.support import bundled_entries, lesson_parts, screen_text, settle
from tutor.lesson.model import (
    DeriveBlock,
    ExerciseBlock,
    GradcheckBlock,
    Lesson,
    QuizBlock,
    Step,
    TrainBlock,
)
from tutor.store.locations import bundled_lessons_dir
from tutor.store.progress import Progress
from tutor.store.progress_file import ProgressStore
from tutor.text.numbers import format_value
from tutor.tui.app import make_app
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.screens.lesson_summary import LessonSummaryScreen
from tutor.tui.widgets.derivation.view import DerivationView, PredictionInput
from tutor.tui.widgets.exercise_view import ExerciseView
from tutor.tui.widgets.gradcheck_view import GradcheckView
from tutor.tui.widgets.quiz_block import QuizBlockView
from tutor.tui.widgets.train.view import TrainView

SIZE = (100, 30)


async def answer_quizzes(pilot, screen: LessonScreen) -> int:
    """Answer every quiz block of the step with the engine's value; return how many."""
    blocks = list(screen.body.query(QuizBlockView))
    for block in blocks:
        assert block.question is not None, "the engine drew the question"
        field = block.query_one(Input)
        field.focus()
        field.value = format_value(block.question.expected, 12, ascii=True)
        await pilot.press("enter")
        await settle(pilot)
        assert block.solved, (block.block.id, field.value)
        screen.set_focus(None)
    return len(blocks)


def train_panels(screen: LessonScreen) -> int:
    """The step's training panels, each ready to start (``test_one_voice`` trains every run of
    every panel to the end, and compares its report with the plain player's)."""
    views = list(screen.body.query(TrainView))
    assert not any(view.running for view in views), "a run started before it was asked for"
    return len(views)


async def report_text(pilot, view: ExerciseView, before: str = "") -> str:
    """The exercise's report once a check has put one there (other than ``before``)."""
    widget = view.query_one(".exercise-report", Static)

    def report() -> str:
        return str(widget.render()).strip()

    await wait_until(
        pilot, lambda: report() not in ("", before), what=f"a report on {view.block.exercise}"
    )
    return report()


async def solve_exercises(pilot, screen: LessonScreen) -> int:
    """Check each exercise as it starts, then with the reference solution, which must pass."""
    views = list(screen.body.query(ExerciseView))
    for view in views:
        assert view.session is not None, view.problem
        first = await report_text(pilot, view)
        if view.block.exercise == "two-heads":  # the starter holds the bug the lesson is about
            assert "overwrote instead of accumulating" in first
        solution = bundled_lessons_dir() / "exercises" / view.block.exercise / "solution.py"
        view.session.file.write_text(solution.read_text("utf-8"), "utf-8")
        view.check()
        assert "✗" not in await report_text(pilot, view, first)
        assert pilot.app.progress.exercises[view.block.exercise].solved
        screen.set_focus(None)
    return len(views)


async def walk_part(pilot, first: int, end: int) -> dict[str, int]:
    """Walk from step ``first`` to step ``end`` answering everything right (from the last
    part: to the end of the lesson, its last step finished); count what was met."""
    app = pilot.app
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    seen = {"quizzes": 0, "predictions": 0, "panels": 0, "checks": 0, "paths": 0, "exercises": 0}
    last = len(screen.lesson.steps) - 1
    step = -1
    expanded: set[str] = set()
    for _ in range(MAX_PRESSES):
        await settle(pilot)
        assert first <= screen.index <= end, f"step {screen.index + 1} is outside the part"
        if screen.index == end:
            return {**seen, "paths": len(expanded)}
        if screen.index != step:
            step = screen.index
            seen["quizzes"] += await answer_quizzes(pilot, screen)
            seen["panels"] += train_panels(screen)
            seen["exercises"] += await solve_exercises(pilot, screen)
            for check in screen.body.query(GradcheckView):
                # an honest backprop passes; a planted bug (backprop_loss) is caught
                assert check.check.passed == (check.block.backprop_loss is None)
                seen["checks"] += 1
        if isinstance(app.focused, PredictionInput):
            view = next(v for v in screen.body.query(DerivationView) if v.prompting)
            assert view.walk is not None and view.walk.asking is not None
            app.focused.value = format_value(view.walk.asking.record.value, 12, ascii=True)
            await pilot.press("enter")
            await settle(pilot)
            target = next(iter(view.walk.predictions))
            assert all(p.outcome == "correct" for p in view.walk.predictions.values()), target
            seen["predictions"] += 1
            continue
        views = list(screen.body.query(DerivationView))
        for view in views:
            walk = view.walk
            shown = walk is not None and any(i < walk.revealed for i in walk.expanded)
            if shown and view.key not in expanded:
                assert "entry by entry, one product per path:" in screen_text(app)
                expanded.add(view.key)
        if screen.index == last and all(v.finished for v in views):
            await pilot.press("n")  # finish the last step
            await settle(pilot)
            return {**seen, "paths": len(expanded)}
        await pilot.press("n")
    raise AssertionError(f"step {screen.index + 1}: not past it in {MAX_PRESSES} presses")


STEPS_PER_WALK = 8
"""Steps walked by one test: the lessons are walked in parts, so xdist spreads them."""
MAX_PRESSES = 2000
"""A bound on a hang: no part needs nearly as many presses."""


def bundled_lessons() -> dict[str, Lesson]:
    """The bundled lessons that parse, by id."""
    return {e.lesson.id: e.lesson for e in bundled_entries() if e.lesson is not None}


@pytest.mark.parametrize("size", [1, 5, 6, 8, 100])
def test_the_parts_cover_every_step_of_every_bundled_lesson(size: int) -> None:
    """The parts the walks here, test_every_step_fits and test_one_voice are run in."""
    lessons = {lesson_id: len(lesson.steps) for lesson_id, lesson in bundled_lessons().items()}
    assert len(lessons) >= 4, "the bundled lessons did not parse"
    walked: dict[str, set[int]] = {}
    for part in lesson_parts(size):
        lesson_id, first, end = part.values
        assert end - first <= size
        walked.setdefault(lesson_id, set()).update(range(first, end))
    assert walked == {lesson_id: set(range(steps)) for lesson_id, steps in lessons.items()}


def blocks_of(steps: tuple[Step, ...] | list[Step]) -> dict[str, int]:
    """How many of each thing a walk through ``steps`` must meet, counted from the lesson."""
    blocks = [block for step in steps for block in step.blocks]
    derives = [b for b in blocks if isinstance(b, DeriveBlock)]
    return {
        "quizzes": sum(isinstance(b, QuizBlock) for b in blocks),
        "predictions": sum(len(b.predict) for b in derives),
        "panels": sum(isinstance(b, TrainBlock) for b in blocks),
        "checks": sum(isinstance(b, GradcheckBlock) for b in blocks),
        "paths": sum(bool(b.expand) for b in derives),
        "exercises": sum(isinstance(b, ExerciseBlock) for b in blocks),
    }


@pytest.mark.parametrize("lesson_id", ["classification", "paths", "deep"])
def test_a_new_lesson_holds_every_block_kind(lesson_id: str) -> None:
    """The walk meets every kind of block in each of the new lessons."""
    lesson = bundled_lessons()[lesson_id]
    expected = blocks_of(lesson.steps)
    assert expected["quizzes"] >= 5 and expected["predictions"] >= 2 and expected["checks"]
    assert expected["panels"] and expected["exercises"]
    assert len(lesson.steps) >= 15


@pytest.mark.parametrize(("lesson_id", "first", "end"), lesson_parts(STEPS_PER_WALK))
async def test_walk_each_bundled_lesson_forward_and_back(
    tmp_path: Path, lesson_id: str, first: int, end: int
) -> None:
    """Resumed at step ``first``, n (answering everything right) reaches step ``end``, or
    finishes the lesson; the progress file holds the part; p goes back to ``first``."""
    progress = Progress()
    progress.lesson(lesson_id).step = first
    ProgressStore(tmp_path).save(progress)
    app = make_app(data_dir=tmp_path, catalog=bundled_entries(), start=f"lesson:{lesson_id}")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.index == first
        lesson = screen.lesson
        seen = await walk_part(pilot, first, end)
        assert seen == blocks_of(lesson.steps[first:end])
        last = end == len(lesson.steps)
        if last:
            assert isinstance(app.screen, LessonSummaryScreen)
            await pilot.press("b")  # back to the lesson
            await settle(pilot)
            assert app.screen is screen and screen.index == end - 1
        saved = ProgressStore(tmp_path).load().lessons[lesson_id]
        assert sorted(set(saved.finished_steps)) == list(range(first, end))
        kept = [p for block in saved.predictions.values() for p in block.values()]
        assert len(kept) == seen["predictions"]
        assert all(p.outcome == "correct" for p in kept)
        for _ in range(MAX_PRESSES):
            if screen.index == first:
                break
            await pilot.press("p")
            await settle(pilot)
        assert screen.index == first
