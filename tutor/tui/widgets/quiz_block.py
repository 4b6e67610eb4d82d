"""An in-lesson ``quiz`` block: question, answer field, and the judge's feedback.

The question is drawn by :func:`tutor.lesson.questions.draw_question` (the engine's
answer on the block's network, ``vary`` entries drawn from a seed) in a worker;
every answer goes to its :class:`~tutor.answers.attempt.Attempt`, the judge that
also serves the quiz screen and derivation predictions: a hint per wrong answer,
then the worked solution, the engine's chain-rule records.  Once the question is
over it is kept in progress (:class:`~tutor.tui.messages.AnswerKept`) with the numbers
drawn, and on return the block shows it again with the same numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from tutor.store.tries import TryPlace
from tutor.tui.literal import Plain
from tutor.tui.messages import AnswerKept, Computed, QuestionDrawn, post_computed
from tutor.tui.widgets.prose import Prose

if TYPE_CHECKING:
    from tutor.answers.attempt import Attempt, FormsReminder
    from tutor.lesson.model import Lesson, QuizBlock
    from tutor.lesson.questions import LessonQuestion
    from tutor.store.progress import Answered


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
        kept: Answered | None = None,
        reminder: FormsReminder | None = None,
    ) -> None:
        super().__init__(classes="quiz-block block")
        self.block, self.lesson, self.key = block, lesson, key
        self.kept = kept
        self.reminder = reminder
        self.question: LessonQuestion | None = None
        self.attempt: Attempt | None = None

    @property
    def solved(self) -> bool:
        """Whether the question was answered right (in this session or an earlier one)."""
        if self.attempt is not None and self.attempt.solved:
            return True
        return self.kept is not None and self.kept.result.right

    def compose(self) -> ComposeResult:
        yield Prose("", classes="quiz-question")
        yield Input(placeholder="your answer (press a to get here, Enter to check)", disabled=True)
        yield Plain("", classes="quiz-feedback")

    def on_mount(self) -> None:
        """Ask the engine for the question's numbers and answer."""
        self._draw()

    @work(thread=True, exclusive=True)
    def _draw(self) -> None:
        """Draw the question off the UI thread."""
        from tutor.lesson.questions import draw_question

        numbers = self.kept.numbers if self.kept is not None else None
        post_computed(
            self,
            self.key,
            lambda: draw_question(self.block, self.lesson.networks, numbers=numbers),
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
        self.query_one(".quiz-question", Prose).update(self.question.text)
        self.post_message(QuestionDrawn(self.key, self.question.spec))
        if self.kept is not None and not self.kept.open:
            self._show_kept(self.kept)
            return
        place = TryPlace("question", self.lesson.id, self.key)
        self.attempt = self.question.attempt(self.reminder, place, resumed=self.kept)
        if self.kept is None:  # the numbers are kept as soon as they are drawn
            self.post_message(AnswerKept(self.key, self.question.kept(self.attempt)))
        elif self.attempt.tries:
            from tutor.present.verdict import resumed_lines
            from tutor.tui.tagged import tagged_content

            lines = resumed_lines(self.attempt)
            self.query_one(".quiz-feedback", Plain).update(tagged_content(lines))
        self.query_one(Input).disabled = False
        self.refresh_bindings()

    def _show_kept(self, kept: Answered) -> None:
        """A question answered before: the answer and how it went; the field stays closed."""
        from tutor.present.verdict import kept_lines
        from tutor.tui.tagged import tagged_content

        assert self.question is not None
        lines = kept_lines(kept, self.question.solution())
        self.query_one(".quiz-feedback", Plain).update(tagged_content(lines))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Judge the answer and show the feedback; the field closes once the question is over."""
        from tutor.present.verdict import feedback_lines
        from tutor.tui.tagged import tagged_content

        event.stop()
        if self.attempt is None or self.attempt.over:
            return
        feedback = self.attempt.submit(event.value)
        if feedback.status != "unreadable":
            event.input.value = ""
            if not feedback.question_over:  # every judged try is kept as it is made
                assert self.question is not None
                self.post_message(AnswerKept(self.key, self.question.kept(self.attempt)))
        if feedback.question_over:
            self.screen.set_focus(None)  # the closed field's focus goes nowhere, not to a panel
            event.input.disabled = True
            assert self.question is not None
            self.post_message(AnswerKept(self.key, self.question.kept(self.attempt)))
            self.refresh_bindings()
        shown = self.query_one(".quiz-feedback", Plain)
        shown.update(tagged_content(feedback_lines(feedback)))
        self.call_after_refresh(self._show_feedback)

    def _show_feedback(self) -> None:
        """Scroll the verdict, hints and solution into view."""
        shown = self.query(".quiz-feedback")  # gone if the page was taken down meanwhile
        if self.is_attached and shown:
            shown.first().scroll_visible(animate=False)
