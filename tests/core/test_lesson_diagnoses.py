"""Diagnoses for lesson questions, derived from the quantity, against hand derivations.

The walkthrough network: x = 1, w1 = 0.5, w2 = 0.8, sigmoids, ½(y − t)², t = 1.
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest

from tests.helpers import sig, walkthrough_spec
from tutor.answers.grade import Marking
from tutor.answers.parse import parse_answer
from tutor.engine import LayerSpec, NetworkSpec
from tutor.lesson.diagnoses import mistakes_for
from tutor.lesson.quantities import evaluate, parse_quantity

Z1 = 0.5
A1 = sig(Z1)
Z2 = 0.8 * A1
A2 = sig(Z2)
DA2 = A2 - 1.0
DZ2 = DA2 * A2 * (1 - A2)
DW2 = DZ2 * A1


def found(quantity: str, spec: NetworkSpec | None = None) -> dict[str, object]:
    q = parse_quantity(quantity)
    return {m.name: m.value for m in mistakes_for(q, spec or walkthrough_spec())}


def verdict(quantity: str, text: str, spec: NetworkSpec | None = None):
    spec = spec or walkthrough_spec()
    q = parse_quantity(quantity)
    return Marking.of(evaluate(q, spec), mistakes=mistakes_for(q, spec)).grade(parse_answer(text))


def test_a_gradients_mistakes() -> None:
    mistakes = found("grad W2 of tiny")
    assert mistakes["σ'(z2) left out"] == pytest.approx(DA2 * A1)
    assert mistakes["σ(z2) for σ'(z2)"] == pytest.approx(DA2 * A2 * A1)
    assert mistakes["upstream gradient only"] == pytest.approx(DZ2)
    assert mistakes["sign flipped"] == pytest.approx(-DW2)
    assert mistakes["factor 2 doubled"] == pytest.approx(2 * DW2)


def test_dl_da2_typed_for_dl_dz2_is_the_sigmoids_derivative_left_out() -> None:
    result = verdict("grad z2 of tiny", f"{DA2:.4f}")
    assert result.outcome == "wrong"
    assert result.mistake is not None and result.mistake.name == "σ'(z2) left out"


def test_the_first_layers_gradient_knows_both_derivatives() -> None:
    mistakes = found("grad W1 of tiny")
    dw1 = DZ2 * 0.8 * A1 * (1 - A1) * 1.0
    assert mistakes["σ'(z1) left out"] == pytest.approx(DZ2 * 0.8 * 1.0)
    assert mistakes["σ'(z2) left out"] == pytest.approx(DA2 * 0.8 * A1 * (1 - A1))
    assert mistakes["sign flipped"] == pytest.approx(-dw1)


def test_a_parameter_after_one_step() -> None:
    mistakes = found("W2 after one step of tiny with lr 0.1")
    assert mistakes["W2 unchanged"] == pytest.approx(0.8)
    assert mistakes["update added"] == pytest.approx(0.8 + 0.1 * DW2)
    assert mistakes["learning rate left out"] == pytest.approx(0.8 - DW2)


def test_the_old_weight_is_never_correct_for_an_update() -> None:
    """The walkthrough's "Did the step help?": w2 = 0.8 → 0.8055 after one step."""
    stepped = 0.8 - 0.1 * DW2
    assert stepped == pytest.approx(0.8055, abs=5e-5)
    old = verdict("W2 after one step of tiny with lr 0.1", "0.8")
    assert old.outcome == "wrong" and old.mistake is not None
    assert old.mistake.name == "W2 unchanged"
    assert verdict("W2 after one step of tiny with lr 0.1", "0.81").outcome == "close"
    assert verdict("W2 after one step of tiny with lr 0.1", "0.8055").outcome == "correct"


def test_z_given_for_a() -> None:
    assert found("value a1 of tiny") == {"z1 for a1": pytest.approx(Z1)}
    assert found("value y of tiny") == {"z2 for a2": pytest.approx(Z2)}
    assert found("value z1 of tiny") == {}


def batch() -> NetworkSpec:
    rng = np.random.default_rng(0)
    return NetworkSpec(
        input=rng.normal(size=(2, 3)),
        target=np.array([[0.0, 1.0, 1.0]]),
        loss="squared_error",
        layers=(
            LayerSpec(rng.normal(size=(2, 2)), np.zeros((2, 1)), "tanh"),
            LayerSpec(rng.normal(size=(1, 2)), None, "sigmoid"),
        ),
    )


def test_batch_mistakes_transposed_one_over_m_and_factor_two() -> None:
    spec = batch()
    expected = evaluate(parse_quantity("grad W1 of b"), spec)
    mistakes = found("grad W1 of b", spec)
    np.testing.assert_allclose(mistakes["transposed"], expected.T)
    np.testing.assert_allclose(mistakes["1/m forgotten"], 3 * expected)
    np.testing.assert_allclose(mistakes["factor 2 dropped"], expected / 2)
    assert "tanh'(z1) left out" in mistakes and "σ'(z2) left out" in mistakes


def test_one_entry_picks_the_entry_of_each_mistake() -> None:
    spec = batch()
    whole = evaluate(parse_quantity("grad W1 of b"), spec)
    mistakes = found("grad W1[1,2] of b", spec)
    assert mistakes["transposed"] == pytest.approx(whole[1, 0])
    assert mistakes["sign flipped"] == pytest.approx(-whole[0, 1])


def test_shape_mistakes() -> None:
    spec = batch()
    assert found("shape of grad W1 of b", spec) == {"activation shape": (2, 3)}  # W1 is square
    assert found("shape of grad W2 of b", spec) == {
        "transposed": (2, 1),
        "activation shape": (1, 3),
    }
    assert found("shape of value z1 of b", spec) == {"transposed": (3, 2)}


def _layers(*sizes: int) -> NetworkSpec:
    """A ReLU network of the given widths (the weights do not matter to an init scale)."""
    layers = tuple(
        LayerSpec(np.zeros((n_out, n_in)), None, "relu") for n_in, n_out in pairwise(sizes)
    )
    return NetworkSpec(np.zeros((sizes[0], 1)), np.zeros((sizes[-1], 1)), "squared_error", layers)


def test_an_init_scales_value_and_mistakes() -> None:
    spec = _layers(2, 20, 5)  # W2 has 20 inputs and 5 units
    he = parse_quantity("he std of W2 of net")
    assert evaluate(he, spec) == pytest.approx(math.sqrt(2 / 20))
    mistakes = found("he std of W2 of net", spec)
    assert mistakes == pytest.approx(
        {
            "the variance, not the standard deviation": 2 / 20,
            "factor 2 left out": math.sqrt(1 / 20),
            "xavier instead of he": math.sqrt(2 / 25),
            "n_out used for n_in": math.sqrt(2 / 5),
        }
    )
    xavier = parse_quantity("xavier std of W2 of net")
    assert evaluate(xavier, spec) == pytest.approx(math.sqrt(2 / 25))
    result = verdict("he std of W2 of net", "0.1", spec)
    assert result.mistake is not None and result.mistake.name.startswith("the variance")
    assert verdict("he std of W2 of net", "0.3162", spec).outcome == "correct"
