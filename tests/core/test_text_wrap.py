"""``lesson --plain``'s wrap at 80 columns: whole words, continuations indented, code and
tables as written (:mod:`tutor.text.wrap`)."""

from __future__ import annotations

import pytest

from tutor.text.wrap import wrap_line, wrap_prose

QUESTION = (
    "Question: The one-weight model y = w·x with x = 1, target t = 0.3, loss ½(y − t)² and "
    "starting weight w = 0.94. Take one gradient descent step with learning rate 0.1."
)


@pytest.mark.parametrize("width", [30, 50, 80])
def test_a_long_line_breaks_between_words_and_keeps_every_word(width: int) -> None:
    pieces = wrap_line(QUESTION, width)
    assert len(pieces) > 1 and all(len(piece) <= width for piece in pieces)
    assert " ".join(pieces).split() == QUESTION.split()
    assert all(piece.startswith("  ") and piece[2] != " " for piece in pieces[1:])
    assert any("½(y − t)²" in piece for piece in pieces)  # a formula in brackets stays whole


def test_a_short_line_and_the_spaces_between_words_stay_as_written() -> None:
    assert wrap_line("  a1 = σ(z1)   (3, 4)", 80) == ["  a1 = σ(z1)   (3, 4)"]
    line = "[####] 100%  epoch 5,000 / 5,000 · loss 0.25 · 5,911 epochs/s · done"
    first, *rest = wrap_line(line, 40)
    assert first == "[####] 100%  epoch 5,000 / 5,000 · loss"  # two spaces, as written
    assert " ".join(rest).split() == ["0.25", "·", "5,911", "epochs/s", "·", "done"]


def test_a_verdict_continues_indented_so_no_second_line_starts_with_a_mark() -> None:
    verdict = "✗ This looks like: one-hot for p — the predicted class was taken as a one-hot."
    first, *rest = wrap_line(verdict, 40)
    assert first.startswith("✗ ") and rest and all(p.startswith("  ") for p in rest)


def test_a_command_in_backticks_is_never_broken() -> None:
    line = (
        "Code exercise x: `backprop-tutor exercise start x` gives you its file, "
        "`backprop-tutor exercise check x` checks it."
    )
    pieces = wrap_line(line, 60)
    assert "`backprop-tutor exercise start x`" in pieces[0]
    assert any("`backprop-tutor exercise check x`" in piece for piece in pieces)


def test_a_table_row_continues_under_its_value_column() -> None:
    row = (
        "  functions       exp(1)  ln(2)  sqrt(2)  sigmoid(0.5)  σ(0.5)  tanh(1)  relu(-1)  abs(-2)"
    )
    first, second = wrap_line(row, 80)
    assert first.startswith("  functions       exp(1)") and len(first) <= 80
    assert second == " " * len("  functions       ") + "relu(-1)  abs(-2)"


def test_prose_wraps_its_lines_but_not_its_code_or_tables() -> None:
    code = "    X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]], dtype=float)  # one column per example"
    table = "| a very long table row | " + "cell | " * 12
    item = "- " + "word " * 20
    text = wrap_prose("\n".join([code, table, item.strip(), "short"]), 40)
    lines = text.split("\n")
    assert lines[0] == code and lines[1] == table and lines[-1] == "short"
    listed = lines[2:-1]
    assert listed[0].startswith("- word") and all(p.startswith("  word") for p in listed[1:])
    assert all(len(p) <= 40 for p in listed)
