"""The derivation walk without Textual: reveal, retreat, predictions with retries, saved state.

The walkthrough network (x = 1, w1 = 0.5, w2 = 0.8, sigmoids, ½(y − t)², t = 1) is
derived by hand here; the walk must ask for dL/dz2 and dL/dW1 before revealing them.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.engine import LayerSpec, NetworkSpec, TraceRecord, derive
from tutor.lesson.model import DeriveBlock
from tutor.lesson.walk import DerivationWalk
from tutor.store.progress import Answered


def sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


A1 = sig(0.5)
A2 = sig(0.8 * A1)
DZ2 = (A2 - 1.0) * A2 * (1.0 - A2)
DW1 = DZ2 * 0.8 * A1 * (1.0 - A1) * 1.0


def walkthrough() -> NetworkSpec:
    return NetworkSpec(
        input=np.array([[1.0]]),
        target=np.array([[1.0]]),
        loss="half_squared_error",
        layers=(
            LayerSpec(np.array([[0.5]]), None, "sigmoid"),
            LayerSpec(np.array([[0.8]]), None, "sigmoid"),
        ),
    )


def make_walk(**options: object) -> DerivationWalk:
    block = DeriveBlock("tiny", 1, predict=("dL/dz2", "dL/dW1"))
    return DerivationWalk(derive(walkthrough()), block, **options)  # type: ignore[arg-type]


def advance_to_prediction(walk: DerivationWalk) -> TraceRecord:
    while walk.asking is None:
        assert walk.advance()
    return walk.asking.record


def test_the_forward_pass_comes_first_then_every_product() -> None:
    derivation = derive(walkthrough())
    walk = DerivationWalk(derivation, DeriveBlock("tiny", 1))
    assert walk.forward_count == len(derivation.forward) == 5  # z1, a1, z2, a2, L
    assert [id(s) for s in walk.stages] == [id(s) for s in (*derivation.forward, *derivation.trace)]
    assert walk.next_stage is derivation.forward[0]


def test_a_prediction_is_asked_before_its_product_and_judged_with_retries() -> None:
    walk = make_walk()
    record = advance_to_prediction(walk)
    assert record.target == "dL/dz2" and record.value.item() == pytest.approx(DZ2)
    before = walk.revealed
    assert walk.advance() and walk.revealed == before  # nothing moves while asking
    unreadable = walk.submit("abc")
    assert unreadable.status == "unreadable" and walk.asking.attempt.tries == 0
    wrong = walk.submit(f"{A2 - 1.0:.4f}")  # dL/da2: the sigmoid's derivative left out
    assert wrong.status == "wrong" and not wrong.question_over
    assert wrong.mistake is not None and wrong.mistake.name == "σ'(z2) left out"
    assert wrong.hint_level == 1 and "dL/da2" in (wrong.hint or "")
    right = walk.submit(f"{DZ2:.4g}")
    assert right.status == "correct" and right.question_over
    assert walk.asking is None and walk.revealed == before  # n reveals it next
    assert walk.predictions["dL/dz2"] == Answered(f"{DZ2:.4g}", "correct", "retried", 2)
    assert walk.messages["dL/dz2"].startswith("Correct")
    assert walk.advance() and walk.stages[walk.revealed - 1] is record


def test_a_prediction_gets_at_least_two_tries_then_the_solution() -> None:
    walk = make_walk()
    advance_to_prediction(walk)
    first = walk.submit("12345")
    assert not first.question_over
    second = walk.submit("12345")
    assert not second.question_over and second.hint_level == 2
    third = walk.submit("12345")
    assert third.question_over and third.solution and "dL/dz2" in third.solution[0]
    assert walk.predictions["dL/dz2"].outcome == "wrong"


def test_closing_the_prompt_keeps_the_tries() -> None:
    walk = make_walk()
    advance_to_prediction(walk)
    walk.submit("12345")
    revealed = walk.revealed
    assert walk.retreat() and walk.asking is None and walk.revealed == revealed
    assert walk.advance() and walk.asking is not None
    assert walk.asking.attempt.tries == 1


def test_skipping_reveals_the_product_and_is_kept() -> None:
    walk = make_walk()
    record = advance_to_prediction(walk)
    before = walk.revealed
    feedback = walk.skip()
    assert feedback.status == "skipped" and walk.revealed == before + 1
    assert walk.stages[before] is record
    assert walk.predictions["dL/dz2"].outcome == "skipped"


def test_the_second_prediction_is_the_complete_dw1() -> None:
    walk = make_walk()
    advance_to_prediction(walk)
    walk.skip()
    record = advance_to_prediction(walk)
    assert record.target == "dL/dW1" and record.value.item() == pytest.approx(DW1)


def test_retreat_hides_and_walking_to_the_end_finishes() -> None:
    walk = make_walk()
    assert not walk.retreat()
    walk.advance()
    assert walk.revealed == 1 and walk.retreat() and walk.revealed == 0
    while walk.advance():
        if walk.asking is not None:
            walk.skip()
    assert walk.finished and walk.next_stage is None and not walk.advance()


def test_saved_state_resumes_without_asking_again() -> None:
    saved = {"dL/dz2": Answered("-0.09", "close")}
    walk = make_walk(revealed=3, predictions=saved)
    assert walk.revealed == 3
    while walk.revealed < 5 + 2:  # past dL/dz2 (the second product)
        assert walk.advance()
        assert walk.asking is None
    assert make_walk(revealed=10_000).finished


def test_without_the_forward_pass_the_walk_starts_at_the_products() -> None:
    block = DeriveBlock("tiny", 1, show_forward=False)
    walk = DerivationWalk(derive(walkthrough()), block)
    assert walk.forward_count == 0 and isinstance(walk.next_stage, TraceRecord)
