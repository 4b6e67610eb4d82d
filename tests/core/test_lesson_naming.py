"""A lesson is named on the command line by its id or by its number, as the list shows it."""

from __future__ import annotations

from tutor.lesson.naming import lesson_id_for, no_such_lesson

KNOWN = [("backprop", "3.4"), ("classification", "3.5"), ("intro", ""), ("3.5", "9.1")]


def test_an_id_names_its_lesson() -> None:
    assert lesson_id_for("backprop", KNOWN) == "backprop"


def test_a_number_names_its_lesson() -> None:
    assert lesson_id_for("3.4", KNOWN) == "backprop"


def test_an_id_wins_over_a_number_that_reads_the_same() -> None:
    # lesson "3.5" (numbered 9.1) is named by its id, not taken for lesson number 3.5
    assert lesson_id_for("3.5", KNOWN) == "3.5"


def test_nothing_else_names_a_lesson() -> None:
    for key in ("", "3", "Backprop", "3.4 ", "9.9"):
        assert lesson_id_for(key, KNOWN) is None


def test_the_message_lists_the_lessons_in_their_order_with_numbers() -> None:
    message = no_such_lesson("nope", KNOWN)
    assert message == (
        "no lesson 'nope'; the lessons are: 3.4 backprop, 3.5 classification, intro, 9.1 3.5"
    )


def test_the_message_says_when_there_are_none() -> None:
    assert no_such_lesson("3.4", []) == "no lesson '3.4'; no lessons were found"
