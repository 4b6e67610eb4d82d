"""Tests for tutor.answers.grade: the tolerance policy, arrays, shapes and known mistakes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.answers.grade import Verdict, grade
from tutor.answers.mistakes import Mistake
from tutor.answers.parse import Answer, parse_answer
from tutor.text.numbers import format_number


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


# dL/dz2 of the walkthrough network (x = 1, W1 = 0.5, W2 = 0.8, no biases, target 1)
A2 = sigmoid(0.8 * sigmoid(0.5 * 1.0))
DL_DZ2 = (A2 - 1) * A2 * (1 - A2)  # -0.0888797...

FORGOT_DERIVATIVE = Mistake(
    "forgot the sigmoid derivative",
    "multiply dL/da2 by a2(1 − a2) to get through the sigmoid.",
    A2 - 1,
)


def verdict(text: str, expected: object, kind: str | None = None, **options: object) -> Verdict:
    return grade(parse_answer(text, kind), expected, **options)


def test_expected_value_is_the_walkthrough_gradient() -> None:
    assert format_number(DL_DZ2) == "−0.08888"
    assert format_number(A2 - 1, 3) == "−0.378"
    assert format_number(A2 * (1 - A2), 3) == "0.235"


@pytest.mark.parametrize(
    "text",
    [
        "-0.0888797",
        "-0.08888",
        "−0.0889",
        "-0.089",  # 2 significant digits, the expected value rounded
        "-8.89e-2",
        "-0.378*0.235",  # computed from the rounded numbers on screen
        "(0.622-1)*0.622*(1-0.622)",
        "(σ(0.8*σ(0.5))-1)*σ(0.8*σ(0.5))*(1-σ(0.8*σ(0.5)))",
    ],
)
def test_correct(text: str) -> None:
    result = verdict(text, DL_DZ2)
    assert result.outcome == "correct"
    assert result.message == "Correct: −0.08888."
    assert result.mistake is None


def test_one_significant_digit_is_close() -> None:
    result = verdict("-0.09", DL_DZ2)
    assert result.outcome == "close"
    assert result.message == (
        "Close, but give more digits: −0.09 has only 1 significant digit; give at least 2."
    )


def test_within_ten_times_the_tolerance_is_close() -> None:
    result = verdict("-0.085", DL_DZ2)
    assert result.outcome == "close"
    assert result.message == (
        "Close, but not precise enough: −0.085 is off by 4.4 %; keep more digits in your working."
    )


@pytest.mark.parametrize("text", ["0.0889", "-0.3", "-0.07", "0", "-0.378"])
def test_wrong(text: str) -> None:
    result = verdict(text, DL_DZ2)
    assert result.outcome == "wrong"
    assert result.message == f"Not quite: {format_number(float(text))} is not right."


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("1+0.0099", "correct"),
        ("1-0.0099", "correct"),
        ("1+0.0101", "close"),
        ("1-0.0101", "close"),
        ("1+0.099", "close"),
        ("1-0.099", "close"),
        ("1+0.101", "wrong"),
        ("1-0.101", "wrong"),
    ],
)
def test_relative_error_boundaries(text: str, outcome: str) -> None:
    assert verdict(text, 1.0).outcome == outcome


@pytest.mark.parametrize(
    ("text", "tolerance", "outcome"),
    [
        ("1+0.04", 0.05, "correct"),
        ("1+0.06", 0.05, "close"),
        ("1+0.0009", 0.001, "correct"),
        ("1+0.002", 0.001, "close"),
        ("1+0.02", 0.001, "wrong"),
    ],
)
def test_custom_tolerance(text: str, tolerance: float, outcome: str) -> None:
    assert verdict(text, 1.0, tolerance=tolerance).outcome == outcome


@pytest.mark.parametrize(
    ("text", "expected", "outcome"),
    [
        ("0.24", 0.2351, "correct"),  # 2.1 % off, but 0.2351 rounds to 0.24
        ("0.235", 0.2351, "correct"),
        ("0.23", 0.2351, "close"),  # 2.2 % off and not the rounded value
        ("0.2", 0.2351, "close"),  # the rounded value, but only 1 digit
        ("0.3", 0.2351, "wrong"),
        ("0.24", 0.2349, "close"),  # 0.2349 rounds to 0.23
        ("0.30", 0.2951, "correct"),  # trailing zero typed: 2 digits
        ("1200", 1234.5, "correct"),
        ("1.2e3", 1234.5, "correct"),
    ],
)
def test_rounded_to_typed_digits(text: str, expected: float, outcome: str) -> None:
    assert verdict(text, expected).outcome == outcome


def test_expression_gets_no_credit_for_rounding() -> None:
    assert verdict("0.24", 0.2351).outcome == "correct"
    assert verdict("0.48/2", 0.2351).outcome == "close"


@pytest.mark.parametrize(
    ("text", "expected", "outcome"),
    [
        ("0", 0.0, "correct"),
        ("0.000", 0.0, "correct"),
        ("5e-15", 0.0, "correct"),
        ("1e-9", 0.0, "wrong"),
        ("0", 3e-4, "wrong"),
        ("0", -0.0, "correct"),
    ],
)
def test_expected_zero_and_zero_answers(text: str, expected: float, outcome: str) -> None:
    assert verdict(text, expected).outcome == outcome


def test_numpy_scalar_and_size_one_expected() -> None:
    assert verdict("-0.0889", np.float64(DL_DZ2)).outcome == "correct"
    assert verdict("-0.0889", np.array([[DL_DZ2]])).outcome == "correct"
    assert verdict("[[-0.0889]]", DL_DZ2).outcome == "correct"
    assert verdict("[-0.09]", DL_DZ2).outcome == "close"


MATRIX = np.array([[0.1, -0.2], [0.3, 0.4]])


def test_array_correct() -> None:
    result = verdict("[[0.1, -0.2], [0.3, 0.4]]", MATRIX)
    assert result.outcome == "correct"
    assert result.message == "Correct: [[0.1, −0.2], [0.3, 0.4]]."


def test_array_entries_judged_with_typed_digits() -> None:
    expected = np.array([[0.2351, DL_DZ2]])
    assert verdict("[[0.24, -0.089]]", expected).outcome == "correct"
    assert verdict("[[0.2, -0.089]]", expected).outcome == "close"
    assert verdict("[[0.48/2, -0.089]]", expected).outcome == "close"


def test_array_close_is_the_worst_entry() -> None:
    result = verdict("[[0.1, -0.2], [0.3, 0.41]]", MATRIX)
    assert result.outcome == "close"
    assert result.message == "Close, but 1 of 4 entries is not precise enough: give more digits."


def test_array_wrong_names_the_first_wrong_entry() -> None:
    result = verdict("[[0.1, -0.2], [0.35, 0.5]]", MATRIX)
    assert result.outcome == "wrong"
    assert result.message == "Not quite: 2 of 4 entries are wrong; the first is row 2, column 1."


def test_vector_position() -> None:
    result = verdict("[1, 2, 4]", np.array([1.0, 2.0, 3.0]))
    assert result.message == "Not quite: 1 of 3 entries is wrong; the first is entry 3."


def test_transposed_array_shape() -> None:
    result = verdict("[[1, 2, 3], [4, 5, 6]]", np.ones((3, 2)))
    assert result.outcome == "wrong"
    assert result.message == (
        "Not quite: your array is (2, 3) but the answer is (3, 2): it looks transposed."
    )


def test_other_shape_mismatch() -> None:
    result = verdict("[1, 2, 3]", MATRIX)
    assert result.outcome == "wrong"
    assert result.message == "Not quite: the answer has shape (2, 2), yours (3,)."


def test_flat_list_answers_a_column_or_row_vector() -> None:
    assert verdict("[0.1, 0.2]", np.array([[0.1], [0.2]])).outcome == "correct"
    assert verdict("[0.1, 0.2]", np.array([[0.1, 0.2]])).outcome == "correct"


def test_row_for_column_is_transposed() -> None:
    result = verdict("[[0.1, 0.2]]", np.array([[0.1], [0.2]]))
    assert result.outcome == "wrong"
    assert "looks transposed" in result.message


def test_single_number_for_a_larger_array() -> None:
    result = verdict("0.5", np.array([[0.5], [0.5]]), "array")
    assert result.outcome == "wrong"
    assert result.message == "Not quite: the answer is a (2, 1) array, not a single number."


def test_array_for_a_single_number() -> None:
    result = verdict("[0.5, 0.5]", 0.5)
    assert result.outcome == "wrong"
    assert result.message == "Not quite: the question asks for one number, not 2 entries."


def test_shape_for_numbers() -> None:
    result = verdict("(2, 2)", MATRIX, "shape")
    assert result.outcome == "wrong"
    assert result.message == "Not quite: the question asks for numbers, not a shape."


@pytest.mark.parametrize("text", ["(4, 2)", "4x2", "4 by 2"])
def test_shape_correct(text: str) -> None:
    result = verdict(text, (4, 2), "shape")
    assert result.outcome == "correct"
    assert result.message == "Correct: (4, 2)."


@pytest.mark.parametrize(
    ("text", "expected"), [("(2, 4)", (4, 2)), ("2x3x4", (4, 3, 2)), ("1x4", (4, 1))]
)
def test_reversed_shape_looks_transposed(text: str, expected: tuple[int, ...]) -> None:
    result = verdict(text, expected, "shape")
    assert result.outcome == "wrong"
    assert "looks transposed" in result.message


def test_square_shape_is_its_own_reverse() -> None:
    assert verdict("(3, 3)", (3, 3), "shape").outcome == "correct"


def test_wrong_shape() -> None:
    result = verdict("(3,)", (4, 2), "shape")
    assert result.outcome == "wrong"
    assert result.message == "Not quite: (3,) is not the shape."


def test_number_for_a_shape() -> None:
    result = verdict("8", (4, 2))
    assert result.outcome == "wrong"
    assert result.message == "Not quite: the question asks for a shape, like (4, 2)."


@pytest.mark.parametrize("text", ["-0.378", "-0.38", "0.622-1"])
def test_mistake_is_recognised(text: str) -> None:
    result = verdict(text, DL_DZ2, mistakes=[FORGOT_DERIVATIVE])
    assert result.outcome == "wrong"
    assert result.mistake is FORGOT_DERIVATIVE
    assert result.message == (
        "This looks like: forgot the sigmoid derivative — "
        "multiply dL/da2 by a2(1 − a2) to get through the sigmoid."
    )


@pytest.mark.parametrize("text", ["-0.0889", "-0.378*0.235", "-0.089"])
def test_right_answer_never_triggers_a_mistake(text: str) -> None:
    result = verdict(text, DL_DZ2, mistakes=[FORGOT_DERIVATIVE])
    assert result == Verdict("correct", "Correct: −0.08888.")


def test_unrelated_wrong_answer_gets_no_mistake() -> None:
    result = verdict("0.5", DL_DZ2, mistakes=[FORGOT_DERIVATIVE])
    assert result.mistake is None
    assert result.message == "Not quite: 0.5 is not right."


def test_close_answer_matching_a_mistake_is_named() -> None:
    early = Mistake("rounded too early", "keep all digits until the end.", 1.05)
    result = verdict("1.05", 1.0, mistakes=[early])
    assert result.outcome == "close"
    assert result.mistake is early


def test_mistake_coinciding_with_the_answer_is_never_reported() -> None:
    same = Mistake("same as right", "never shown.", 1.009)
    result = verdict("1.009*1.009", 1.0, mistakes=[same])
    assert result.outcome == "close"
    assert result.mistake is None


def test_first_matching_mistake_wins() -> None:
    first = Mistake("first", "one.", 2.0)
    second = Mistake("second", "two.", 2.001)
    assert verdict("2", 1.0, mistakes=[first, second]).mistake is first
    assert verdict("2", 1.0, mistakes=[second, first]).mistake is second


def test_array_mistake_transposed_square_matrix() -> None:
    transposed = Mistake("transposed", "dL/dW is delta @ a.T, not a @ delta.T.", MATRIX.T)
    result = verdict("[[0.1, 0.3], [-0.2, 0.4]]", MATRIX, mistakes=[transposed])
    assert result.outcome == "wrong"
    assert result.mistake is transposed
    assert verdict("[[0.1, -0.2], [0.3, 0.4]]", MATRIX, mistakes=[transposed]).mistake is None


def test_shape_mistake() -> None:
    flattened = Mistake("flattened", "W keeps one row per output.", (8,))
    result = verdict("(8,)", (4, 2), "shape", mistakes=[flattened])
    assert result.mistake is flattened
    assert verdict("(4, 2)", (4, 2), "shape", mistakes=[flattened]).mistake is None


def test_messages_hold_no_python_repr() -> None:
    cases = [
        verdict("0.5", np.float64(DL_DZ2)),
        verdict("[[1, 2, 3], [4, 5, 6]]", np.ones((3, 2))),
        verdict("[[0.1, -0.2], [0.3, 0.41]]", MATRIX),
        verdict("(2, 4)", (4, 2), "shape"),
        verdict("-0.0889", np.float64(DL_DZ2)),
    ]
    for result in cases:
        for junk in ("np.", "array(", "float64", "Answer(", "e-0", "-0."):
            assert junk not in result.message


def test_answer_built_directly() -> None:
    answer = Answer("array", np.array([0.5, 0.25]), None, "[0.5, 0.25]")
    assert grade(answer, np.array([0.5, 0.25])).outcome == "correct"


@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
    st.integers(min_value=3, max_value=12),
)
def test_a_formatted_value_grades_correct(expected: float, sig: int) -> None:
    assert verdict(format_number(expected, sig), expected).outcome == "correct"


def test_a_tighter_tolerance_is_not_bypassed_by_the_rounding_allowance() -> None:
    """ "0.24" is 2 % from 0.2351: right at the default tolerance, not at 0.1 %."""
    assert grade(parse_answer("0.24"), 0.2351).outcome == "correct"
    assert grade(parse_answer("0.24"), 0.2351, tolerance=0.001).outcome != "correct"
    assert grade(parse_answer("0.2351"), 0.2351, tolerance=0.001).outcome == "correct"
