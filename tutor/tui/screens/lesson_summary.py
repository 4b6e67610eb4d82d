"""The end of a lesson: how its predictions and questions went, and a quiz on the weakest topic.

The counts and words come from :func:`tutor.lesson.summary.summarise` (shared with
``lesson --plain``); this screen lists every prediction and question with its result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header

from tutor.lesson.summary import LessonSummary, summarise
from tutor.present.summary import asked_lines, summary_lines
from tutor.tui.literal import Plain
from tutor.tui.screens.base import TutorScreen
from tutor.tui.tagged import tagged_content

if TYPE_CHECKING:
    from tutor.lesson.model import Lesson
    from tutor.store.progress import LessonProgress


class LessonSummaryScreen(TutorScreen):
    """Predictions and questions right first time, after retries, or skipped; the weak topics."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "weak_quiz", "Quiz weakest topic"),
        Binding("b,escape", "back", "Back to the lesson"),
        Binding("q", "lessons", "Lessons"),
    ]

    def __init__(self, lesson: Lesson, progress: LessonProgress) -> None:
        super().__init__()
        self.lesson = lesson
        self.summary: LessonSummary = summarise(lesson, progress)

    def compose(self) -> ComposeResult:
        summary = self.summary
        yield Header()
        with VerticalScroll(id="summary-body"):
            yield Plain(tagged_content(summary_lines(summary)), id="summary-totals")
            yield Plain(tagged_content(asked_lines(summary)), id="summary-questions")
            hint = (
                f"w starts a quiz on {summary.weakest[0]} · b back to the lesson · q lessons"
                if summary.weakest
                else "b back to the lesson · q lessons"
            )
            yield Plain(hint, id="summary-keys")
        yield Footer()

    def on_mount(self) -> None:
        """Name the screen."""
        self.title = f"{self.lesson.number} {self.lesson.title}: summary".strip()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The weak-topic quiz only when a topic is weak."""
        if action == "weak_quiz":
            return bool(self.summary.weakest)
        return True

    def action_weak_quiz(self) -> None:
        """A quiz on the weakest topic of the lesson."""
        from tutor.quiz.session import QuizOptions
        from tutor.tui.screens.quiz import QuizScreen

        if self.summary.weakest:
            self.app.push_screen(QuizScreen(QuizOptions(topic=self.summary.weakest[0])))

    def action_back(self) -> None:
        """Back to the lesson's last step."""
        self.dismiss()

    def action_lessons(self) -> None:
        """Back to the lesson list."""
        self.dismiss()
        self.app.pop_screen()
