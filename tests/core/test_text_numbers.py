"""Tests for tutor.text.numbers, the app's one number formatter."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.text.numbers import (
    format_array,
    format_distinct,
    format_number,
    format_shape,
    format_value,
)

MINUS = "\u2212"


@pytest.mark.parametrize(
    ("x", "sig", "text"),
    [
        (0.23512, 4, "0.2351"),
        (-0.37802, 4, "−0.378"),  # "−0.3780" with the trailing zero stripped
        (-0.37802, 3, "−0.378"),
        (-0.0888797, 4, "−0.08888"),
        (-0.0888797, 3, "−0.0889"),
        (0.071449, 3, "0.0714"),
        (1.0, 4, "1"),
        (100.0, 4, "100"),
        (-3.0, 4, "−3"),
        (2.5, 4, "2.5"),
        (0.99996, 4, "1"),  # rounds up to 1.000, stripped
        (123456.0, 4, "123500"),
        (0.0001, 4, "0.0001"),
        (999999.0, 6, "999999"),
    ],
)
def test_fixed_notation(x: float, sig: int, text: str) -> None:
    assert format_number(x, sig) == text


def test_uses_the_real_minus_sign() -> None:
    text = format_number(-0.5)
    assert text == MINUS + "0.5"
    assert "-" not in text


def test_ascii_minus() -> None:
    assert format_number(-0.0888797, ascii=True) == "-0.08888"
    assert format_number(-1.23e-8, ascii=True) == "-1.23e-08"


@pytest.mark.parametrize("zero", [0.0, -0.0, 0])
def test_zero_is_plain(zero: float) -> None:
    assert format_number(zero) == "0"
    assert format_number(zero, ascii=True) == "0"


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (1.23e-8, "1.23e−08"),
        (-1.23e-8, "−1.23e−08"),
        (9.9e-5, "9.9e−05"),
        (1e6, "1e+06"),
        (-2.5e7, "−2.5e+07"),
        (999999.7, "1e+06"),  # rounds up into scientific range
        (6.02214076e23, "6.022e+23"),
    ],
)
def test_scientific_for_tiny_and_huge(x: float, text: str) -> None:
    assert format_number(x) == text


def test_scientific_ascii_exponent() -> None:
    assert format_number(1.23e-8, ascii=True) == "1.23e-08"


def test_non_finite() -> None:
    assert format_number(math.nan) == "nan"
    assert format_number(math.inf) == "∞"
    assert format_number(-math.inf) == "−∞"
    assert format_number(math.inf, ascii=True) == "inf"
    assert format_number(-math.inf, ascii=True) == "-inf"


def test_numpy_scalars() -> None:
    assert format_number(np.float64(-0.23512)) == "−0.2351"
    assert format_number(np.float32(0.5)) == "0.5"


def test_distinct_keeps_sig_when_already_distinct() -> None:
    assert format_distinct([0.071449, 0.071115], 3) == ["0.0714", "0.0711"]
    # 0.071115 is stored as 0.0711149999..., so it rounds down
    assert format_distinct([0.071449, 0.071115]) == ["0.07145", "0.07111"]


def test_distinct_adds_figures_until_values_differ() -> None:
    assert format_number(0.62246, 3) == format_number(0.62198, 3) == "0.622"
    assert format_distinct([0.62246, 0.62198], 3) == ["0.6225", "0.622"]


def test_distinct_goes_as_far_as_needed() -> None:
    assert format_distinct([1.000001, 1.000002]) == ["1.000001", "1.000002"]


def test_distinct_equal_values_stay_at_sig() -> None:
    assert format_distinct([0.5, 0.5, 0.25], 2) == ["0.5", "0.5", "0.25"]
    assert format_distinct([math.nan, math.nan]) == ["nan", "nan"]


def test_distinct_caps_at_twelve_figures() -> None:
    a, b = 0.1, 0.1 + 1e-15
    assert format_distinct([a, b]) == ["0.1", "0.1"]


def test_distinct_ascii() -> None:
    assert format_distinct([-0.62246, -0.62198], 3, ascii=True) == ["-0.6225", "-0.622"]


def test_array_matrix() -> None:
    matrix = np.array([[0.1, -0.2], [0.3, 0.4]])
    assert format_array(matrix) == "[[0.1, −0.2], [0.3, 0.4]]"
    assert format_array(matrix, ascii=True) == "[[0.1, -0.2], [0.3, 0.4]]"


def test_array_vector_and_sig() -> None:
    assert format_array(np.array([0.23512, -0.0888797]), 3) == "[0.235, −0.0889]"
    assert format_array([1.0, 2.0]) == "[1, 2]"


def test_array_column() -> None:
    assert format_array(np.array([[1.5], [-2.0]])) == "[[1.5], [−2]]"


@pytest.mark.parametrize("value", [np.array([[0.62246]]), np.array([0.62246]), np.float64(0.62246)])
def test_size_one_array_is_a_bare_number(value: np.ndarray) -> None:
    assert format_array(value) == "0.6225"


@pytest.mark.parametrize(
    ("shape", "text"), [((4, 2), "(4, 2)"), ((3,), "(3)"), ((), "()"), ((2, 3, 4), "(2, 3, 4)")]
)
def test_shape(shape: tuple[int, ...], text: str) -> None:
    assert format_shape(shape) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (-0.0888797, "−0.08888"),
        (-3, "−3"),
        (1000, "1000"),
        (np.int64(7), "7"),
        (np.array([[1.0, -2.0]]), "[[1, −2]]"),
        ((4, 2), "(4, 2)"),
    ],
)
def test_value_dispatch(value: object, text: str) -> None:
    assert format_value(value) == text


def test_value_passes_sig_and_ascii() -> None:
    assert format_value(-0.0888797, 2, ascii=True) == "-0.089"
    assert format_value(np.array([-0.0888797, 1.0]), 2, ascii=True) == "[-0.089, 1]"


def test_a_matrix_too_wide_is_a_row_per_line_with_aligned_columns():
    from tutor.text.numbers import array_lines

    matrix = np.array([[0.05027, -0.03785, 1.0], [-0.0359, 0.02703, -10.5]])
    assert array_lines(matrix, 200) == [format_array(matrix)]  # fits: one line, as before
    lines = array_lines(matrix, 34)
    assert lines == [
        "[[ 0.05027, −0.03785,        1],",
        " [ −0.0359,  0.02703,    −10.5]]",
    ]
    narrow = array_lines(matrix, 24)
    assert all(len(line) <= 24 for line in narrow)
    assert narrow[0].startswith("[[") and narrow[1].startswith("  ")  # continues under an entry
    commas = {line.index(",") for line in narrow if line.count(",") and not line.endswith("],")}
    assert len(commas) == 1  # the columns line up
    flat = "".join(narrow).replace(" ", "")
    assert flat == format_array(matrix).replace(" ", "")  # the same numbers, in order
