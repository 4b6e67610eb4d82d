"""How a lesson went, without Textual: results counted, weakest topics, finished."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import walkthrough_spec
from tutor.formats.spec import TrainSettings
from tutor.lesson.model import DeriveBlock, Lesson, NetworkBlock, Prose, QuizBlock, Step
from tutor.lesson.quantities import parse_quantity
from tutor.lesson.summary import TOPICS, LessonSummary, summarise
from tutor.present import summary as words
from tutor.quiz.families import topics
from tutor.store.progress import Answered, LessonProgress


def summary_lines(summary: LessonSummary) -> list[str]:
    return [line.text for line in words.summary_lines(summary)]


def lesson() -> Lesson:
    tiny = NetworkBlock("tiny", walkthrough_spec(), TrainSettings(), 2)
    quiz = QuizBlock(
        "step", "?", parse_quantity("W2 after one step of tiny with lr 0.1"), ("h",), 9
    )
    steps = (
        Step("Network", (Prose("p", 1), tiny), 1),
        Step("Derive", (DeriveBlock("tiny", 5, predict=("dL/dz2", "dL/dW1")),), 4),
        Step("Quiz", (quiz,), 8),
    )
    return Lesson("t", "Tiny", Path("t.md"), steps, networks={"tiny": tiny})


def test_nothing_done_is_nothing_finished() -> None:
    summary = summarise(lesson(), None)
    assert (summary.steps, summary.visited, len(summary.asked)) == (3, 0, 3)
    assert summary.to_do == 3 and not summary.finished
    assert summary.weakest == ()  # nothing answered says nothing of a topic (not alphabetical)
    labels = [words.asked_label(a) for a in summary.asked]
    assert labels == ["predict dL/dz2", "predict dL/dW1", "question W2 after a step"]


def test_a_question_is_named_by_what_it_asks_for_not_by_its_id() -> None:
    named = {
        "grad W1[2,1] of tiny": "dL/dW1[2,1]",
        "grad z2 of tiny": "dL/dz2",
        "value a1 of tiny": "a1",
        "loss of tiny": "the loss L",
        "loss after one step of tiny with lr 0.5": "L after a step",
        "b1 after one step of tiny with lr 0.5": "b1 after a step",
        "shape of grad W1 of tiny": "shape of dL/dW1",
        "shape of value a1 of tiny": "shape of a1",
        "he std of W2 of tiny": "He std of W2",
        "xavier std of W1 of tiny": "Xavier std of W1",
    }
    for text, expected in named.items():
        assert words.quantity_words(parse_quantity(text)) == expected, text


def test_results_topics_and_finished() -> None:
    progress = LessonProgress(finished_steps=[0, 1, 2])
    progress.predictions = {
        "1:0": {
            "dL/dz2": Answered("-0.0889", "correct", "first_try", 1),
            "dL/dW1": Answered("1", "wrong", "revealed", 3),
        }
    }
    progress.questions = {"2:0": Answered("0.8055", "correct", "retried", 2)}
    summary = summarise(lesson(), progress)
    assert [a.result for a in summary.asked] == ["first_try", "revealed", "retried"]
    assert summary.finished and summary.to_do == 0
    assert summary.weakest == ("gradient-descent", "backprop")  # 0 of 1, then 1 of 2 first time
    assert summary_lines(summary) == [
        "Tiny: 3 of 3 steps visited.",
        "Predictions and questions (3): 1 right first time, 1 right after retries, "
        "1 solution shown.",
        "Weakest topics: gradient-descent, backprop.",
        "Lesson finished.",
    ]


def test_only_answered_questions_make_a_topic_weak() -> None:
    progress = LessonProgress()
    progress.questions = {"2:0": Answered("0.8055", "correct", "first_try", 1)}
    progress.predictions = {"1:0": {"dL/dz2": Answered("1", "wrong", "revealed", 3)}}
    # dL/dW1 is not answered: backprop is 0 of 1 answered, not 0 of 2.
    assert summarise(lesson(), progress).weakest == ("backprop",)


def test_a_skipped_question_is_still_to_do() -> None:
    progress = LessonProgress(finished_steps=[0, 1, 2])
    progress.predictions = {
        "1:0": {
            "dL/dz2": Answered("", "skipped", "skipped"),
            "dL/dW1": Answered("0.1", "close"),  # kept before results were: an answer
        }
    }
    summary = summarise(lesson(), progress)
    assert [a.result for a in summary.asked] == ["skipped", "revealed", ""]
    assert summary.to_do == 2 and not summary.finished
    assert summary_lines(summary)[-1] == "Still to do: 2 of 3 (answer them to finish)."


def test_every_topic_is_a_quiz_topic() -> None:
    assert set(TOPICS.values()) <= set(topics())
