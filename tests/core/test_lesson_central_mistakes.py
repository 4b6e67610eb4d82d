"""Lessons 3.5 and 3.6 name their own central mistakes, as their quiz families do.

Each test draws a bundled quiz block (or a derivation's prediction), works out a
mistaken answer by hand here from the numbers shown (p alone, softmax forgotten,
σ′ not cancelled, one path only, the product of the paths), submits it through the
one judge and asserts the mistake's name.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import sig
from tutor.engine import derive
from tutor.lesson.model import DeriveBlock, Lesson, QuizBlock
from tutor.lesson.parser import parse_lesson_file
from tutor.lesson.questions import LessonQuestion, draw_question
from tutor.lesson.walk import DerivationWalk
from tutor.store.locations import bundled_lessons_dir

SEEDS = range(6)


def lesson(name: str) -> Lesson:
    parsed = parse_lesson_file(bundled_lessons_dir() / name)
    assert parsed.lesson is not None
    return parsed.lesson


def quiz(lesson: Lesson, block_id: str, seed: int) -> LessonQuestion:
    block = next(
        b for s in lesson.steps for b in s.blocks if isinstance(b, QuizBlock) and b.id == block_id
    )
    return draw_question(block, lesson.networks, seed=seed)


def named(question: LessonQuestion, answer: float) -> str | None:
    """The name of the mistake the judge sees in ``answer`` (None: no named mistake)."""
    result = question.attempt().submit(repr(float(answer)))
    return None if result.mistake is None else result.mistake.name


def arrays(question: LessonQuestion) -> tuple[np.ndarray, ...]:
    layer = question.spec.layers[0]
    return question.spec.input, layer.W, layer.b, question.spec.target


# ----- 3.5: classification -----

CLASSIFICATION = lesson("classification.md")


@pytest.mark.parametrize("seed", SEEDS)
def test_the_right_class_logit_names_p_alone_softmax_forgotten_and_t_minus_p(seed: int) -> None:
    question = quiz(CLASSIFICATION, "scores-dz-right", seed)
    x, W, b, t = arrays(question)
    z = (W @ x + b).ravel()
    p = np.exp(z) / np.exp(z).sum()
    right = 1  # class 2, the block's entry z1[2,1]
    assert t.ravel()[right] == 1.0
    assert question.expected == pytest.approx(p[right] - 1.0)
    assert named(question, p[right]) == "p alone"
    assert named(question, z[right] - 1.0) == "softmax forgotten"
    assert named(question, 1.0 - p[right]) == "t − p"
    t_minus_p = next(m for m in question.mistakes if m.name == "t − p")
    assert "p − t" in t_minus_p.description and "y − t" not in t_minus_p.description


@pytest.mark.parametrize("seed", SEEDS)
def test_the_bias_column_names_p_alone(seed: int) -> None:
    question = quiz(CLASSIFICATION, "scores-db", seed)
    x, W, b, _ = arrays(question)
    z = W @ x + b
    p = np.exp(z) / np.exp(z).sum()
    result = question.attempt().submit(str(p.round(6).tolist()))
    assert result.mistake is not None and result.mistake.name == "p alone"


@pytest.mark.parametrize("seed", SEEDS)
def test_the_coin_names_sigma_prime_not_cancelled_and_stopping_at_dl_dy(seed: int) -> None:
    question = quiz(CLASSIFICATION, "coin-dz", seed)
    x, w, b, t = (float(a.item()) for a in arrays(question))
    y = sig(w * x + b)
    assert question.expected == pytest.approx(y - t)
    assert named(question, (y - t) * y * (1 - y)) == "σ' not cancelled"
    assert named(question, (y - t) / (y * (1 - y))) == "stopped at dL/dy"
    sign = next(m for m in question.mistakes if m.name == "sign flipped")
    assert "y − t" in sign.description


def test_no_classification_question_says_y_minus_t_for_softmax() -> None:
    for step in CLASSIFICATION.steps:
        for block in step.blocks:
            if isinstance(block, QuizBlock) and block.answer.network == "scores":
                for m in quiz(CLASSIFICATION, block.id, 0).mistakes:
                    assert "y − t" not in m.description, (block.id, m)


# ----- 3.6: where paths meet -----

PATHS = lesson("paths.md")


def fork_paths(question: LessonQuestion) -> tuple[float, float, float]:
    """a1 = σ(w1·x) feeds y_k = σ(W2[k]·a1): each path (y_k − t_k)·y_k(1 − y_k)·W2[k], and a1."""
    x = float(question.spec.input.item())
    w1 = float(question.spec.layers[0].W.item())
    v = question.spec.layers[1].W.ravel()
    t = question.spec.target.ravel()
    a1 = sig(w1 * x)
    y = np.array([sig(float(vk) * a1) for vk in v])
    first, second = ((y - t) * y * (1 - y) * v).tolist()
    return first, second, a1


@pytest.mark.parametrize("seed", SEEDS)
def test_the_fork_names_one_path_only_and_the_product_of_paths(seed: int) -> None:
    question = quiz(PATHS, "fork-da1", seed)
    first, second, _ = fork_paths(question)
    assert question.expected == pytest.approx(first + second)
    assert named(question, first) == "one path only (through z2[1])"
    assert named(question, second) == "one path only (through z2[2])"
    assert named(question, first * second) == "product instead of sum"


@pytest.mark.parametrize("seed", SEEDS)
def test_a_weight_below_the_fork_names_one_path_only(seed: int) -> None:
    question = quiz(PATHS, "fork-paths-fresh", seed)
    first, second, a1 = fork_paths(question)
    x = float(question.spec.input.item())
    # dL/dW1 = dL/da1 · a1(1 − a1) · x, with dL/da1 from one path only
    assert question.expected == pytest.approx((first + second) * a1 * (1 - a1) * x)
    assert named(question, first * a1 * (1 - a1) * x) == "one path only (through z2[1])"


def test_the_forks_prediction_names_one_path_only_and_the_product() -> None:
    spec = PATHS.network("fork")
    walk = DerivationWalk(derive(spec), DeriveBlock("fork", 1, predict=("dL/da1",)))
    while walk.asking is None:
        assert walk.advance()
    assert walk.asking.record.target == "dL/da1"
    a1 = sig(float(spec.layers[0].W.item()) * float(spec.input.item()))
    v, t = spec.layers[1].W.ravel(), spec.target.ravel()
    y = np.array([sig(float(vk) * a1) for vk in v])
    first, second = ((y - t) * y * (1 - y) * v).tolist()
    attempt = walk.asking.attempt
    assert attempt.submit(repr(first)).mistake.name == "one path only (through z2[1])"
    product = attempt.submit(repr(first * second)).mistake
    assert product is not None and product.name == "product instead of sum"


@pytest.mark.parametrize("lesson_file", ["classification.md", "paths.md", "backprop.md"])
def test_no_question_of_a_lesson_has_two_mistakes_of_one_name(lesson_file: str) -> None:
    found = lesson(lesson_file)
    for step in found.steps:
        for block in step.blocks:
            if isinstance(block, QuizBlock):
                names = [m.name for m in quiz(found, block.id, 0).mistakes]
                assert len(names) == len(set(names)), (block.id, names)


def prediction(found: Lesson, network: str, target: str) -> DerivationWalk:
    block = next(
        b
        for s in found.steps
        for b in s.blocks
        if isinstance(b, DeriveBlock) and b.network == network and target in b.predict
    )
    walk = DerivationWalk(derive(found.network(network)), block)
    while walk.asking is None:
        assert walk.advance()
    assert walk.asking.record.target == target
    return walk


def test_the_scores_prediction_names_p_alone_and_softmax_forgotten() -> None:
    spec = CLASSIFICATION.network("scores")
    z = spec.layers[0].W @ spec.input + spec.layers[0].b
    p = np.exp(z) / np.exp(z).sum()
    walk = prediction(CLASSIFICATION, "scores", "dL/da1")
    attempt = walk.asking.attempt
    assert attempt.submit(str(p.round(6).tolist())).mistake.name == "p alone"
    forgotten = attempt.submit(str((z - spec.target).round(6).tolist())).mistake
    assert forgotten is not None and forgotten.name == "softmax forgotten"


def test_the_coin_prediction_names_sigma_prime_not_cancelled() -> None:
    spec = CLASSIFICATION.network("coin")
    z = spec.layers[0].W @ spec.input + spec.layers[0].b
    y = 1.0 / (1.0 + np.exp(-z))
    m = spec.input.shape[1]
    kept = (y - spec.target) * y * (1 - y) / m
    walk = prediction(CLASSIFICATION, "coin", "dL/dz1")
    value = kept.item() if kept.size == 1 else kept.round(6).tolist()
    assert walk.asking.attempt.submit(str(value)).mistake.name == "σ' not cancelled"
