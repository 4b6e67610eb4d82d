"""One attempt at one question: the single place where a learner's answer is judged.

:class:`Attempt` reads the typed text, grades it against the engine's value and the
question's known mistakes, counts tries, unlocks hints in levels and reveals the
worked solution.  The quiz session, ``quiz --plain``, a lesson's quiz blocks, a
derivation's predictions and ``lesson --plain`` all use it, so every answer gets
the same verdicts, the same words and the same retries.

The policy:

- An unreadable answer is explained and not counted; the table of accepted forms
  comes with the first one (per :class:`FormsReminder`), later only on request
  (typing ``forms``).
- An answer that applies the very function the question asks about (``tanh'(-2.83)``
  for "what is tanh′(−2.83)") restates the question: it is sent back, not counted.
- A correct answer ends the question.
- A close answer is a try but not a wrong one: no hint, try again.
- A wrong answer unlocks the next hint.  Once the hints are used up, and after at
  least :data:`MIN_TRIES` wrong answers, the next wrong answer reveals the worked
  solution (the engine's trace) and ends the question.
- Skipping reveals the solution at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from tutor.answers.grade import Marking
from tutor.answers.mistakes import Mistake
from tutor.answers.parse import ACCEPTED_FORMS, AnswerError, parse_answer
from tutor.answers.reminder import FormsReminder as FormsReminder  # re-exported
from tutor.answers.solution import Solution
from tutor.answers.types import Expected
from tutor.store.outcomes import Outcome, Result
from tutor.store.tries import Try, TryPlace, record_try

RESTATED = (
    "That is the question itself: work out its value (a number, or arithmetic of your own "
    "such as 0.7*(1-0.7)). Not counted as a try."
)
FORMS_REQUEST = {"forms", "help", "?"}
"""What a learner types to see the accepted forms again."""
MIN_TRIES = 2
"""Wrong answers a question always allows before its solution is revealed."""


@dataclass(frozen=True)
class Feedback:
    """What the judge says about one answer (or a skip)."""

    status: Outcome
    message: str
    mistake: Mistake | None = None
    hint: str | None = None  # the hint this answer unlocked
    hint_level: int = 0  # its level, counted from 1
    hints_total: int = 0
    solution: Solution | None = None  # the worked solution, once revealed
    accepted_forms: str = ""  # with the first unreadable answer
    question_over: bool = False


@dataclass(eq=False)
class Attempt:
    """The state of one question being answered: call :meth:`submit` until it is over."""

    expected: Expected
    hints: tuple[str, ...] = ()
    mistakes: tuple[Mistake, ...] = ()
    solution: Callable[[], Solution] = Solution
    reminder: FormsReminder = field(default_factory=FormsReminder)
    tries: int = 0  # graded answers (unreadable ones are not counted)
    wrong: int = 0
    solved: bool = False
    revealed: bool = False  # the worked solution was shown
    skipped: bool = False
    answer: str = ""  # the last graded answer, as typed
    place: TryPlace | None = None
    """Where the question is asked: with one, every judged try goes to the log of tries."""

    @cached_property
    def marking(self) -> Marking:
        """How answers are marked: the tolerance narrowed below the known mistakes."""
        return Marking.of(self.expected.value, self.expected.tolerance, self.mistakes)

    @property
    def note(self) -> str | None:
        """The precision the learner must be told about before answering, if any."""
        return self.marking.note

    @property
    def over(self) -> bool:
        """Answered right, or the solution was shown."""
        return self.solved or self.revealed

    @property
    def hints_shown(self) -> tuple[str, ...]:
        """The hints unlocked so far."""
        return self.hints[: self.wrong]

    @property
    def result(self) -> Result:
        """How the question went so far."""
        if self.solved:
            return Result.FIRST_TRY if self.tries == 1 else Result.RETRIED
        if self.skipped:
            return Result.SKIPPED
        return Result.REVEALED if self.revealed else Result.OPEN

    def submit(self, text: str) -> Feedback:
        """Judge one typed answer."""
        if self.over:
            raise RuntimeError("this question is over")
        if text.strip().lower() in FORMS_REQUEST:
            return Feedback(
                Outcome.UNREADABLE, "the forms an answer may take", accepted_forms=ACCEPTED_FORMS
            )
        try:
            answer = parse_answer(text, self.expected.kind)
        except AnswerError as exc:
            return Feedback(Outcome.UNREADABLE, str(exc), accepted_forms=self.reminder.first_time())
        if answer.calls & self.expected.asked:
            return Feedback(Outcome.UNREADABLE, RESTATED)
        verdict = self.marking.grade(answer)
        self.tries += 1
        self.answer = text.strip()
        return self._logged(self._judge(verdict.outcome, verdict.message, verdict.mistake))

    def _judge(self, outcome: Outcome, message: str, mistake: Mistake | None) -> Feedback:
        """The feedback on a graded answer, by the policy in the module's docstring."""
        if outcome == Outcome.CORRECT:
            self.solved = True
            return Feedback(Outcome.CORRECT, message, question_over=True)
        if outcome == Outcome.CLOSE:
            return Feedback(Outcome.CLOSE, message, mistake)
        self.wrong += 1
        if self.wrong <= len(self.hints):
            return Feedback(
                Outcome.WRONG,
                message,
                mistake,
                hint=self.hints[self.wrong - 1],
                hint_level=self.wrong,
                hints_total=len(self.hints),
            )
        if self.wrong < MIN_TRIES:
            return Feedback(Outcome.WRONG, message, mistake)
        return Feedback(
            Outcome.WRONG, message, mistake, solution=self._reveal(), question_over=True
        )

    def _logged(self, feedback: Feedback) -> Feedback:
        """Append the judged try to the learner's log of tries (where the attempt has a place)."""
        if self.place is not None:
            mistake = feedback.mistake.name if feedback.mistake is not None else None
            answer = "" if feedback.status == Outcome.SKIPPED else self.answer
            record_try(
                Try(self.place, answer, str(feedback.status), self.tries, mistake, str(self.result))
            )
        return feedback

    def skip(self) -> Feedback:
        """Give up: show the worked solution."""
        if self.over:
            raise RuntimeError("this question is over")
        self.skipped = True
        return self._logged(
            Feedback(Outcome.SKIPPED, "Skipped.", solution=self._reveal(), question_over=True)
        )

    def _reveal(self) -> Solution:
        self.revealed = True
        return self.solution()
