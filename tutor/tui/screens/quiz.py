"""The quiz screen: :class:`QuizScreen` asks the questions, then hands over to the results.

The quiz logic lives in :mod:`tutor.quiz` (no Textual); this screen shows the
question, reads answers, and shows the verdict, diagnosis, hints and the worked
solution.  The learner's stats come from the app's progress and are saved after
every question; :class:`~tutor.tui.screens.results.QuizResultsScreen` sums up.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Input

from tutor.present.verdict import hint_line, verdict_lines, worked_solution_lines
from tutor.quiz.session import Feedback, QuizError, QuizOptions, QuizSession
from tutor.store.outcomes import Outcome
from tutor.tui.literal import Plain, authored
from tutor.tui.screens.base import TutorScreen
from tutor.tui.screens.help import reflow
from tutor.tui.screens.results import QuizResultsScreen
from tutor.tui.tagged import tagged_content
from tutor.tui.widgets.prose import Prose

QUIZ_TIPS = authored(
    reflow("""\
Type an answer and press [b]Enter[/b]: a number, your working (-0.4*0.25,
sigmoid(0.5)), a list [0.1, -0.2], a matrix [[1, 2], [3, 4]] or a shape (4, 2).
Every wrong answer unlocks a hint; after the last hint you see the worked
solution, the engine's own chain-rule products. Answers the quiz cannot read are
not counted; type forms to see every form an answer may take. Families you miss
come back sooner next time.""")
)

PLACEHOLDER = "Your answer: 0.25, 0.7*(1-0.7), [0.1, -0.2] or (4, 2); Enter checks it"
NEXT_PLACEHOLDER = "Enter: next question"


class QuizScreen(TutorScreen):
    """One quiz: a question, an answer field, and the feedback panels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "skip", "Solution", tooltip="Give up and show the worked solution"),
        Binding("ctrl+n", "next", "Next", tooltip="Go to the next question"),
        Binding("escape", "finish", "End quiz", tooltip="Stop here and see the results"),
        Binding("f1", "help", "Help"),
    ]

    def __init__(self, options: QuizOptions | None = None) -> None:
        super().__init__()
        self.options = options or QuizOptions()
        self.session: QuizSession | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="quiz-body"):
            yield Plain(id="quiz-status")
            yield Prose("", id="quiz-question")
            yield Input(placeholder=PLACEHOLDER, id="quiz-answer")
            yield Plain(id="quiz-verdict", classes="quiz-panel -empty")
            yield Plain(id="quiz-hints", classes="quiz-panel -empty")
            yield Plain(id="quiz-solution", classes="quiz-panel -empty")
        yield Footer()

    def on_mount(self) -> None:
        """Start the quiz with the learner's progress (the families' records)."""
        self.title = "Quiz"
        try:
            self.session = QuizSession(self.options, self.tutor.progress)
        except QuizError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            self.call_later(self.dismiss)
            return
        self.show_question()

    # ------------------------------------------------------------------ display
    def show_question(self) -> None:
        """Show the current question with empty feedback panels."""
        session = self.session
        assert session is not None
        question = session.question
        self.sub_title = f"question {session.number} of {session.count}"
        status = (
            f"Question {session.number} of {session.count} · {question.topic} · "
            f"difficulty {question.difficulty}"
        )
        self.query_one("#quiz-status", Plain).update(status)
        self.query_one("#quiz-question", Prose).update(question.text)
        for panel in ("#quiz-verdict", "#quiz-hints", "#quiz-solution"):
            self._panel(panel, "")
        answer = self.query_one("#quiz-answer", Input)
        answer.clear()
        answer.placeholder = PLACEHOLDER
        answer.focus()
        self.query_one("#quiz-body", VerticalScroll).scroll_home(animate=False)

    def show_feedback(self, feedback: Feedback) -> None:
        """The verdict (with the diagnosis), the hints so far and, once revealed, the solution."""
        session = self.session
        assert session is not None
        verdict = tagged_content(verdict_lines(feedback))
        if feedback.question_over:
            verdict += Content.styled("\nPress Enter for the next question.", "dim")
        self._panel("#quiz-verdict", verdict)
        hints = session.hints_shown
        total = len(session.question.hints)
        self._panel(
            "#quiz-hints",
            tagged_content(hint_line(n, total, hint) for n, hint in enumerate(hints, start=1)),
        )
        if feedback.solution is not None:
            self._panel("#quiz-solution", tagged_content(worked_solution_lines(feedback.solution)))
            self.query_one("#quiz-solution").scroll_visible(animate=False)
        if feedback.question_over:
            self.query_one("#quiz-answer", Input).placeholder = NEXT_PLACEHOLDER
            self._save()

    def _panel(self, selector: str, content: str | Content) -> None:
        panel = self.query_one(selector, Plain)
        panel.update(content)
        panel.set_class(not content, "-empty")

    def _save(self) -> None:
        self.tutor.save_progress()

    # ------------------------------------------------------------------ input
    @on(Input.Submitted, "#quiz-answer")
    def _answer_submitted(self, event: Input.Submitted) -> None:
        """Grade the answer, or move on if the question is already over."""
        session = self.session
        if session is None:
            return
        if session.current.over:
            self.action_next()
            return
        feedback = session.submit(event.value)
        if feedback.status != Outcome.UNREADABLE:
            event.input.clear()
        self.show_feedback(feedback)

    # ------------------------------------------------------------------ actions
    def action_skip(self) -> None:
        """Show the worked solution and end this question."""
        if self.session is not None and not self.session.current.over:
            self.show_feedback(self.session.skip())

    def action_next(self) -> None:
        """The next question, once this one is over (or the results after the last)."""
        session = self.session
        if session is None:
            return
        if not session.current.over:
            self.notify("Answer the question first, or Ctrl+S for the solution.")
            return
        if session.next_question() is None:
            self.show_results()
        else:
            self.show_question()

    def action_finish(self) -> None:
        """End the quiz now and show the results."""
        if self.session is not None:
            self.session.finish()
            self.show_results()

    def action_help(self) -> None:
        """Show the keys and how answers work."""
        from tutor.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self, tips=QUIZ_TIPS))

    def show_results(self) -> None:
        """Replace this screen with the results."""
        assert self.session is not None
        self._save()
        self.app.switch_screen(QuizResultsScreen(self.session.finish(), self.options))
