"""Tests for tutor.answers.parse, the app's one answer parser."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import sig
from tutor.answers import parse as answers
from tutor.answers.parse import ACCEPTED_FORMS, AnswerError, parse_answer


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.5", 0.5),
        (".5", 0.5),
        ("-3", -3.0),
        ("+2", 2.0),
        ("  0.25  ", 0.25),
        ("\u22120.5", -0.5),
        ("-8.89e-2", -8.89e-2),
        ("1E3", 1000.0),
        ("2.5e+2", 250.0),
        ("-1/4", -1 / 4),
        ("6÷4", 6 / 4),
        ("2×3", 6.0),
        ("2·3", 6.0),
        ("2*3", 6.0),
        ("2^3", 8.0),
        ("2**3", 8.0),
        ("2^3^2", 2 ** (3**2)),
        ("-2^2", -(2**2)),
        ("2^-1", 0.5),
        ("1-2-3", (1 - 2) - 3),
        ("8/4/2", (8 / 4) / 2),
        ("1+2*3", 1 + 2 * 3),
        ("(1+2)*3", (1 + 2) * 3),
        ("--1", 1.0),
        ("-0.378*0.235", -0.378 * 0.235),
        ("\u22120.378×0.235", -0.378 * 0.235),
        ("0.622*(1-0.622)", 0.622 * (1 - 0.622)),
        ("(0.6225-1)*0.2351", (0.6225 - 1) * 0.2351),
        ("exp(1)", math.exp(1)),
        ("exp(-0.5)", math.exp(-0.5)),
        ("log(2)", math.log(2)),
        ("ln(2)", math.log(2)),
        ("sqrt(2)", math.sqrt(2)),
        ("sigmoid(0.5)", sig(0.5)),
        ("σ(0.5)", sig(0.5)),
        ("sigmoid(-1000)", 0.0),
        ("tanh(1)", math.tanh(1)),
        ("relu(-1)", 0.0),
        ("relu(2.5)", 2.5),
        ("abs(-2)", 2.0),
        ("e", math.e),
        ("pi", math.pi),
        ("π", math.pi),
        ("2*pi", 2 * math.pi),
        ("EXP(1)", math.exp(1)),
        ("sigmoid(0.5)*(1-sigmoid(0.5))", sig(0.5) * (1 - sig(0.5))),
    ],
)
def test_numbers_and_expressions(text: str, value: float) -> None:
    answer = parse_answer(text)
    assert answer.kind == "number"
    assert isinstance(answer.value, float)
    assert answer.value == pytest.approx(value, rel=1e-15, abs=1e-300)
    assert answer.text == text


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("-0.0889", 3),
        ("0.30", 2),
        ("0.3", 1),
        ("\u22120.08888", 4),
        ("-8.89e-2", 3),
        ("1E3", 1),
        ("100", 1),
        ("100.", 3),
        ("0.2351", 4),
        (".5", 1),
        ("0", 1),
        ("+0.24", 2),
        ("(-0.0889)", 3),  # brackets around a literal keep it a literal
    ],
)
def test_sig_digits_of_plain_literals(text: str, digits: int) -> None:
    assert parse_answer(text).sig_digits == digits


@pytest.mark.parametrize("text", ["-0.378*0.235", "1/4", "pi", "--1", "-(-1)", "exp(1)"])
def test_expressions_have_no_sig_digits(text: str) -> None:
    assert parse_answer(text).sig_digits is None


def test_vector() -> None:
    answer = parse_answer("[0.1, -0.2]")
    assert answer.kind == "array"
    assert answer.value.dtype == np.float64
    np.testing.assert_array_equal(answer.value, np.array([0.1, -0.2]))
    assert answer.entry_sig_digits == (1, 1)
    assert answer.sig_digits is None


def test_matrix() -> None:
    answer = parse_answer("[[1, 2], [3, 4]]")
    np.testing.assert_array_equal(answer.value, np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert answer.value.shape == (2, 2)


def test_matrix_entries_may_be_expressions() -> None:
    answer = parse_answer("[[0.5*2, 1/4], [−0.25, sqrt(4)]]")
    np.testing.assert_array_equal(answer.value, np.array([[1.0, 0.25], [-0.25, 2.0]]))
    assert answer.entry_sig_digits == (None, None, 2, None)


def test_column_vector() -> None:
    answer = parse_answer("[[0.1], [0.25]]")
    assert answer.value.shape == (2, 1)
    assert answer.entry_sig_digits == (1, 2)


def test_array_value_is_read_only() -> None:
    answer = parse_answer("[1, 2]")
    with pytest.raises(ValueError):
        answer.value[0] = 5


def test_size_one_array_as_number() -> None:
    answer = parse_answer("[[-0.0889]]", "number")
    assert answer.kind == "number"
    assert answer.value == -0.0889
    assert answer.sig_digits == 3


def test_number_allowed_for_array_kind() -> None:
    answer = parse_answer("0.5", "array")
    assert answer.kind == "number"
    assert answer.value == 0.5


def test_number_kind_refuses_a_longer_array() -> None:
    with pytest.raises(AnswerError, match="wants one number"):
        parse_answer("[1, 2]", "number")


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("(4, 2)", (4, 2)),
        ("(4,2)", (4, 2)),
        ("4x2", (4, 2)),
        ("4 x 2", (4, 2)),
        ("4X2", (4, 2)),
        ("4×2", (4, 2)),
        ("4 by 2", (4, 2)),
        ("[4, 2]", (4, 2)),
        ("(3,)", (3,)),
        ("3", (3,)),
        ("(2, 3, 4)", (2, 3, 4)),
    ],
)
def test_shapes(text: str, shape: tuple[int, ...]) -> None:
    answer = parse_answer(text, "shape")
    assert answer.kind == "shape"
    assert answer.value == shape
    assert answer.sig_digits is None


@pytest.mark.parametrize("text", ["(4, 2", "4, 2)", "4x", "()", "(4.5, 2)", "(a, b)", "(-1, 2)"])
def test_bad_shapes(text: str) -> None:
    with pytest.raises(AnswerError, match=r"^couldn't read that: "):
        parse_answer(text, "shape")


def test_a_shape_is_not_a_number() -> None:
    with pytest.raises(AnswerError, match="comma outside square brackets"):
        parse_answer("(4, 2)")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty answer"),
        ("   \t\n", "empty answer"),
        ("abc", "unknown name 'abc'"),
        ("os", "unknown name 'os'"),
        ("__import__('os')", "unknown name '__import__'"),
        ("x", "unknown name 'x'"),
        ("(1+2", "unbalanced brackets: missing ')'"),
        ("1+2)", "unbalanced brackets: unexpected ')'"),
        ("[1, 2", "unbalanced brackets: missing ']'"),
        ("[1, 2)", "unbalanced brackets: ')' closes a '['"),
        ("(1]", "unbalanced brackets: ']' closes a '('"),
        ("1 +", "something is missing after '+'"),
        ("-", "something is missing after '-'"),
        ("2..3", "'2..3' is not a number"),
        ("1.2.3", "'1.2.3' is not a number"),
        ("2 3", "missing an operator (such as * or +) before '3'"),
        ("2(3)", "missing an operator (such as * or +) before '('"),
        ("2pi", "missing an operator (such as * or +) before 'pi'"),
        ("*3", "unexpected '*'"),
        ("()", "something is missing before ')'"),
        ("[1, 2,]", "something is missing before ']'"),
        ("[]", "empty brackets: a vector needs at least one entry"),
        ("[[1, 2], [3]]", "ragged rows: every row needs the same number of entries"),
        ("[1, [2, 3]]", "ragged rows: every row needs the same number of entries"),
        ("[1, 2]*2", "arithmetic works on single numbers: do the working inside each entry"),
        ("exp 1", "exp needs brackets around its input, like exp(1)"),
        ("exp(1, 2)", "exp takes one number, like exp(1)"),
        ("exp(1000)", "the result is too large"),
        ("1e999", "the result is too large"),
        ("10^10^10", "the result is too large"),
        ("1/0", "division by zero"),
        ("0^-1", "division by zero (0 to a negative power)"),
        ("log(0)", "log needs a positive number"),
        ("ln(-1)", "log needs a positive number"),
        ("sqrt(-1)", "sqrt needs a number that is not negative"),
        ("(-8)^(1/3)", "a negative number to a fractional power is not a real number"),
        ("☃", "unexpected character '☃'"),
        ("0.5\x00", "unexpected character U+0000"),
        ("1 ; 2", "unexpected character ';'"),
        ("'1'", 'unexpected character "\'"'),
        ("0,5", "use a decimal point: 0.5"),
        ("1, 2", "a comma outside square brackets: write a vector as [0.1, -0.2]"),
    ],
)
def test_unreadable(text: str, reason: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answer(text)
    assert str(caught.value) == f"couldn't read that: {reason}"
    assert caught.value.reason == reason


def test_error_carries_accepted_forms() -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answer("abc")
    assert caught.value.accepted_forms == ACCEPTED_FORMS
    assert isinstance(caught.value, ValueError)
    for example in ["0.25", "-1.5e-3", "-1/4", "-0.4*0.25", "[0.1, -0.2]", "(4, 2)"]:
        assert example in ACCEPTED_FORMS


def test_every_accepted_forms_example_parses() -> None:
    lines = ACCEPTED_FORMS.splitlines()[1:]
    for line in lines:
        label, examples = line[:18].strip(), line[18:]
        kind = "shape" if label == "a shape" else None
        for example in examples.split("   "):
            if label == "functions":
                for call in example.split():
                    parse_answer(call)
            else:
                parse_answer(example, kind)


def test_a_long_paste_is_refused() -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answer("1" * 10240)
    assert str(caught.value) == (
        "couldn't read that: answer too long (10240 characters, at most 200)"
    )


def test_surrounding_whitespace_does_not_count_towards_the_limit() -> None:
    assert parse_answer(" " * 500 + "0.5" + " " * 500).value == 0.5


def test_nesting_limit() -> None:
    assert parse_answer("(" * 29 + "1" + ")" * 29).value == 1.0
    with pytest.raises(AnswerError, match="nested too deeply"):
        parse_answer("(" * 31 + "1" + ")" * 31)
    with pytest.raises(AnswerError, match="nested too deeply"):
        parse_answer("-" * 40 + "1")


def test_entry_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answers, "MAX_LENGTH", 10_000)
    assert parse_answer("[" + ",".join(["1"] * 1000) + "]").value.size == 1000
    with pytest.raises(AnswerError, match=r"too many entries \(1001, at most 1000\)"):
        parse_answer("[" + ",".join(["1"] * 1001) + "]")


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown answer kind"):
        parse_answer("1", "vector")


@given(st.text())
def test_arbitrary_text_raises_only_answer_error(text: str) -> None:
    try:
        answer = parse_answer(text)
    except AnswerError as error:
        assert str(error).startswith("couldn't read that: ")
    else:
        assert np.all(np.isfinite(answer.value))


_ALPHABET = st.sampled_from([*"0123456789.eE+-−*/^()[],× xπσ", "exp", "log", "**", "pi"])


@given(st.lists(_ALPHABET, max_size=60).map("".join), st.sampled_from([None, "number", "array"]))
def test_arithmetic_looking_text_raises_only_answer_error(text: str, kind: str | None) -> None:
    try:
        answer = parse_answer(text, kind)
    except AnswerError as error:
        assert str(error).startswith("couldn't read that: ")
    else:
        assert np.all(np.isfinite(answer.value))


@given(st.text())
def test_arbitrary_shape_text_raises_only_answer_error(text: str) -> None:
    try:
        answer = parse_answer(text, "shape")
    except AnswerError as error:
        assert str(error).startswith("couldn't read that: ")
    else:
        assert all(isinstance(n, int) for n in answer.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u20130.15", -0.15),  # en dash, as autocorrect types a minus
        ("\u20120.15", -0.15),  # figure dash
        ("\u22120.15", -0.15),  # minus sign
        ("½", 0.5),
        ("-¾", -0.75),
        ("1½", 1.5),
        ("[½, ¼]", [0.5, 0.25]),
        ("0.5²", 0.25),
        ("2³·0.1", 0.8),
        ("10⁻³", 0.001),
        ("σ'(1.83)", sig(1.83) * (1 - sig(1.83))),
        ("sigmoid'(0)", 0.25),
        ("tanh'(1)", 1 - math.tanh(1) ** 2),
        ("tanh′(1)", 1 - math.tanh(1) ** 2),
        ("relu'(2) + relu'(-2)", 1.0),
        ("0.1·σ'(0.5)", 0.1 * sig(0.5) * (1 - sig(0.5))),
    ],
)
def test_typographic_forms(text: str, expected: object) -> None:
    np.testing.assert_allclose(parse_answer(text).value, expected, rtol=1e-12)


@pytest.mark.parametrize(("text", "kind"), [("0,15", None), ("0,15", "number"), ("-1,5", None),
                                            ("0,15", "shape"), ("3,05", "shape")])  # fmt: skip
def test_a_decimal_comma_gets_a_decimal_point(text: str, kind: str | None) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answer(text, kind)
    assert caught.value.reason == f"use a decimal point: {text.replace(',', '.')}"


def test_a_comma_still_separates_a_shape_and_a_vector() -> None:
    assert parse_answer("4,2", "shape").value == (4, 2)
    np.testing.assert_array_equal(parse_answer("[0,15]").value, [0.0, 15.0])
