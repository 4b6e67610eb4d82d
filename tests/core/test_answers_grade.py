"""Tests for tutor.answers.grade: the tolerance policy, arrays, shapes and known mistakes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import sig
from tutor.answers.grade import ABS_FLOOR, Marking, Verdict, distance, grade
from tutor.answers.mistakes import Mistake
from tutor.answers.parse import Answer, parse_answer
from tutor.text.numbers import format_number

# dL/dz2 of the walkthrough network (x = 1, W1 = 0.5, W2 = 0.8, no biases, target 1)
A2 = sig(0.8 * sig(0.5 * 1.0))
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


def test_the_answer_rounded_too_far_is_close_and_says_the_digits_needed() -> None:
    result = verdict("-0.09", DL_DZ2)  # −0.08888 rounded to 1 digit: 1.3 % off
    assert result.outcome == "close"
    assert result.message == (
        "Close: that is the answer rounded to 1 significant digit, which is not precise "
        "enough here; give 2 significant digits."
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
        ("0.24", 0.2351, "close"),  # 0.2351 rounded, but 2.1 % off: more digits
        ("0.235", 0.2351, "correct"),
        ("0.23", 0.2351, "close"),  # 2.2 % off and not the rounded value: imprecise
        ("0.2", 0.2351, "close"),
        ("0.3", 0.2351, "wrong"),
        ("0.24", 0.2349, "close"),  # 0.2349 rounds to 0.23
        ("0.30", 0.2951, "close"),  # trailing zero typed: 2 digits, 1.7 % off
        ("1200", 1234.5, "close"),
        ("1230", 1234.5, "correct"),
        ("1.0", 0.951, "close"),  # the allowance comes from 0.951 (it rounds to 0.95)
        ("0.10", 0.0951, "close"),
        ("0.95", 0.951, "correct"),
        ("1.0", 0.996, "correct"),  # 0.996 rounded to 2 digits carries into 1.0
    ],
)
def test_rounded_to_typed_digits(text: str, expected: float, outcome: str) -> None:
    assert verdict(text, expected).outcome == outcome


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.8", 1.164),  # 1.164 to 1 digit is 1, not 0.8 (seen in lesson --plain)
        ("0.6", 0.2351 * 2),  # 0.4702 to 1 digit is 0.5
        ("1.3", 1.164),  # 1.164 to 2 digits is 1.2
        ("3", 2.49),  # 2.49 to 1 digit is 2
    ],
)
def test_a_rounding_is_the_nearest_value_with_the_digits_typed(text: str, expected: float) -> None:
    assert "rounded" not in verdict(text, expected).message


def test_the_rounding_allowance_is_sized_from_the_expected_value() -> None:
    rounded = verdict("1.2e3", 1234.5)
    assert "rounded to 2 significant digits" in rounded.message
    assert rounded.message.endswith("give 3 significant digits.")
    off = verdict("1.0", 0.951)
    assert off.message.startswith("Close, but not precise enough: 1 is off by 5.2 %")


def test_an_expression_is_judged_by_its_value() -> None:
    assert verdict("0.24", 0.2351).message.startswith("Close: that is the answer rounded")
    assert verdict("0.48/2", 0.2351).message.startswith("Close, but not precise enough")


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


def test_array_entries_rounded_to_the_digits_typed() -> None:
    expected = np.array([[0.2351, DL_DZ2]])
    assert verdict("[[0.235, -0.0889]]", expected).outcome == "correct"
    rounded = verdict("[[0.24, -0.089]]", expected)  # each entry rounded, 2 % off overall
    assert rounded.outcome == "close"
    assert rounded.message.endswith("give 3 significant digits in each entry.")
    assert verdict("[[0.48/2, -0.089]]", expected).message.startswith("Close, but not precise")


def test_arrays_are_judged_by_the_norm_relative_error() -> None:
    """An entry near 0 may be far off relatively; the error of the whole answer decides."""
    expected = np.array([[0.5, 1e-4], [-0.25, 0.3]])
    assert verdict("[[0.5, 1.3e-4], [-0.25, 0.3]]", expected).outcome == "correct"
    norm = math.sqrt(0.25 + 1e-8 + 0.0625 + 0.09)
    within = 0.5 + 0.009 * norm  # 0.9 % of the norm, all in one entry
    assert verdict(f"[[{within}, 1e-4], [-0.25, 0.3]]", expected).outcome == "correct"
    beyond = 0.5 + 0.011 * norm
    assert verdict(f"[[{beyond}, 1e-4], [-0.25, 0.3]]", expected).outcome == "close"


def test_array_close_names_the_entries_that_are_off() -> None:
    result = verdict("[[0.1, -0.2], [0.3, 0.41]]", MATRIX)  # ‖error‖ / ‖MATRIX‖ = 0.01 / √0.3
    assert result.outcome == "close"
    assert result.message == (
        "Close, but not precise enough: off by 1.8 % overall, most in 1 of 4 entries "
        "(row 2, column 2); keep more digits in your working."
    )


def test_array_wrong_names_the_entries_that_are_off() -> None:
    result = verdict("[[0.1, -0.2], [0.35, 0.5]]", MATRIX)
    assert result.outcome == "wrong"
    assert result.message == (
        "Not quite: off in 2 of 4 entries (row 2, column 1; row 2, column 2)."
    )


def test_vector_position() -> None:
    result = verdict("[1, 2, 4]", np.array([1.0, 2.0, 3.0]))
    assert result.message == "Not quite: off in 1 of 3 entries (entry 3)."


def test_transposed_array_shape() -> None:
    result = verdict("[[1, 2, 3], [4, 5, 6]]", np.ones((3, 2)))
    assert result.outcome == "wrong"
    assert result.message == (
        "Not quite: your array is (2, 3) but the answer is (3, 2): it looks transposed."
    )


def test_other_shape_mismatch() -> None:
    result = verdict("[1, 2, 3]", MATRIX)
    assert result.outcome == "wrong"
    assert result.message == "Not quite: the answer has shape (2, 2), yours (3)."


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
    assert result.message == "Not quite: (3) is not the shape."


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


def test_close_never_swallows_a_known_mistake() -> None:
    early = Mistake("rounded too early", "keep all digits until the end.", 1.05)
    result = verdict("1.05", 1.0, mistakes=[early])
    assert result.outcome == "wrong"
    assert result.mistake is early
    nearer_the_mistake = verdict("1.04", 1.0, mistakes=[early])
    assert nearer_the_mistake.outcome == "wrong" and nearer_the_mistake.mistake is None


def test_mistake_coinciding_with_the_answer_is_never_reported() -> None:
    same = Mistake("same as right", "never shown.", 1.0 + 1e-12)
    marking = Marking.of(1.0, mistakes=[same])
    assert marking.mistakes == () and marking.narrowed == 0.01
    assert verdict("1", 1.0, mistakes=[same]) == Verdict("correct", "Correct: 1.")


def test_a_nearby_mistake_narrows_the_tolerance() -> None:
    """The walkthrough's w2 after one step: 0.8 → 0.8055; the old weight is never accepted."""
    old = Mistake("weight unchanged", "that is the old weight.", 0.8)
    marking = Marking.of(0.8055, mistakes=[old])
    assert marking.narrowed == pytest.approx((0.0055 / 0.8055) / 3)
    assert marking.digits == 3
    assert marking.note is not None and "at least 3 significant digits" in marking.note
    unchanged = marking.grade(parse_answer("0.8"))
    assert unchanged.outcome == "wrong" and unchanged.mistake is old
    assert marking.grade(parse_answer("0.81")).message.endswith("give 3 significant digits.")
    assert marking.grade(parse_answer("0.806")).outcome == "correct"


def test_a_mistake_typed_to_two_digits_is_named_and_never_correct() -> None:
    """σ'(0.48) = 0.2361; with z for a it is 0.48 × 0.52 = 0.2496."""
    z_for_a = Mistake("z for a", "z was used where a belongs.", 0.48 * 0.52)
    expected = sig(0.48) * (1 - sig(0.48))
    assert verdict("0.25", expected, mistakes=[z_for_a]).mistake is z_for_a
    coincidence = verdict("0.5*(1-0.5)", expected, mistakes=[z_for_a])  # 0.16 % from it
    assert coincidence.outcome == "wrong" and coincidence.mistake is None
    one_digit = verdict("0.2", expected, mistakes=[z_for_a])  # the answer rounded: no diagnosis
    assert one_digit.outcome == "close" and one_digit.mistake is None


def test_an_answer_that_is_also_a_mistake_rounded_needs_more_digits() -> None:
    near = Mistake("near", "close to the answer.", 1.02)
    result = verdict("1.0", 1.004, mistakes=[near])  # both round to 1.0
    assert result.outcome == "close" and result.mistake is None
    assert verdict("1.00", 1.004, mistakes=[near]).outcome == "correct"


def test_a_mistake_too_close_to_tell_apart_makes_the_question_inseparable() -> None:
    assert not Marking.of(1.0, mistakes=[Mistake("tiny", "", 1.0002)]).separable
    assert Marking.of(1.0, mistakes=[Mistake("far", "", 1.5)]).separable
    # relu'(1.04) = 1, and relu(1.04) typed to 2 digits is "1.0": the answer itself
    assert not Marking.of(1.0, mistakes=[Mistake("relu(z) for relu'(z)", "", 1.04)]).separable


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


def test_a_tighter_tolerance_means_what_it_says() -> None:
    """ "0.24" is 2 % from 0.2351."""
    assert grade(parse_answer("0.24"), 0.2351, tolerance=0.05).outcome == "correct"
    assert grade(parse_answer("0.24"), 0.2351, tolerance=0.001).outcome != "correct"
    assert grade(parse_answer("0.2351"), 0.2351, tolerance=0.001).outcome == "correct"


def relative_error(value: object, expected: object) -> float:
    """‖a − b‖ / ‖b‖ as NumPy's norm computes it, both scaled by the largest entry (the
    judge's definition, written the plain way)."""
    a = np.asarray(value, dtype=np.float64)
    b = np.asarray(expected, dtype=np.float64)
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))), ABS_FLOOR)
    with np.errstate(invalid="ignore", over="ignore"):  # inf / inf; a tiny b's ratio
        a, b = a.ravel() / scale, b.ravel() / scale
        return float(np.linalg.norm(a - b) / max(float(np.linalg.norm(b)), ABS_FLOOR / scale))


numbers = st.floats(allow_nan=True, allow_infinity=True) | st.floats(-1e-10, 1e-10)


@given(numbers, numbers)
def test_the_distance_of_two_numbers_is_the_relative_error_to_the_last_bit(x, y):
    got, want = distance(x, y), relative_error(x, y)
    assert got == want or (math.isnan(got) and math.isnan(want)), (x, y, got, want)


@given(
    st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(-1e6, 1e6), min_size=n, max_size=n),
            st.lists(st.floats(-1e6, 1e6), min_size=n, max_size=n),
        )
    )
)
def test_the_distance_of_two_arrays_is_the_relative_error_to_the_last_bit(pair):
    a, b = (np.array(values) for values in pair)
    assert distance(a, b) == relative_error(a, b)
    assert distance(a.reshape(1, -1), b.reshape(1, -1)) == relative_error(a, b)
