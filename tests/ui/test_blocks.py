"""In-lesson quiz blocks: hints in levels, a close answer, the worked solution, a right answer.

(The walk through every bundled lesson, forward and back, is in ``test_bundled_lessons``.)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.ui.support import Entry, demo_lesson, screen_text, settle
from tutor.engine import derive
from tutor.lesson.model import Quantity, QuizBlock, Step
from tutor.text.derivation import record_line
from tutor.tui.app import make_app
from tutor.tui.widgets.quiz_block import QuizBlockView


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


async def test_feedback_due_after_its_page_was_taken_down_does_nothing(tmp_path):
    """Leaving the lesson takes the page down children first; the scroll to the feedback,
    asked for after the next refresh, may run in between (the feedback is gone then)."""
    lesson = quiz_lesson()
    app = make_app(
        data_dir=tmp_path, catalog=[Entry(Path("q.md"), lesson)], start=f"lesson:{lesson.id}"
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(QuizBlockView)
        await view.query_one(".quiz-feedback").remove()  # as pruning leaves it for a moment
        view._show_feedback()  # raised NoMatches
        await view.remove()
        await settle(pilot)
        assert app.return_code is None and not app.screen.query(QuizBlockView)
