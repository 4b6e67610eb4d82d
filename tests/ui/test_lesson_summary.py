"""Answers kept and summed up: saved outcomes shown on return, the summary screen, "finished"."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.ui.support import Entry, demo_lesson, screen_text, settle
from tests.ui.test_lesson_screen import walk_to_end
from tutor.engine import derive
from tutor.lesson.card import LessonCard
from tutor.lesson.model import Quantity, QuizBlock, Step
from tutor.lesson.summary import summarise
from tutor.store.progress_file import ProgressStore
from tutor.tui.app import make_app
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.screens.lesson_summary import LessonSummaryScreen
from tutor.tui.screens.quiz import QuizScreen
from tutor.tui.widgets.derivation.view import PredictionInput
from tutor.tui.widgets.quiz_block import QuizBlockView

SIZE = (100, 34)


def card_of(lesson) -> LessonCard:
    """What the lesson list shows of ``lesson`` (its progress words among it)."""
    return LessonCard.of(Entry(lesson.path, lesson))


def varied_lesson():
    """The demo lesson with a first step asking dL/dW2 on a network whose W2 varies."""
    block = QuizBlock(
        id="dw2",
        question="With w2 = {W2}, what is dL/dW2?",
        answer=Quantity(kind="grad", network="tiny", text="grad W2 of tiny", name="W2"),
        hints=("Start from dL/da2 = a2 − t.",),
        line=50,
        vary={"W2": (0.1, 0.9)},
    )
    lesson = demo_lesson()
    return replace(lesson, steps=(Step("Quiz", (block,), 49), *lesson.steps))


def app_for(lesson, tmp_path):
    catalog = [Entry(Path("q.md"), lesson)]
    return make_app(data_dir=tmp_path, catalog=catalog, start=f"lesson:{lesson.id}")


async def test_a_question_is_kept_and_shown_again_with_the_same_numbers(tmp_path):
    lesson = varied_lesson()
    async with app_for(lesson, tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = pilot.app.screen.query_one(QuizBlockView)
        question = view.question
        field = view.query_one("Input")
        field.focus()
        field.value = "12345"
        await pilot.press("enter")
        field.value = repr(float(question.expected))
        await pilot.press("enter")
        await settle(pilot)
        assert "✓ Correct" in screen_text(pilot.app)
    kept = ProgressStore(tmp_path).load().lessons["demo"].questions["0:0"]
    assert (kept.outcome, kept.result, kept.tries) == ("correct", "retried", 2)
    assert kept.numbers == {"W2": [[float(question.spec.params()["W2"].item())]]}
    async with app_for(lesson, tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        again = pilot.app.screen.query_one(QuizBlockView)
        assert again.question.text == question.text  # the same drawn w2
        text = screen_text(pilot.app)
        assert "Answered before: ✓ right after 2 tries." in text
        assert f"Your answer: {float(question.expected)!r}" in text
        assert again.query_one("Input").disabled and again.solved


async def test_a_prediction_is_shown_again_with_its_result(tmp_path):
    derivation = derive(demo_lesson().network("tiny"))
    dz2 = derivation.record_for("dL/dz2").value.item()
    async with app_for(demo_lesson(), tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end", "p", "p")
        while not isinstance(pilot.app.focused, PredictionInput):
            await pilot.press("n")
            await settle(pilot)
        await pilot.press(*f"{dz2:.4g}", "enter")
        await settle(pilot)
        await pilot.press("q")
    async with app_for(demo_lesson(), tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"You predicted dL/dz2 = {dz2:.4g} earlier: ✓ right first time." in screen_text(
            pilot.app
        )


async def test_the_lesson_ends_on_its_summary_and_offers_a_quiz_on_the_weakest_topic(tmp_path):
    lesson = demo_lesson()
    async with app_for(lesson, tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await walk_to_end(pilot)  # every prediction skipped
        await pilot.press("n")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, LessonSummaryScreen)
        text = screen_text(pilot.app)
        assert "1 Demo lesson: summary" in text.splitlines()[0]  # numbered as the lesson's header
        assert "5 of 5 steps visited" in text
        assert "Predictions and questions (2): 2 skipped." in text
        assert "Weakest topics: backprop." in text and "Still to do: 2 of 2" in text
        assert "predict dL/dz2" in text and "predict dL/dW1" in text
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(pilot.app.screen, QuizScreen)
        assert pilot.app.screen.options.topic == "backprop"
        await pilot.press("escape")  # end the quiz: results
        await settle(pilot)
        await pilot.press("escape")  # close the results
        await settle(pilot)
        assert isinstance(pilot.app.screen, LessonSummaryScreen)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LessonScreen)
    progress = ProgressStore(tmp_path).load().lessons["demo"]
    assert card_of(lesson).progress_words(progress) == "2 to answer"
    assert not summarise(lesson, progress).finished


async def test_finished_means_every_step_visited_and_every_question_answered(tmp_path):
    lesson = demo_lesson()
    derivation = derive(lesson.network("tiny"))

    def predict(field: PredictionInput) -> str:
        target = field.parent.parent.walk.asking.record.target  # type: ignore[union-attr]
        return f"{derivation.record_for(target).value.item():.6g}"

    async with app_for(lesson, tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await walk_to_end(pilot, predict=predict)
        await pilot.press("n")
        await settle(pilot)
        text = screen_text(pilot.app)
        assert "2 right first time" in text and "Lesson finished." in text
        assert "Weakest" not in text
    progress = ProgressStore(tmp_path).load().lessons["demo"]
    assert card_of(lesson).progress_words(progress) == "finished"
