"""An in-lesson ``quiz`` block: question, answer field, and the judge's feedback.

The question is drawn by :func:`tutor.lesson.questions.draw_question` (the engine's
answer on the block's network, ``vary`` entries drawn from a seed) in a worker;
every answer goes to its :class:`~tutor.answers.attempt.Attempt`, the judge that
also serves the quiz screen and derivation predictions: a hint per wrong answer,
then the worked solution, the engine's chain-rule records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Markdown

from tutor.ui.literal import Plain
from tutor.ui.messages import Computed, post_computed

if TYPE_CHECKING:
    from tutor.answers.attempt import Attempt, FormsReminder
    from tutor.lesson.model import Lesson, QuizBlock
    from tutor.lesson.questions import LessonQuestion


class QuizBlockView(Vertical):
    """One question of a lesson, judged against the engine."""

    DEFAULT_CSS = """
    QuizBlockView { height: auto; border-left: thick $accent; padding: 0 1; }
    QuizBlockView .quiz-question { height: auto; margin: 0; }
    QuizBlockView .quiz-feedback { height: auto; }
    """

    def __init__(
        self,
        block: QuizBlock,
        lesson: Lesson,
        *,
        key: str,
        reminder: FormsReminder | None = None,
    ) -> None:
        super().__init__(classes="quiz-block block")
        self.block, self.lesson, self.key = block, lesson, key
        self.reminder = reminder
        self.question: LessonQuestion | None = None
        self.attempt: Attempt | None = None

    @property
    def solved(self) -> bool:
        """Whether the question was answered right."""
        return self.attempt is not None and self.attempt.solved

    def compose(self) -> ComposeResult:
        yield Markdown("", classes="quiz-question")
        yield Input(placeholder="your answer (Tab to get here, Enter to check)", disabled=True)
        yield Plain("", classes="quiz-feedback")

    def on_mount(self) -> None:
        """Ask the engine for the question's numbers and answer."""
        self._draw()

    @work(thread=True, exclusive=True)
    def _draw(self) -> None:
        """Draw the question off the UI thread."""
        from tutor.lesson.questions import draw_question

        post_computed(
            self,
            self.key,
            lambda: draw_question(self.block, self.lesson.networks),
            "This question is unavailable",
        )

    @on(Computed)
    def _computed(self, message: Computed) -> None:
        """Show the question and enable the answer field."""
        message.stop()
        if message.error:
            self.query_one(".quiz-feedback", Plain).update(message.error)
            return
        self.question = message.result
        self.attempt = self.question.attempt(self.reminder)
        self.query_one(".quiz-question", Markdown).update(self.question.text)
        self.query_one(Input).disabled = False

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Judge the answer and show the feedback; the field closes once the question is over."""
        from tutor.answers.attempt import feedback_lines
        from tutor.ui.widgets.derivation.lines import feedback_text

        event.stop()
        if self.attempt is None or self.attempt.over:
            return
        feedback = self.attempt.submit(event.value)
        if feedback.status != "unreadable":
            event.input.value = ""
        if feedback.question_over:
            event.input.disabled = True
        self.query_one(".quiz-feedback", Plain).update(
            feedback_text(feedback.status, feedback_lines(feedback))
        )
