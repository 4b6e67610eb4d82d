"""``quiz --export FILE.md``: a worksheet whose answer key the quiz grades correct."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tutor.answers.grade import Marking, grade
from tutor.answers.parse import parse_answer
from tutor.answers.types import DEFAULT_TOLERANCE
from tutor.present.worksheet import INSTRUCTIONS
from tutor.quiz.families import FAMILIES
from tutor.quiz.families.base import FIRST_LESSON
from tutor.quiz.session import QuizOptions, plan_questions

KEY_ANSWER = re.compile(r"^\*\*Answer:\*\* `(.+)`$", re.MULTILINE)


def export(tmp_path: Path, *args: str) -> str:
    path = tmp_path / "sheet.md"
    result = run_cli("quiz", "--export", str(path), *args)
    assert result.returncode == 0, result.stderr
    assert str(path) in result.stdout
    return path.read_text(encoding="utf-8")


def test_worksheet_layout(tmp_path: Path) -> None:
    text = export(tmp_path, "--count", "5", "--seed", "3")
    questions, key = text.split("\n---\n")
    assert [int(n) for n in re.findall(r"^## (\d+)\. ", questions, re.MULTILINE)] == [1, 2, 3, 4, 5]
    assert "# Answer key" in key
    assert len(KEY_ANSWER.findall(key)) == 5
    assert key.count("```text") == 5 and "Answer: " in key


LATER_TOPICS = sorted({f.topic for f in FAMILIES if f.lesson != FIRST_LESSON})


@pytest.mark.parametrize("topic", [None, *LATER_TOPICS])
def test_answer_key_round_trips_through_grading(tmp_path: Path, topic: str | None) -> None:
    # a fresh learner gets the first lesson's families; later lessons' topics by name
    families = [f for f in FAMILIES if (f.topic == topic if topic else f.lesson == FIRST_LESSON)]
    count = len(families)  # with no answers every family comes up once
    text = export(
        tmp_path, "--count", str(count), "--seed", "12", *(["--topic", topic] * bool(topic))
    )
    answers = KEY_ANSWER.findall(text.split("\n---\n")[1])
    _, questions = plan_questions(QuizOptions(topic=topic, count=count, seed=12))
    assert {q.family for q in questions} == {f.id for f in families}
    assert len(answers) == count
    for typed, question in zip(answers, questions, strict=True):
        verdict = grade(
            parse_answer(typed, question.kind),
            question.expected,
            tolerance=question.tolerance,
            mistakes=question.mistakes,
        )
        assert verdict.outcome == "correct", (question.family, typed, verdict.message)
        assert question.text in text


def test_export_to_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("quiz", "--export", str(tmp_path / "missing" / "sheet.md"))
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_a_negative_seed_is_a_usage_error_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "sheet.md"
    result = run_cli("quiz", "--export", str(path), "--seed", "-5")
    assert result.returncode == 2
    assert "--seed must be a whole number from 0 to" in result.stderr
    assert "Traceback" not in result.stderr and not path.exists()


def test_one_question_is_counted_in_the_singular(tmp_path: Path) -> None:
    path = tmp_path / "sheet.md"
    result = run_cli("quiz", "--export", str(path), "--count", "1", "--seed", "2")
    assert result.returncode == 0, result.stderr
    assert "a worksheet with 1 question and its answer key" in result.stdout
    assert "\n1 question · " in path.read_text(encoding="utf-8")


def test_the_instructions_state_the_tolerance_and_questions_that_need_more_say_so() -> None:
    """Within 1 % is right; where a known mistake is nearer, the question says how many digits."""
    assert "within 1 % of the answer" in INSTRUCTIONS and DEFAULT_TOLERANCE == 0.01
    expected = -0.0888797
    assert grade(parse_answer(repr(expected * 1.009)), expected).outcome == "correct"
    _, questions = plan_questions(QuizOptions(count=60, seed=3))
    for question in questions:
        marking = Marking.of(question.expected, question.tolerance, question.mistakes)
        assert (marking.note is not None) == (marking.narrowed < question.tolerance)
        if marking.note:
            assert marking.note in question.text
