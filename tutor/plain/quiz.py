"""The quiz as a line dialogue on stdin/stdout (``backprop-tutor quiz --plain``).

Prints a question, reads a line, prints the verdict; ``skip`` shows the worked
solution, ``quit`` or end of input ends the quiz with the summary.  Colour only
when the output is a terminal and ``NO_COLOR`` is not set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from tutor.plain.terminal import WIDTH, Quit, ask, reader, show_line, wants_color, wrapped
from tutor.present.lines import Line, Role
from tutor.present.quiz_results import review_line, score_line
from tutor.quiz.session import QuizResults, QuizSession
from tutor.text.plain import plain_markdown
from tutor.text.wrap import wrap_prose

__all__ = ["PlainQuiz", "wants_color"]
BAR_WIDTH = 20


class PlainQuiz:
    """Runs a :class:`QuizSession` over text streams."""

    def __init__(
        self,
        session: QuizSession,
        stdin: TextIO,
        stdout: TextIO,
        *,
        color: bool = False,
        on_question_over: Callable[[], object] = lambda: None,
    ) -> None:
        self.session = session
        self.stdin = stdin
        self.out = stdout
        self.color = color
        self.on_question_over = on_question_over
        self.read = reader(stdin, stdout)

    def say(self, text: str = "", role: Role = Role.TEXT) -> None:
        """Print a line, in the style of ``role`` when colour is on."""
        self.show(Line.of(text, role))

    def show(self, line: Line) -> None:
        """Print a tagged line wrapped at :data:`~tutor.plain.terminal.WIDTH` (its ANSI codes
        past the boundary, its words through it)."""
        for piece in wrapped(line):
            show_line(self.out, piece, color=self.color)

    def run(self) -> QuizResults:
        """Ask every question; end of input or ``quit`` ends early.  Returns the results."""
        self.say(
            f"Quiz: {self.session.count} questions. Type an answer (a number, your working, "
            "[a, b] or (rows, cols)), `forms` for the forms accepted, `skip` for the solution, "
            "`quit` to stop."
        )
        while True:
            if not self.ask_current():
                break
            if self.session.next_question() is None:
                break
        results = self.session.finish()
        self.on_question_over()
        self.summary(results)
        return results

    def ask_current(self) -> bool:
        """Dialogue on the current question until it is over; False when the learner stops."""
        session, question = self.session, self.session.question
        self.say()
        head = (
            f"Question {session.number} of {session.count} · {question.topic} · "
            f"difficulty {question.difficulty}"
        )
        self.say(head, Role.HEADING)
        for row in wrap_prose(plain_markdown(question.text), WIDTH).split("\n"):
            self.say(row)
        try:
            ask(self.read, self.show, "answer> ", session.submit, session.skip)
        except Quit:
            return False
        self.on_question_over()
        return True

    def summary(self, results: QuizResults) -> None:
        """Score, time, per-topic accuracy and the families due for review."""
        self.say()
        self.say(score_line(results), Role.HEADING)
        if results.topics:
            self.say("By topic:")
            width = max(len(t.topic) for t in results.topics)
            for topic in results.topics:
                filled = round(BAR_WIDTH * topic.solved / topic.asked)
                bar = "#" * filled + "." * (BAR_WIDTH - filled)
                self.say(
                    f"  {topic.topic:<{width}}  {bar}  {topic.solved}/{topic.asked} "
                    f"({topic.accuracy:.0f} %)"
                )
        self.say(review_line(results))
