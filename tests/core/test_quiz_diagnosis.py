"""Mistake diagnosis: each known mistake is recognised on its value and never on the right answer.

The mistaken values themselves are checked against hand derivations of the
mistaken working for the families where the mistake is easy to state.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.answers.grade import grade
from tutor.answers.parse import parse_answer
from tutor.quiz.families import FAMILIES, get_family
from tutor.quiz.question import Question, answer_text
from tutor.text.numbers import format_value

SEEDS = range(5)


def sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def generate(family_id: str, seed: int) -> Question:
    return get_family(family_id).generate(np.random.default_rng(seed))


def judge(q: Question, text: str):
    return grade(parse_answer(text, q.kind), q.expected, tolerance=q.tolerance, mistakes=q.mistakes)


def mistakes_by_name(q: Question) -> dict[str, object]:
    return {m.name: m.value for m in q.mistakes}


@pytest.mark.parametrize("family", [f.id for f in FAMILIES])
def test_each_mistake_fires_on_its_value_and_not_on_the_answer(family: str) -> None:
    for seed in SEEDS:
        q = generate(family, seed)
        right = judge(q, answer_text(q))
        assert right.outcome == "correct" and right.mistake is None
        for mistake in q.mistakes:
            verdict = judge(q, format_value(mistake.value, 12))
            assert verdict.outcome != "correct", (family, seed, mistake.name)
            assert verdict.mistake is mistake, (family, seed, mistake.name, verdict)
            assert mistake.name in verdict.message


def test_every_family_knows_some_mistakes() -> None:
    for f in FAMILIES:
        assert any(generate(f.id, seed).mistakes for seed in SEEDS), f.id


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_mistakes_are_the_mistaken_working(seed: int) -> None:
    q = generate("sigmoid-derivative", seed)
    z = q.about["z"]
    found = mistakes_by_name(q)
    assert found["σ(z) for σ'(z)"] == pytest.approx(sig(z))
    if "z for a" in found:  # dropped when it lies too close to the answer
        assert found["z for a"] == pytest.approx(z * (1 - z))
    assert found["sign flipped"] == pytest.approx(-q.expected)


@pytest.mark.parametrize("seed", SEEDS)
def test_chain_link_upstream_forgotten(seed: int) -> None:
    q = generate("chain-link", seed)
    z, upstream = q.about["z"], q.about["dL/da"]
    symbol = "σ" if "σ(z)" in q.text else "tanh"
    local = sig(z) * (1 - sig(z)) if symbol == "σ" else 1 - math.tanh(z) ** 2
    found = mistakes_by_name(q)
    assert found["upstream gradient forgotten"] == pytest.approx(local)
    assert found[f"{symbol}'(z) left out"] == pytest.approx(upstream)
    assert f"{symbol}(z) for {symbol}'(z)" in found


@pytest.mark.parametrize("seed", SEEDS)
def test_walkthrough_dw2_mistakes(seed: int) -> None:
    q = generate("walkthrough-dw2", seed)
    a = q.about
    a1 = sig(a["w1"] * a["x"])
    y = sig(a["w2"] * a1)
    found = mistakes_by_name(q)
    two = 1.0 if "L = ½(y − t)²" in q.text else 2.0
    assert found["σ'(z) left out"] == pytest.approx(two * (y - a["t"]) * a1)
    assert found["σ(z) for σ'(z)"] == pytest.approx(two * (y - a["t"]) * y * a1)
    if two == 1.0:
        assert found["factor 2 doubled"] == pytest.approx(2 * q.expected)
    else:
        assert found["factor 2 dropped"] == pytest.approx(q.expected / 2)


def test_both_factor_two_mistakes_occur() -> None:
    names = {m.name for seed in range(12) for m in generate("walkthrough-dw1", seed).mistakes}
    assert {"factor 2 doubled", "factor 2 dropped"} <= names


@pytest.mark.parametrize("seed", SEEDS)
def test_update_added_instead_of_subtracted(seed: int) -> None:
    q = generate("gradient-step", seed)
    found = mistakes_by_name(q)
    name = "w1" if "**w1** after" in q.text else "w2"
    step = q.about[name] - q.expected  # lr × gradient
    assert found["update added"] == pytest.approx(q.about[name] + step)


@pytest.mark.parametrize("seed", SEEDS)
def test_bce_squared_error_gradient_and_dl_dy(seed: int) -> None:
    q = generate("bce-output", seed)
    a = q.about
    y = sig(a["w"] * a["x"] + a["b"])
    found = mistakes_by_name(q)
    assert found["σ' not cancelled"] == pytest.approx((y - a["t"]) * y * (1 - y))
    assert found["stopped at dL/dy"] == pytest.approx((y - a["t"]) / (y * (1 - y)))


@pytest.mark.parametrize("seed", SEEDS)
def test_matrix_gradient_one_over_m_and_transpose(seed: int) -> None:
    q = generate("matrix-gradient", seed)
    found = mistakes_by_name(q)
    m = np.asarray(q.about["x"]).shape[1]
    np.testing.assert_allclose(found["1/m forgotten"], m * q.expected)
    np.testing.assert_allclose(found["factor 2 doubled"], 2 * q.expected)
    if "transposed" in found:
        np.testing.assert_allclose(found["transposed"], q.expected.T)


@pytest.mark.parametrize("seed", SEEDS)
def test_shape_mistakes(seed: int) -> None:
    q = generate("gradient-shape", seed)
    found = mistakes_by_name(q)
    if q.expected[0] != q.expected[1]:
        assert found["transposed"] == q.expected[::-1]
    assert found["activation shape"] == (q.expected[0], q.about["m"][0])


@pytest.mark.parametrize("seed", SEEDS)
def test_vanishing_mistakes(seed: int) -> None:
    q = generate("vanishing-bound", seed)
    k = int(q.about["k"])
    found = mistakes_by_name(q)
    assert found["σ(z) for σ'(z)"] == pytest.approx(0.5**k)
    assert found["one layer only"] == pytest.approx(0.25)


def test_three_layer_reversed_order() -> None:
    q = generate("three-layer", 1)
    np.testing.assert_allclose(mistakes_by_name(q)["wrong order"], q.expected[::-1])
    verdict = judge(q, format_value(q.expected[::-1].copy(), 12))
    assert "order" in verdict.message
