"""The derivation walk without Textual: reveal, retreat, predictions with retries, saved state.

The walkthrough network (x = 1, w1 = 0.5, w2 = 0.8, sigmoids, ½(y − t)², t = 1) is
derived by hand here; the walk must ask for dL/dz2 and dL/dW1 before revealing them.
"""

from __future__ import annotations

import pytest

from tests.helpers import fork_spec, sig, solution_text, walkthrough_spec
from tutor.engine import TraceRecord, derive
from tutor.lesson.model import DeriveBlock
from tutor.lesson.walk import DerivationWalk
from tutor.store.progress import Answered, LessonProgress

A1 = sig(0.5)
A2 = sig(0.8 * A1)
DZ2 = (A2 - 1.0) * A2 * (1.0 - A2)
DW1 = DZ2 * 0.8 * A1 * (1.0 - A1) * 1.0


def make_walk(**options: object) -> DerivationWalk:
    block = DeriveBlock("tiny", 1, predict=("dL/dz2", "dL/dW1"))
    return DerivationWalk(derive(walkthrough_spec()), block, **options)  # type: ignore[arg-type]


def advance_to_prediction(walk: DerivationWalk) -> TraceRecord:
    while walk.asking is None:
        assert walk.advance()
    return walk.asking.record


def test_the_forward_pass_comes_first_then_every_product() -> None:
    derivation = derive(walkthrough_spec())
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
    assert third.question_over and third.solution and "dL/dz2" in solution_text(third.solution)[0]
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
    walk = DerivationWalk(derive(walkthrough_spec()), block)
    assert walk.forward_count == 0 and isinstance(walk.next_stage, TraceRecord)


def reveal_through(walk: DerivationWalk, target: str) -> None:
    while not (walk.revealed and getattr(walk.stages[walk.revealed - 1], "target", "") == target):
        assert walk.advance()


def test_the_newest_matrix_product_can_be_shown_path_by_path() -> None:
    walk = DerivationWalk(derive(fork_spec()), DeriveBlock("fork", 1, show_forward=False))
    assert not walk.toggle_paths()  # nothing revealed
    reveal_through(walk, "dL/dz2")
    assert not walk.newest_expandable and not walk.toggle_paths()  # elementwise
    reveal_through(walk, "dL/da1")
    assert walk.newest_expandable and walk.toggle_paths()
    assert walk.expanded == {walk.revealed - 1}
    assert walk.toggle_paths() and walk.expanded == set()


def test_a_block_can_expand_a_product_from_the_start() -> None:
    walk = DerivationWalk(derive(fork_spec()), DeriveBlock("fork", 1, expand=("dL/da1",)))
    (index,) = walk.expanded
    assert walk.stages[index].target == "dL/da1"  # type: ignore[union-attr]


def test_path_lines_are_the_sum_worked_by_hand() -> None:
    from tutor.present.path_lines import path_lines

    a1 = sig(0.5)
    dz2 = [(sig(w * a1) - t) * sig(w * a1) * (1 - sig(w * a1)) for w, t in ((0.7, 1.0), (0.5, 0.0))]
    derivation = derive(fork_spec())
    lines = path_lines(derivation, derivation.record_for("dL/da1"))
    assert lines[1].strip() == "dL/da1[1] = dL/dz2[1]·W2[1,1] + dL/dz2[2]·W2[2,1]"
    assert lines[2].strip().startswith("via z2[1]: (")
    total = float(lines[4].rsplit("= ", 1)[1].replace("−", "-"))
    assert total == pytest.approx(dz2[0] * 0.7 + dz2[1] * 0.5, rel=1e-3)  # 4 figures shown
    assert path_lines(derivation, derivation.record_for("dL/dz2")) == []


def test_the_walk_keeps_its_predictions_in_the_learners_progress() -> None:
    """One key scheme: the block's dict in progress is the walk's, no copy, no translation."""
    progress = LessonProgress()
    walk = make_walk(predictions=progress.predictions_in("2:1"))
    advance_to_prediction(walk)
    walk.skip()
    assert progress.prediction("2:1", "dL/dz2") is walk.predictions["dL/dz2"]
    assert progress.to_dict()["predictions"] == {
        "2:1": {"dL/dz2": {"answer": "", "outcome": "skipped", "result": "skipped", "tries": 0,
                           "numbers": {}, "wrong": 0}}
    }  # fmt: skip
    again = make_walk(predictions=progress.predictions_in("2:1"))  # a later session
    assert advance_to_prediction(again).target == "dL/dW1"  # dL/dz2 is not asked again


def test_a_wrong_prediction_is_kept_open_and_still_counts_after_leaving() -> None:
    kept: dict = {}
    walk = make_walk(predictions=kept)
    assert advance_to_prediction(walk).target == "dL/dz2"
    assert walk.submit(f"{-DZ2:.4f}").status == "wrong"  # the sign flipped
    assert kept["dL/dz2"].open and kept["dL/dz2"].tries == 1
    later = make_walk(predictions=kept)  # the learner left and came back
    assert advance_to_prediction(later).target == "dL/dz2"  # asked again, not shown as done
    assert later.asking.attempt.tries == 1
    assert later.submit(f"{DZ2:.4f}").status == "correct"
    assert kept["dL/dz2"].result == "retried"  # not right first time
