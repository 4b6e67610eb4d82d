"""Every question family's expected answer against an independent computation.

The hand derivations use math.exp/math.tanh; matrix gradients use central
differences of a forward pass written here with NumPy.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from tests.helpers import sig, solution_text
from tutor.answers.mistakes import Mistake
from tutor.engine import derive
from tutor.quiz.families import FAMILIES, get_family, select, topics
from tutor.quiz.families.base import Family, Inseparable, scalar_network, trace_upto
from tutor.quiz.question import Question, worked_solution
from tutor.text.numbers import format_number

SEEDS = range(6)


def generate(family_id: str, seed: int) -> Question:
    return get_family(family_id).generate(np.random.default_rng(seed))


def chain_gradients(x: float, weights: list[float], t: float, two: float = 1.0) -> list[float]:
    """dL/dw_i of a chain of sigmoid units with L = ½(y − t)² (``two=2``: L = (y − t)²)."""
    activations = [x]
    for w in weights:
        activations.append(sig(w * activations[-1]))
    y = activations[-1]
    grads = [0.0] * len(weights)
    upstream = two * (y - t)  # dL/da_L
    for i in reversed(range(len(weights))):
        a = activations[i + 1]
        dz = upstream * a * (1 - a)
        grads[i] = dz * activations[i]
        upstream = dz * weights[i]
    return grads


def small_network_loss(W1: np.ndarray, W2: np.ndarray, x: np.ndarray, t: np.ndarray) -> float:
    def s(z: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-z))

    y = s(W2 @ s(W1 @ x))
    return float(np.mean(0.5 * np.sum((y - t) ** 2, axis=0)))


def numeric_dW1(about: dict, eps: float = 1e-6) -> np.ndarray:
    W1 = np.array(about["W1"], dtype=float)
    grad = np.zeros_like(W1)
    for index in np.ndindex(W1.shape):
        plus, minus = W1.copy(), W1.copy()
        plus[index] += eps
        minus[index] -= eps
        args = (np.asarray(about["W2"]), np.asarray(about["x"]), np.asarray(about["t"]))
        grad[index] = (small_network_loss(plus, *args) - small_network_loss(minus, *args)) / (
            2 * eps
        )
    return grad


def test_at_least_ten_families_with_topics_and_difficulties() -> None:
    assert len(FAMILIES) >= 10
    assert len({f.id for f in FAMILIES}) == len(FAMILIES)
    for f in FAMILIES:
        assert f.topic in topics()
        assert f.difficulty in (1, 2, 3)
    assert {f.difficulty for f in FAMILIES} == {1, 2, 3}
    assert select(topic="activations") and all(
        f.topic == "activations" for f in select("activations")
    )


@pytest.mark.parametrize("family", [f.id for f in FAMILIES])
def test_every_question_is_complete(family: str) -> None:
    for seed in SEEDS:
        q = generate(family, seed)
        assert q.family == family and q.id.startswith(family)
        assert q.text and q.hints and q.kind in ("number", "array", "shape")
        assert q.trace, "the worked solution shows the engine's records"
        lines = solution_text(worked_solution(q))
        assert any(" = " in line for line in lines) and lines[-1].startswith("Answer: ")
        assert all(m.description for m in q.mistakes)


@pytest.mark.parametrize("family", [f.id for f in FAMILIES])
def test_same_seed_same_question(family: str) -> None:
    assert generate(family, 7).text == generate(family, 7).text
    texts = {generate(family, seed).text for seed in SEEDS}
    assert len(texts) > 1


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_tanh_relu_derivatives(seed: int) -> None:
    q = generate("sigmoid-derivative", seed)
    z = q.about["z"]
    assert q.expected == pytest.approx(sig(z) * (1 - sig(z)), rel=1e-12)
    q = generate("tanh-derivative", seed)
    z = q.about["z"]
    assert q.expected == pytest.approx(1 - math.tanh(z) ** 2, rel=1e-12)
    q = generate("relu-derivative", seed)
    assert q.expected == (1.0 if q.about["z"] > 0 else 0.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_chain_link(seed: int) -> None:
    q = generate("chain-link", seed)
    z, upstream = q.about["z"], q.about["dL/da"]
    local = sig(z) * (1 - sig(z)) if "σ(z)" in q.text else 1 - math.tanh(z) ** 2
    assert q.expected == pytest.approx(upstream * local, rel=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_walkthrough_gradients(seed: int) -> None:
    for family, index in (("walkthrough-dw1", 0), ("walkthrough-dw2", 1)):
        q = generate(family, seed)
        a = q.about
        two = 1.0 if "L = ½(y − t)²" in q.text else 2.0
        assert two == 1.0 or "L = (y − t)²" in q.text
        hand = chain_gradients(a["x"], [a["w1"], a["w2"]], a["t"], two)
        assert q.expected == pytest.approx(hand[index], rel=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
def test_gradient_step(seed: int) -> None:
    q = generate("gradient-step", seed)
    a = q.about
    grads = chain_gradients(a["x"], [a["w1"], a["w2"]], a["t"])
    name = re.search(r"\*\*(w[12])\*\* after", q.text).group(1)
    index = int(name[1]) - 1
    assert q.expected == pytest.approx(a[name] - a["lr"] * grads[index], rel=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
def test_bce_output_gradient_is_y_minus_t(seed: int) -> None:
    q = generate("bce-output", seed)
    a = q.about
    y = sig(a["w"] * a["x"] + a["b"])
    assert q.expected == pytest.approx(y - a["t"], rel=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_gradient_shape(seed: int) -> None:
    q = generate("gradient-shape", seed)
    sizes = q.about["sizes"]
    i = int(re.search(r"dL/dW(\d)", q.text).group(1))
    assert q.expected == (sizes[i], sizes[i - 1])
    assert f"{q.about['m'][0]} examples" in q.text


def test_gradient_shape_hint_says_one_unit_not_one_units() -> None:
    for seed in range(200):
        q = generate("gradient-shape", seed)
        i = int(re.search(r"dL/dW(\d)", q.text).group(1))
        if q.about["sizes"][i] == 1:
            break
    else:
        pytest.fail("no question on a layer of one unit in 200 seeds")
    assert f"maps {q.about['sizes'][i - 1]} inputs to 1 unit:" in q.hints[-1]


@pytest.mark.parametrize("seed", SEEDS)
def test_matrix_entry_by_finite_differences(seed: int) -> None:
    q = generate("matrix-entry", seed)
    row, column = (int(n) for n in re.search(r"row (\d), column (\d)", q.text).groups())
    assert q.expected == pytest.approx(numeric_dW1(dict(q.about))[row - 1, column - 1], abs=1e-8)


@pytest.mark.parametrize("seed", SEEDS)
def test_matrix_gradient_by_finite_differences(seed: int) -> None:
    q = generate("matrix-gradient", seed)
    assert q.expected.shape == (2, 2)
    np.testing.assert_allclose(q.expected, numeric_dW1(dict(q.about)), atol=1e-8)


@pytest.mark.parametrize("seed", SEEDS)
def test_central_difference(seed: int) -> None:
    q = generate("central-difference", seed)
    a = q.about
    assert q.expected == pytest.approx((a["f(w+ε)"] - a["f(w−ε)"]) / (2 * a["ε"]), rel=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_vanishing_bound(seed: int) -> None:
    q = generate("vanishing-bound", seed)
    k = int(q.about["k"])
    assert q.expected == pytest.approx(0.25**k, rel=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_three_layer_gradients_in_backprop_order(seed: int) -> None:
    q = generate("three-layer", seed)
    a = q.about
    hand = chain_gradients(a["x"], [a["w1"], a["w2"], a["w3"]], a["t"])
    np.testing.assert_allclose(q.expected, hand[::-1], rtol=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
def test_vanishing_bound_text_shows_the_engines_sigmoid_slope(seed: int) -> None:
    q = generate("vanishing-bound", seed)
    half, slope = sig(0.0), sig(0.0) * (1 - sig(0.0))  # σ(0) and σ'(0) by hand
    words = " ".join([*q.hints, q.conclusion])
    assert f"σ(z) = {format_number(half)}" in q.hints[0]
    assert f"σ'(0) = {format_number(half)} × (1 − {format_number(half)}) = " in q.hints[1]
    assert f"= {format_number(slope)}," in q.hints[1]
    assert q.conclusion.endswith(f"at most σ'(0) = {format_number(slope)}.")
    assert not set("½¼") & set(words) and "4×" not in words


def test_trace_upto_cuts_after_the_target_record() -> None:
    spec = scalar_network(0.7, [0.4, -1.2], 1.0)
    derivation = derive(spec)
    for target in ("dL/dW2", "dL/dz1", "dL/dW1"):
        cut = trace_upto(derivation, target)
        assert cut[-1].target == target
        assert cut == derivation.trace[: len(cut)]
        assert target not in [r.target for r in cut[:-1]]


@pytest.mark.parametrize("seed", SEEDS)
def test_gradient_step_solution_ends_at_the_stepped_weights_gradient(seed: int) -> None:
    q = generate("gradient-step", seed)
    name = "W1" if "**w1** after" in q.text else "W2"
    assert q.trace[-1].target == f"dL/d{name}"


def test_a_family_question_narrows_drops_or_redraws_for_its_mistakes() -> None:
    meta = Family("test", "Test", "testing", 1, lambda meta, rng: None)  # type: ignore[arg-type,return-value]

    def question(*mistakes: Mistake) -> Question:
        return meta.question("?", about={}, expected=0.8055, kind="number", hints=("h",),
                             mistakes=mistakes)  # fmt: skip

    far = question(Mistake("50 % off", "", 1.2))
    assert [m.name for m in far.mistakes] == ["50 % off"] and far.text == "?"
    near = question(Mistake("the old weight", "", 0.8))  # narrows the tolerance to 0.23 %
    assert near.text.endswith("*Give at least 3 significant digits: a common mistake gives a "
                              "number close to this answer.*")  # fmt: skip
    assert question(Mistake("the answer itself", "", 0.8055)).mistakes == ()
    with pytest.raises(Inseparable):
        question(Mistake("0.01 % off", "", 0.8056))

    draws = iter([0.8056, 0.8056, 2.0])

    def build(meta: Family, rng: np.random.Generator) -> Question:
        return question(Mistake("drawn", "", next(draws)))

    redrawn = Family("redraw", "Redraw", "testing", 1, build).generate(np.random.default_rng(0))
    assert redrawn.mistakes[0].value == 2.0
