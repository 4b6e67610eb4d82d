"""Mistake diagnosis: each known mistake is recognised on its value and never on the right answer.

The mistaken values themselves are checked against hand derivations of the
mistaken working for the families where the mistake is easy to state.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.helpers import sig
from tutor.answers.grade import grade
from tutor.answers.parse import parse_answer
from tutor.quiz.families import FAMILIES, get_family
from tutor.quiz.question import Question, answer_text
from tutor.text.numbers import format_value

SEEDS = range(5)


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
    if "z(1 − z) for a(1 − a)" in found:  # dropped when it lies too close to the answer
        assert found["z(1 − z) for a(1 − a)"] == pytest.approx(z * (1 - z))
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
    assert found["σ'(z2) left out"] == pytest.approx(two * (y - a["t"]) * a1)
    assert found["σ(z2) for σ'(z2)"] == pytest.approx(two * (y - a["t"]) * y * a1)
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


def softmax_by_hand(z: list[float]) -> list[float]:
    total = sum(math.exp(v) for v in z)
    return [math.exp(v) / total for v in z]


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_ce_mistakes_are_the_mistaken_working(seed: int) -> None:
    q = generate("softmax-ce-gradient", seed)
    z, right = list(q.about["z"]), int(q.about["class"]) - 1
    p = softmax_by_hand(z)
    t = [1.0 if k == right else 0.0 for k in range(3)]
    assert list(q.expected) == pytest.approx([pk - tk for pk, tk in zip(p, t, strict=True)])
    found = mistakes_by_name(q)
    assert list(found["t − p"]) == pytest.approx([tk - pk for pk, tk in zip(p, t, strict=True)])
    assert list(found["p alone"]) == pytest.approx(p)
    assert list(found["softmax forgotten"]) == pytest.approx(
        [a - b for a, b in zip(z, t, strict=True)]
    )
    if "one-hot for p" in found:  # dropped when the network already picks the right class
        guess = max(range(3), key=lambda k: z[k])
        assert list(found["one-hot for p"]) == pytest.approx(
            [(k == guess) - tk for k, tk in enumerate(t)]
        )
    only = [p[k] - 1 if k == right else 0.0 for k in range(3)]
    assert list(found["only the right class"]) == pytest.approx(only)


def test_a_one_hot_guess_of_the_wrong_class_is_diagnosed() -> None:
    found = [
        generate("softmax-ce-gradient", seed)
        for seed in range(20)
        if "one-hot for p" in mistakes_by_name(generate("softmax-ce-gradient", seed))
    ]
    assert found
    q = found[0]
    verdict = judge(q, format_value(mistakes_by_name(q)["one-hot for p"], 12))
    assert verdict.outcome == "wrong" and "one-hot" in verdict.message


@pytest.mark.parametrize("seed", SEEDS)
def test_sum_of_paths_mistakes(seed: int) -> None:
    q = generate("sum-of-paths", seed)
    a = q.about
    a1 = sig(a["w1"] * a["x"])
    paths = []
    for v, t in ((a["v1"], a["t1"]), (a["v2"], a["t2"])):
        y = sig(v * a1)
        paths.append((y - t) * y * (1 - y) * v)
    assert q.expected == pytest.approx(paths[0] + paths[1])
    names = [(m.name, m.value) for m in q.mistakes]
    one_path = [value for name, value in names if name.startswith("one path only (through ")]
    assert all(any(v == pytest.approx(p) for p in paths) for v in one_path) and one_path
    product = dict(names).get("product instead of sum")
    if product is not None:
        assert product == pytest.approx(paths[0] * paths[1])


@pytest.mark.parametrize("seed", SEEDS)
def test_symmetry_rows_are_equal_and_the_mistakes_split_or_drop_them(seed: int) -> None:
    q = generate("symmetry", seed)
    x, row, v, t = np.ravel(q.about["x"]), q.about["W1 row"], q.about["v"], q.about["t"]
    a = sig(float(row[0] * x[0] + row[1] * x[1]))
    y = sig(2 * v * a)  # both units give the output the same input
    dz1 = (y - t) * y * (1 - y) * v * a * (1 - a)
    expected_row = [dz1 * x[0], dz1 * x[1]]
    assert q.expected.tolist() == [pytest.approx(expected_row)] * 2
    found = mistakes_by_name(q)
    assert found["blame split"].tolist() == [pytest.approx([r / 2 for r in expected_row])] * 2
    assert found["one unit only"].tolist() == [pytest.approx(expected_row), [0.0, 0.0]]


@pytest.mark.parametrize("family", [f.id for f in FAMILIES])
def test_no_two_mistakes_of_a_question_share_a_name(family: str) -> None:
    for seed in range(30):
        names = [m.name for m in generate(family, seed).mistakes]
        assert len(names) == len(set(names)), (seed, names)
