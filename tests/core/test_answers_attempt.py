"""The one attempt machine: verdicts, tries, hints in levels, the reveal, and the forms table."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.answers.attempt import MIN_TRIES, Attempt, FormsReminder
from tutor.answers.mistakes import Mistake
from tutor.answers.solution import Solution
from tutor.answers.types import Expected
from tutor.present.verdict import feedback_lines

SOLUTION = Solution(answer=0.25)


def attempt(hints: tuple[str, ...] = ("first", "second"), **options: object) -> Attempt:
    return Attempt(
        Expected(0.25),
        hints=hints,
        mistakes=(Mistake("sign flipped", "the sign is flipped.", -0.25),),
        solution=lambda: SOLUTION,
        **options,  # type: ignore[arg-type]
    )


def test_right_at_the_first_try() -> None:
    a = attempt()
    feedback = a.submit("0.25")
    assert feedback.status == "correct" and feedback.question_over
    assert (a.tries, a.wrong, a.result) == (1, 0, "first_try")
    assert a.answer == "0.25"
    with pytest.raises(RuntimeError):
        a.submit("0.25")


def test_wrong_answers_unlock_hints_in_levels_then_the_solution() -> None:
    a = attempt()
    first = a.submit("-0.25")
    assert first.status == "wrong" and first.mistake is not None
    assert (first.hint, first.hint_level, first.hints_total) == ("first", 1, 2)
    second = a.submit("3")
    assert (second.hint, second.hint_level) == ("second", 2) and not second.question_over
    assert a.hints_shown == ("first", "second")
    third = a.submit("3")
    assert third.question_over and third.solution is SOLUTION
    assert a.result == "revealed" and a.tries == 3


def test_without_hints_there_are_still_two_tries() -> None:
    a = attempt(hints=())
    first = a.submit("3")
    assert first.status == "wrong" and not first.question_over and first.hint is None
    assert MIN_TRIES == 2
    assert a.submit("3").question_over


def test_close_is_a_try_but_not_a_wrong_one() -> None:
    a = attempt()
    close = a.submit("0.26")
    assert close.status == "close" and close.hint is None and a.wrong == 0
    assert a.submit("0.25").status == "correct" and a.result == "retried"


def test_unreadable_is_not_counted_and_the_forms_come_once() -> None:
    reminder = FormsReminder()
    a, b = attempt(reminder=reminder), attempt(reminder=reminder)
    first = a.submit("abc")
    assert first.status == "unreadable" and "Accepted answers" in first.accepted_forms
    assert a.tries == 0 and not first.question_over
    assert a.submit("xyz").accepted_forms == ""
    assert b.submit("abc").accepted_forms == ""  # the same reminder: once per quiz
    again = b.submit("forms")  # until asked for
    assert again.status == "unreadable" and "Accepted answers" in again.accepted_forms
    assert b.tries == 0


def test_skip_reveals() -> None:
    a = attempt()
    feedback = a.skip()
    assert feedback.status == "skipped" and feedback.question_over and feedback.solution
    assert a.result == "skipped"


def test_feedback_lines_start_with_the_mark() -> None:
    a = attempt()

    def texts(feedback: object) -> list[str]:
        return [line.text for line in feedback_lines(feedback)]  # type: ignore[arg-type]

    assert texts(a.submit("abc"))[0].startswith("? couldn't read that")
    lines = texts(a.submit("-0.25"))
    assert lines[0].startswith("✗ ") and lines[1] == "Hint 1 of 2: first"
    assert texts(a.submit("0.26"))[0].startswith("~ ")
    assert texts(a.submit("0.25"))[0].startswith("✓ ")


def test_typing_the_question_back_is_sent_back_and_not_counted() -> None:
    # what is tanh′(−2.83)? tanh′(z) = 1 − tanh(z)², worked out here by hand
    right = 1.0 - math.tanh(-2.83) ** 2
    attempt = Attempt(Expected(right, asked=frozenset({"dtanh"})))
    for typed in ("tanh'(-2.83)", "tanh′(−2.83)", "1 * tanh'(-2.83)"):
        feedback = attempt.submit(typed)
        assert feedback.status == "unreadable" and feedback.message.startswith(
            "That is the question"
        )
    assert attempt.tries == 0
    assert attempt.submit("1 - tanh(-2.83)^2").status == "correct"
    assert attempt.result == "first_try"


def test_the_derivative_families_and_lesson_questions_say_what_they_ask() -> None:
    from tests.core.test_lesson_questions import NETWORKS, block
    from tutor.lesson.questions import draw_question
    from tutor.quiz.families import get_family

    question = get_family("tanh-derivative").generate(np.random.default_rng(0))
    assert question.asked == {"dtanh"}
    z = question.about["z"]
    assert (
        Attempt(Expected(question.expected, asked=question.asked))
        .submit(f"tanh'({z})")
        .message.startswith("That is the question")
    )
    lesson_question = draw_question(block("grad z2 of tiny"), NETWORKS)
    attempt = lesson_question.attempt()
    assert attempt.submit("sigmoid'(0.6)").message.startswith("That is the question")
    assert attempt.tries == 0
