"""An in-lesson ``quiz`` block: question, answer field, a hint per wrong attempt, the solution.

The expected answer is the engine's, through ``tutor.lesson.quantities.evaluate``
(on the network with the block's ``vary`` entries drawn afresh each time it is shown);
answers are read by :mod:`tutor.answers.parse` and graded by :mod:`tutor.answers.grade`.
After the last hint the worked solution is shown: the engine's trace records
from ``solution_records``, each as ``record_line`` prints it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Markdown, Static

from tutor.ui.messages import Computed, post_computed
from tutor.ui.widgets.derivation.lines import OUTCOME_STYLES

if TYPE_CHECKING:
    from tutor.lesson.model import Lesson, QuizBlock


class QuizBlockView(Vertical):
    """One question of a lesson, graded against the engine."""

    DEFAULT_CSS = """
    QuizBlockView { height: auto; border-left: thick $accent; padding: 0 1; }
    QuizBlockView .quiz-question { height: auto; margin: 0; }
    QuizBlockView .quiz-feedback { height: auto; }
    """

    def __init__(self, block: QuizBlock, lesson: Lesson, *, key: str) -> None:
        super().__init__(classes="quiz-block block")
        self.block, self.lesson, self.key = block, lesson, key
        self.expected: Any = None
        self.records: tuple[Any, ...] = ()
        self.wrong_attempts = 0
        self.solved = False

    def compose(self) -> ComposeResult:
        yield Markdown("", classes="quiz-question")
        yield Input(placeholder="your answer (Tab to get here, Enter to check)", disabled=True)
        yield Static("", classes="quiz-feedback")

    def on_mount(self) -> None:
        """Ask the engine for the expected answer."""
        self._evaluate()

    @work(thread=True, exclusive=True)
    def _evaluate(self) -> None:
        """Compute the expected answer off the UI thread."""
        post_computed(self, self.key, self._question, "This question is unavailable")

    def _question(self) -> tuple[str, Any, tuple[Any, ...]]:
        """The question as shown (with this attempt's numbers), its answer and solution."""
        import numpy as np

        from tutor.lesson import quantities

        answer = self.block.answer
        spec = quantities.network_for(answer, self.lesson.networks)
        if self.block.vary:
            spec = quantities.vary_spec(spec, self.block.vary, np.random.default_rng())
        return (
            quantities.render_question(self.block.question, spec, lr=answer.lr),
            quantities.evaluate(answer, spec),
            quantities.solution_records(answer, spec),
        )

    @on(Computed)
    def _computed(self, message: Computed) -> None:
        """Enable the answer field once the expected value is known."""
        message.stop()
        if message.error:
            self.query_one(".quiz-feedback", Static).update(message.error)
            return
        question, self.expected, self.records = message.result
        self.query_one(".quiz-question", Markdown).update(question)
        self.query_one(Input).disabled = False

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Grade the answer; a wrong one unlocks the next hint, then the solution."""
        from tutor.answers.grade import grade
        from tutor.answers.parse import AnswerError, parse_answer
        from tutor.lesson.quantities import answer_kind

        event.stop()
        feedback = self.query_one(".quiz-feedback", Static)
        try:
            answer = parse_answer(event.value, answer_kind(self.block.answer))
        except AnswerError as exc:
            feedback.update(Text(f"{exc} (not counted)", style="yellow"))
            return
        verdict = grade(answer, self.expected, tolerance=self.block.tolerance)
        text = Text(verdict.message, style=OUTCOME_STYLES[verdict.outcome])
        if verdict.outcome == "correct":
            self.solved = True
        else:
            self.wrong_attempts += 1
            hints = self.block.hints
            if self.wrong_attempts <= len(hints):
                text.append(f"\nHint {self.wrong_attempts}: {hints[self.wrong_attempts - 1]}")
            else:
                text.append("\n" + self._solution())
        feedback.update(text)

    def _solution(self) -> str:
        from tutor.text.derivation import record_line
        from tutor.text.numbers import format_value

        lines = ["Worked solution (the engine's chain-rule products):"]
        lines += [f"  {record_line(record)}" for record in self.records]
        lines.append(f"Answer: {format_value(self.expected)}")
        return "\n".join(lines)
