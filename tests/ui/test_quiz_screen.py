"""The quiz in the TUI: QuizScreen in a tiny host app, driven through Pilot."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.color import Color
from textual.widgets import Input, Markdown, Static

import tutor.tui.app
from tutor.quiz.question import answer_text
from tutor.quiz.session import QuizOptions
from tutor.store.progress import Progress
from tutor.tui.screens.quiz import QuizScreen
from tutor.tui.screens.results import QuizResultsScreen
from tutor.tui.widgets.plot_view import BarChartView
from tutor.tui.widgets.prose import ProseText


class Host(App[None]):
    """What QuizScreen expects of the app: ``progress``, ``save_progress()``, ``read_only``."""

    CSS_PATH = Path(tutor.tui.app.__file__).with_name("app.tcss")

    def __init__(self, options: QuizOptions) -> None:
        super().__init__()
        self.options = options
        self.progress = Progress()
        self.saves = 0
        self.read_only: str | None = None

    def save_progress(self) -> None:
        self.saves += 1

    def on_mount(self) -> None:
        self.push_screen(QuizScreen(self.options))


def text_of(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)  # type: ignore[attr-defined]


async def answer(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    field = pilot.app.screen.query_one("#quiz-answer", Input)
    field.value = text
    field.focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_right_answer_then_results() -> None:
    app = Host(QuizOptions(topic="chain-rule", count=1, seed=3))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        question = screen.session.question
        assert "Question 1 of 1" in text_of(screen, "#quiz-status")
        await answer(pilot, answer_text(question, 6))
        assert text_of(screen, "#quiz-verdict").startswith("✓ Correct")
        assert app.saves >= 1 and app.progress.families["chain-link"].correct == 1
        await pilot.press("enter")  # the question is over: Enter moves on
        await pilot.pause()
        results = app.screen
        assert isinstance(results, QuizResultsScreen)
        assert "1 of 1 solved" in text_of(results, "#results-score")
        assert results.query_one(BarChartView).bars == (("chain-rule", 100.0),)


async def test_wrong_answers_show_diagnosis_hint_and_solution() -> None:
    app = Host(QuizOptions(topic="chain-rule", count=2, seed=5))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        question = screen.session.question
        await answer(pilot, "abc")
        assert "couldn't read that" in text_of(screen, "#quiz-verdict")
        assert screen.session.current.attempt.tries == 0
        await answer(pilot, repr(-float(question.expected)))
        assert "sign flipped" in text_of(screen, "#quiz-verdict")
        assert text_of(screen, "#quiz-hints") == f"Hint 1 of 2: {question.hints[0]}"
        await answer(pilot, "12345")
        await answer(pilot, "12345")
        solution = text_of(screen, "#quiz-solution")
        assert solution.startswith("Worked solution") and "dL/dz = dL/da × da/dz" in solution
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Question 2 of 2" in text_of(screen, "#quiz-status")
        assert screen.query_one("#quiz-verdict").has_class("-empty")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuizResultsScreen)
        assert "0 of 1 solved" in text_of(app.screen, "#results-score")
        assert "One chain-rule link" in text_of(app.screen, "#results-review")


def question_words(screen: QuizScreen) -> str:
    """The words the question shows, its lines joined."""
    texts = screen.query_one("#quiz-question").query(ProseText)
    return " ".join(" ".join(str(text.render()).split()) for text in texts)


def read_as_prose(markdown: str) -> str:
    """The words of ``markdown`` as shown: its strong emphasis drawn bold, not starred."""
    return " ".join(markdown.replace("**", "").split())


async def test_each_question_is_drawn_as_lesson_prose() -> None:
    """The question is the lessons' light prose widget, never Textual's Markdown (a widget
    per paragraph); the next question replaces it whole."""
    app = Host(QuizOptions(topic="chain-rule", count=2, seed=5))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        first = screen.session.question.text
        assert "**" in first and question_words(screen) == read_as_prose(first)
        await answer(pilot, answer_text(screen.session.question, 6))
        await pilot.press("enter")  # the question is over: Enter moves on
        await pilot.pause()
        assert "Question 2 of 2" in text_of(screen, "#quiz-status")
        second = screen.session.question.text
        assert second != first
        assert question_words(screen) == read_as_prose(second)
        assert not screen.query(Markdown)


async def test_verdict_colours_come_from_the_theme() -> None:
    app = Host(QuizOptions(topic="chain-rule", count=1, seed=3))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        verdict = screen.query_one("#quiz-verdict", Static)
        assert not verdict.display  # an empty panel is hidden by the app's stylesheet
        await answer(pilot, answer_text(screen.session.question, 6))
        assert verdict.display
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            first = next(s for s in verdict.render_line(0) if s.text.strip())
            assert first.text.startswith("✓ Correct") and first.style.bold
            expected = Color.parse(app.get_css_variables()["text-success"])
            assert first.style.color.triplet == expected.rich_color.triplet, theme
