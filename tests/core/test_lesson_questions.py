"""A lesson's quiz block drawn as a question: seeded numbers, the engine's answer, the judge."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import solution_text, walkthrough_spec
from tutor.engine import derive
from tutor.formats.spec import TrainSettings
from tutor.lesson.model import NetworkBlock, QuizBlock
from tutor.lesson.quantities import parse_quantity, vary_spec
from tutor.lesson.questions import _question, draw_question

NETWORKS = {"tiny": NetworkBlock("tiny", walkthrough_spec(), TrainSettings(), 1)}


def block(answer: str, **options: object) -> QuizBlock:
    return QuizBlock(
        id="q",
        question="With w2 = {W2}, what is it?",
        answer=parse_quantity(answer),
        hints=("first", "second"),
        line=1,
        **options,  # type: ignore[arg-type]
    )


def test_a_fixed_question_has_the_engines_answer_and_records() -> None:
    question = draw_question(block("grad W2 of tiny"), NETWORKS)
    derivation = derive(walkthrough_spec())
    assert question.expected == pytest.approx(derivation.gradients["W2"].item())
    assert question.records[-1].target == "dL/dW2"
    assert question.text == "With w2 = 0.8, what is it?" and question.seed is None
    assert solution_text(question.solution())[-1].startswith("Answer: ")
    assert {m.name for m in question.mistakes} >= {"σ'(z2) left out", "sign flipped"}


def test_the_same_seed_draws_the_same_numbers() -> None:
    varied = block("grad W2 of tiny", vary={"W2": (0.1, 0.9)})
    first = draw_question(varied, NETWORKS, seed=7)
    again = draw_question(varied, NETWORKS, seed=7)
    assert first.text == again.text and first.expected == again.expected
    assert first.seed == again.seed is not None
    others = {draw_question(varied, NETWORKS, seed=s).text for s in range(8)}
    assert len(others) > 1


def test_an_update_question_says_how_many_digits_it_needs() -> None:
    question = draw_question(block("W2 after one step of tiny with lr 0.1"), NETWORKS)
    assert question.text.endswith("*Give at least 3 significant digits: a common mistake "
                                  "gives a number close to this answer.*")  # fmt: skip
    attempt = question.attempt()
    old = attempt.submit("0.8")
    assert old.status == "wrong" and old.mistake is not None
    assert old.mistake.name == "W2 unchanged"
    assert attempt.submit("0.8055").status == "correct" and attempt.result == "retried"


def test_a_varied_question_whose_draw_is_inseparable_draws_again() -> None:
    """A step of 0.1 × dL/dW1 barely moves W1: the old W1 is within 0.3 % for most draws."""
    varied = block("W1 after one step of tiny with lr 0.1", vary={"W1": (0.5, 8.0)})
    assert not _question(varied, walkthrough_spec(), 0).marking.separable
    question = draw_question(varied, NETWORKS, seed=0)
    assert question.seed is not None and question.seed > 0 and question.marking.separable
    assert draw_question(varied, NETWORKS, seed=question.seed).text == question.text


def test_an_update_questions_solution_shows_the_step_itself() -> None:
    """The worked solution ends with the old and new weight: W2 − lr·dL/dW2, by hand here."""
    question = draw_question(block("W2 after one step of tiny with lr 0.1"), NETWORKS)
    gradient = derive(walkthrough_spec()).gradients["W2"].item()
    new = 0.8 - 0.1 * gradient
    lines = solution_text(question.solution())
    step = next(line for line in lines if line.strip().startswith("W2:"))
    assert step.strip().startswith("W2: 0.8 → ")
    assert float(step.split("→")[1].replace("\u2212", "-")) == pytest.approx(new, rel=1e-3)
    assert lines[-1].startswith("Answer: ")


def test_a_draw_that_makes_the_step_zero_is_drawn_again() -> None:
    """slope-step: y = w·x with x = 1, t = 0.3; a drawn w of 0.3 gives dL/dw = (w − t)·x = 0."""
    from tutor.engine import LayerSpec, NetworkSpec

    slope = NetworkSpec(
        np.array([[1.0]]),
        np.array([[0.3]]),
        "half_squared_error",
        (LayerSpec(np.array([[0.5]]), None, "linear"),),
    )
    networks = {"slope": NetworkBlock("slope", slope, TrainSettings(), 1)}
    varied = QuizBlock(
        id="slope-step",
        question="w = {W1}: the new w?",
        answer=parse_quantity("W1 after one step of slope with lr 0.1"),
        hints=("h",),
        line=1,
        vary={"W1": (-0.5, 1.5)},
    )
    # the seeds whose first draw is w = t exactly (rounded to 2 decimals, as drawn)
    zero = []
    for s in range(2000):
        drawn = vary_spec(slope, varied.vary, np.random.default_rng(s))  # as the question draws
        if drawn.layers[0].W.item() == 0.3:
            zero.append(s)
        if len(zero) == 2:
            break
    assert zero, "no seed draws w = t"
    for seed in zero:
        assert not _question(varied, slope, seed).marking.mistakes  # every mistake is the answer
        question = draw_question(varied, networks, seed=seed)
        assert question.spec.layers[0].W.item() != 0.3 and question.seed != seed
        assert {"W1 unchanged", "update added"} <= {m.name for m in question.marking.mistakes}
