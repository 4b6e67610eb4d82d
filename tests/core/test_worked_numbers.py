"""Worked solutions show their numbers: the forward values, p for a softmax loss, and the
factors of every product of arrays (issue 24, item 6)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tutor.lesson.model import QuizBlock
from tutor.lesson.parser import parse_lesson_file
from tutor.lesson.questions import draw_question
from tutor.present.solution import solution_lines
from tutor.text.numbers import format_array, format_number

ROOT = Path(__file__).resolve().parents[2]


def scores_question(answer: str) -> tuple[str, object]:
    lesson = parse_lesson_file(ROOT / "lessons" / "classification.md").lesson
    assert lesson is not None
    block = next(
        b
        for step in lesson.steps
        for b in step.blocks
        if isinstance(b, QuizBlock) and b.answer.text == answer
    )
    question = draw_question(block, lesson.networks, seed=7)
    text = "\n".join(line.text for line in solution_lines(question.solution()))
    return text, question.spec


def test_the_bias_gradient_solution_shows_p_and_the_factors_it_multiplies() -> None:
    text, spec = scores_question("grad b1 of scores")
    layer = spec.layers[0]
    z = layer.W @ spec.input + layer.b  # by hand
    p = np.exp(z) / np.exp(z).sum()
    assert f"z1 = W1·x + b1 = {format_array(z)}" in text
    assert f"p = softmax(a1) = {format_array(p)}" in text
    assert f"dL/dz1 = {format_array(p - spec.target)}" in text  # the factor, with numbers
    assert "dz1/db1 = 1" in text
    assert text.count(format_array(p - spec.target)) >= 3  # dL/da1, dL/dz1, dL/db1


def test_a_value_question_shows_the_forward_pass_up_to_it() -> None:
    text, spec = scores_question("value z1[2,1] of scores")
    layer = spec.layers[0]
    z = layer.W @ spec.input + layer.b
    assert f"z1 = W1·x + b1 = {format_array(z)}" in text
    assert "a1 = " not in text and "L = " not in text  # no further than asked
    assert f"Answer: {format_number(float(z[1, 0]), 6)}" in text
