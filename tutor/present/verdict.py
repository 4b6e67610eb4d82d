"""The words of a verdict and of a result, keyed by :class:`Outcome` and :class:`Result`.

Provides :func:`feedback_lines` (one answer's verdict line, then its hint, the
accepted forms or the worked solution), :func:`result_words` (how a finished
question or prediction went) and :func:`kept_lines` (a question answered in an
earlier session).  The TUI and the plain terminal both show these lines; the
plain one marks each verdict with :data:`MARKS`.
"""

from __future__ import annotations

from tutor.answers.attempt import Attempt, Feedback
from tutor.answers.solution import Solution
from tutor.present.lines import Line, Role, outcome_role, result_role
from tutor.present.solution import solution_lines
from tutor.store.outcomes import Outcome, Result
from tutor.store.progress import Answered

MARKS: dict[Outcome, str] = {
    Outcome.CORRECT: "✓",
    Outcome.WRONG: "✗",
    Outcome.CLOSE: "~",
    Outcome.UNREADABLE: "?",
    Outcome.SKIPPED: "→",
}
"""The mark that starts a verdict line (the plain lesson's contract: ✓ ✗ ~ or ?)."""
RESULT_MARKS: dict[Result, str] = {
    Result.FIRST_TRY: "✓",
    Result.RETRIED: "✓",
    Result.REVEALED: "✗",
    Result.SKIPPED: "→",
}
RESULT_WORDS: dict[Result, str] = {
    Result.FIRST_TRY: "right first time",
    Result.RETRIED: "right after retries",
    Result.REVEALED: "solution shown",
    Result.SKIPPED: "skipped",
    Result.UNANSWERED: "not answered",
}
"""How each result reads, in the order a summary counts them."""
TRIES_WORDS: dict[Result, str] = {
    Result.RETRIED: "right after {tries} tries",
    Result.REVEALED: "solution shown after {tries} tries",
}
"""A result of one question, with its number of tries."""
WORKED_SOLUTION = "Worked solution:"


def result_words(result: Result, tries: int | None = None) -> str:
    """``right after 3 tries``; without ``tries``, the words a summary counts."""
    if tries is not None and result in TRIES_WORDS:
        return TRIES_WORDS[result].format(tries=tries)
    return RESULT_WORDS.get(result, str(result))


def marked_result(result: Result, tries: int | None = None) -> str:
    """``✓ right first time``: the result's mark, then its words."""
    mark = RESULT_MARKS.get(result)
    words = result_words(result, tries)
    return f"{mark} {words}" if mark else words


def feedback_lines(feedback: Feedback, *, solution: bool = True) -> list[Line]:
    """One answer's feedback: the verdict (marked, in its outcome's role), hint, forms, solution.

    ``solution=False`` leaves the worked solution out (a prediction's is the product,
    shown next).
    """
    lines = verdict_lines(feedback)
    if feedback.hint:
        lines.append(hint_line(feedback.hint_level, feedback.hints_total, feedback.hint))
    if solution and feedback.solution is not None:
        lines += worked_solution_lines(feedback.solution)
    return lines


def verdict_lines(feedback: Feedback) -> list[Line]:
    """The verdict, marked and in its outcome's role; after an unreadable one, the forms."""
    verdict = f"{MARKS[feedback.status]} {feedback.message}"
    if feedback.status == Outcome.UNREADABLE:
        verdict += " (not counted)"
    lines = [Line.of(verdict, outcome_role(feedback.status))]
    if feedback.status == Outcome.UNREADABLE and feedback.accepted_forms:
        lines += [Line.of(row) for row in feedback.accepted_forms.split("\n")]
    return lines


def hint_line(level: int, total: int, hint: str) -> Line:
    """``Hint 1 of 2: …``."""
    return Line.of(f"Hint {level} of {total}: {hint}")


def worked_solution_lines(solution: Solution) -> list[Line]:
    """The worked solution under its heading, indented."""
    body = [line.indented("  ") for line in solution_lines(solution)]
    return [Line.of(WORKED_SOLUTION, Role.HEADING), *body]


def resumed_lines(attempt: Attempt) -> list[Line]:
    """What a question taken up again says: its tries so far count, and the hints they opened."""
    tries = f"{attempt.tries} tr{'y' if attempt.tries == 1 else 'ies'}"
    lines = [
        Line.of(f"Back to the same numbers: {tries} so far (your last answer: {attempt.answer}).")
    ]
    total = len(attempt.hints)
    lines += [hint_line(n, total, hint) for n, hint in enumerate(attempt.hints_shown, start=1)]
    return lines


def kept_lines(kept: Answered, solution: Solution | None) -> list[Line]:
    """A question answered in an earlier session: how it went, the answer, the solution.

    The solution is shown unless it was right first time.
    """
    result = Result(kept.result)
    lines = [Line.of(f"Answered before: {marked_result(result, kept.tries)}.", Role.LEAD)]
    if kept.answer:
        lines.append(Line.of(f"Your answer: {kept.answer}"))
    if result != Result.FIRST_TRY and solution is not None:
        lines += solution_lines(solution)
    return lines


def predicted_line(target: str, kept: Answered, message: str | None) -> Line | None:
    """``You predicted dL/dz2 = 0.3. Correct: …`` above a product (None if it was skipped).

    ``message``: the verdict on a prediction made in this session; one kept from an
    earlier session says how it went instead.
    """
    result = Result(kept.result)
    if kept.outcome == Outcome.SKIPPED or result == Result.SKIPPED:
        return None
    if message:
        return Line.of(
            f"You predicted {target} = {kept.answer}. {message}", outcome_role(kept.outcome)
        )
    words = marked_result(result, kept.tries)
    return Line.of(f"You predicted {target} = {kept.answer} earlier: {words}.", result_role(result))
