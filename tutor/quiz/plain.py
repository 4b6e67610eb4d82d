"""The quiz as a line dialogue on stdin/stdout (``backprop-tutor quiz --plain``).

Prints a question, reads a line, prints the verdict; ``skip`` shows the worked
solution, ``quit`` or end of input ends the quiz with the summary.  Colour only
when the output is a terminal and ``NO_COLOR`` is not set.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TextIO

from tutor.answers.attempt import FORMS_REQUEST, Feedback, feedback_lines
from tutor.answers.parse import ACCEPTED_FORMS
from tutor.quiz.report import review_lines, score_line
from tutor.quiz.session import QuizResults, QuizSession
from tutor.text.visible import read_line, write_raw

STYLES = {"bold": "1", "green": "32", "yellow": "33", "red": "31", "magenta": "35", "dim": "2"}
COLOURS = {
    "correct": "green",
    "close": "yellow",
    "wrong": "red",
    "unreadable": "magenta",
    "skipped": "dim",
}
SKIP, QUIT = {"skip", "s"}, {"quit", "exit", "q"}
BAR_WIDTH = 20


def wants_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return bool(stream.isatty()) and not os.environ.get("NO_COLOR")


class PlainQuiz:
    """Runs a :class:`QuizSession` over text streams."""

    def __init__(
        self,
        session: QuizSession,
        stdin: TextIO,
        stdout: TextIO,
        *,
        color: bool = False,
        on_question_over: Callable[[], None] = lambda: None,
    ) -> None:
        self.session = session
        self.stdin = stdin
        self.out = stdout
        self.color = color
        self.on_question_over = on_question_over
        self.echo = not stdin.isatty()

    def say(self, text: str = "", style: str | None = None) -> None:
        """Print a line, in an ANSI ``style`` when colour is on (the codes past the boundary)."""
        if self.color and style is not None:
            write_raw(self.out, f"\x1b[{STYLES[style]}m")
            print(text, end="", file=self.out)
            write_raw(self.out, "\x1b[0m")
            text = ""
        print(text, file=self.out, flush=True)

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
        self.say(head, "bold")
        self.say(question.text.replace("**", ""))
        while True:
            self.out.write("answer> ")
            self.out.flush()
            line = read_line(self.stdin)
            if line is None:
                self.say()
                return False
            text = line.strip()
            if self.echo:
                self.say(text)
            if text.lower() in QUIT:
                return False
            if text.lower() in FORMS_REQUEST:
                self.say(ACCEPTED_FORMS)
                continue
            feedback = session.skip() if text.lower() in SKIP else session.submit(text)
            self.show(feedback)
            if feedback.question_over:
                self.on_question_over()
                return True

    def show(self, feedback: Feedback) -> None:
        """The verdict, diagnosis, hint or solution for one answer."""
        first, *rest = feedback_lines(feedback)
        self.say(first, COLOURS[feedback.status])
        for line in rest:
            self.say(line, "bold" if line == "Worked solution:" else None)

    def summary(self, results: QuizResults) -> None:
        """Score, time, per-topic accuracy and the families due for review."""
        self.say()
        self.say(f"Quiz over: {score_line(results)}", "bold")
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
        reviews = review_lines(results)
        if reviews:
            self.say("Due for review soon: " + "; ".join(reviews))
