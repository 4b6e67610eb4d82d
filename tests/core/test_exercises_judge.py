"""Judging one result: shapes first with both named, then the relative error, then the bug."""

from __future__ import annotations

import numpy as np

from tutor.exercises.judge import Expected, Variant, judge
from tutor.exercises.protocol import Returned

RIGHT = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
DOUBLED = Variant("factor 2", 2 * RIGHT)
SUMMED = Variant("not summed", np.ones((2, 5)))


def expected(*variants: Variant, case: str = "case 1") -> Expected:
    return Expected(RIGHT, variants, case)


def test_a_right_result_passes_with_its_relative_error() -> None:
    close = RIGHT * (1 + 1e-12)
    result = judge("dL/dW", [expected(), expected()], [Returned(RIGHT), Returned(close)])
    assert result.passed and result.diagnosis is None
    # ‖εx‖ / (‖x‖ + ‖(1 + ε)x‖) = ε / (2 + ε)
    assert result.message == "relative error 5e−13 (2 cases)"


def test_a_shape_is_checked_first_and_both_are_named() -> None:
    result = judge("dL/db", [expected(DOUBLED)], [Returned(np.zeros((2, 4)))])
    assert not result.passed and result.diagnosis is None
    assert result.message == "shape (2, 4), but it should be (2, 3) (case 1)"


def test_a_variant_of_the_learners_shape_names_the_bug_and_both_shapes() -> None:
    result = judge("dL/db", [expected(SUMMED)], [Returned(np.zeros((2, 5)))])
    assert result.diagnosis == "not summed (yours has shape (2, 5), the right one is (2, 3))"


def test_a_reversed_shape_is_called_transposed() -> None:
    result = judge("dL/dW", [expected()], [Returned(RIGHT.T)])
    assert result.diagnosis == "transposed: yours has shape (3, 2), the right one is (2, 3)"


def test_a_single_number_may_come_in_any_shape_of_size_one() -> None:
    one = Expected(np.array([[0.25]]))
    assert judge("dL/dw", [one], [Returned(np.array(0.25))]).passed


def test_a_bug_is_named_only_when_it_matches_every_failing_case() -> None:
    both = [expected(DOUBLED), expected(DOUBLED, case="case 2")]
    named = judge("g", both, [Returned(2 * RIGHT), Returned(2 * RIGHT)])
    assert named.diagnosis == "factor 2" and named.message == "relative error 0.333 (case 1)"
    mixed = judge("g", both, [Returned(2 * RIGHT), Returned(3 * RIGHT)])
    assert not mixed.passed and mixed.diagnosis is None


def test_nan_and_non_arrays_and_missing_results_fail_with_a_reason() -> None:
    nan = judge("p", [expected()], [Returned(np.full((2, 3), np.nan))])
    assert "NaN or infinity" in nan.message
    none = judge("p", [expected()], [Returned(description="None")])
    assert none.message == "returned None, not an array of numbers"
    missing = judge("p", [expected()], [None])
    assert (
        missing.message == "not checked: your code raised an error or stopped before returning it"
    )


def test_the_softmax_check_has_logits_above_1000_where_exp_overflows() -> None:
    from tutor.exercises.checkers.softmax import _cases

    z, _ = _cases(np.random.default_rng(0))[2]
    assert z.min() > 1000.0 > 709.8  # e^709.8 is the largest float64
    with np.errstate(over="ignore"):
        assert np.all(np.isinf(np.exp(z)))


def test_a_nan_result_is_named_by_the_variant_that_reproduces_it() -> None:
    from tutor.exercises.judge import Variant

    right = np.array([[0.25, 0.75]])
    overflow = Variant("exp overflowed", np.array([[np.nan, np.nan]]))
    want = Expected(right, (overflow,), "case 1")
    found = judge("p", [want], [Returned(np.array([[np.nan, np.nan]]))])
    assert not found.passed and found.diagnosis == "exp overflowed"
    partial = judge("p", [want], [Returned(np.array([[np.nan, 0.5]]))])
    assert partial.diagnosis is None  # not finite in other places than the variant
