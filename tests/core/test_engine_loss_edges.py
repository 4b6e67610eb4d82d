"""The two losses at their edges, against formulas written here in log-sum-exp form.

- binary cross-entropy on a sigmoid output, from the logits: per example
  t·logaddexp(0, −z) + (1 − t)·logaddexp(0, z), and dL/dz = (σ(z) − t)/m, even where
  σ(z) rounds to exactly 0 or 1;
- cross-entropy whose target columns do not sum to 1: L = −Σ t·(z − logsumexp(z)), so
  dL/dz = softmax(z)·Σt − t (per example, then /m).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.engine import LayerSpec, NetworkSpec, derive, gradient_check, loss_of
from tutor.engine.functions import is_distribution
from tutor.engine.training import TrainConfig, train
from tutor.present.derivation import whole_derivation_lines
from tutor.present.lines import plain_text


def one_unit(w: float, t: float, *, x: float = 1.0) -> NetworkSpec:
    return NetworkSpec(
        input=np.array([[x]]),
        target=np.array([[t]]),
        loss="binary_cross_entropy",
        layers=(LayerSpec(W=np.array([[w]]), b=None, activation="sigmoid"),),
    )


@pytest.mark.parametrize(("z", "t"), [(40.0, 0.0), (-40.0, 1.0), (800.0, 0.0), (-800.0, 1.0),
                                      (40.0, 1.0), (0.3, 0.0), (-2.0, 0.25)])  # fmt: skip
def test_binary_cross_entropy_from_the_logits(z: float, t: float) -> None:
    d = derive(one_unit(z, t))
    # −[t log σ(z) + (1 − t) log(1 − σ(z))], with −log σ(z) = log(1 + e^−z) = logaddexp(0, −z)
    loss = t * float(np.logaddexp(0.0, -z)) + (1 - t) * float(np.logaddexp(0.0, z))
    # σ(z) − t = (1 − t)·σ(z) − t·σ(−z): exact even where σ(z) rounds to 1
    slope = (1 - t) * logistic(z) - t * logistic(-z)
    assert d.loss == pytest.approx(loss, rel=1e-12, abs=1e-300)
    assert loss_of(one_unit(z, t)) == pytest.approx(loss, rel=1e-12, abs=1e-300)
    assert d.gradients["z1"].item() == pytest.approx(slope, rel=1e-12, abs=1e-300)
    assert d.gradients["W1"].item() == pytest.approx(slope * 1.0, rel=1e-12, abs=1e-300)
    assert all(np.all(np.isfinite(g)) for g in d.gradients.values())


def logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


@pytest.mark.parametrize(("z", "t"), [(40.0, 1.0), (-40.0, 0.0), (36.0, 1.0), (2.0, 1.0)])
def test_dl_dy_of_a_saturated_and_right_output_is_about_minus_one_over_y(
    z: float, t: float
) -> None:
    # dL/dy = −t/y + (1 − t)/(1 − y), with 1 − y = σ(−z) written out: about ∓1 when right
    y, one_minus_y = logistic(z), logistic(-z)
    expected = -t / y + (1 - t) / one_minus_y
    assert derive(one_unit(z, t)).gradients["a1"].item() == pytest.approx(expected, rel=1e-9)
    assert abs(expected) == pytest.approx(1.0, abs=0.2)


def test_a_confidently_wrong_output_costs_its_true_loss_and_keeps_learning() -> None:
    d = derive(one_unit(40.0, 0.0))
    assert d.loss == pytest.approx(40.0, rel=1e-12)  # not a clipped 34.5
    assert d.gradients["z1"].item() == pytest.approx(1.0)  # not 0: training can recover
    record = d.record_for("dL/dz1")
    assert [f.name for f in record.factors] == ["a1 − t"]
    assert "σ'(z1) = a1(1 − a1) cancels" in record.rule
    assert "dL/dz1 = a1 − t = 1" in plain_text(whole_derivation_lines(d))


def test_the_fused_derivative_over_a_batch_carries_1_over_m() -> None:
    spec = NetworkSpec(
        input=np.array([[1.0, -2.0, 0.5]]),
        target=np.array([[1.0, 0.0, 1.0]]),
        loss="binary_cross_entropy",
        layers=(LayerSpec(W=np.array([[0.7]]), b=np.array([[0.1]]), activation="sigmoid"),),
    )
    z = 0.7 * spec.input + 0.1
    expected = (1 / (1 + np.exp(-z)) - spec.target) / 3
    d = derive(spec)
    np.testing.assert_allclose(d.gradients["z1"], expected, rtol=1e-12)
    assert [f.name for f in d.record_for("dL/dz1").factors] == ["a1 − t", "1/m"]
    assert gradient_check(spec).passed


def test_training_the_fast_path_agrees_with_the_trace_when_saturated() -> None:
    spec = one_unit(40.0, 0.0)
    first = next(iter(train(spec, TrainConfig(epochs=1, lr=0.1))))
    assert first.loss == pytest.approx(40.0, rel=1e-12)
    assert first.grad_norms[0] == pytest.approx(1.0)


def unnormalised() -> NetworkSpec:
    """Two examples whose target columns sum to 0.5 and 1.5, not 1."""
    return NetworkSpec(
        input=np.array([[1.0, -2.0], [0.5, 1.0]]),
        target=np.array([[0.2, 1.0], [0.3, 0.5], [0.0, 0.0]]),
        loss="cross_entropy",
        layers=(
            LayerSpec(
                W=np.array([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]]), b=None, activation="linear"
            ),
        ),
    )


def test_cross_entropy_with_targets_that_do_not_sum_to_one() -> None:
    spec = unnormalised()
    z = spec.layers[0].W @ spec.input
    t = spec.target
    log_p = z - np.log(np.sum(np.exp(z), axis=0, keepdims=True))  # z − logsumexp(z)
    loss = float(np.mean(-np.sum(t * log_p, axis=0)))
    dz = (np.exp(log_p) * np.sum(t, axis=0, keepdims=True) - t) / 2
    d = derive(spec)
    assert d.loss == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(d.gradients["z1"], dz, rtol=1e-12)
    np.testing.assert_allclose(d.gradients["W1"], dz @ spec.input.T, rtol=1e-12)
    check = gradient_check(spec)
    assert check.passed, check.relative_error  # it was 0.54 with softmax − t


def test_a_distribution_target_reads_p_minus_t_and_any_other_p_times_its_sum() -> None:
    z = np.array([[0.5], [-1.0], [2.0]])
    p = np.exp(z) / np.exp(z).sum()

    def first_factor(t: list[float]):
        spec = NetworkSpec(
            input=z,
            target=np.array(t).reshape(-1, 1),
            loss="cross_entropy",
            layers=(LayerSpec(W=np.eye(3), b=None, activation="linear"),),
        )
        (factor,) = derive(spec).trace[0].factors
        return factor.name, factor.value

    name, value = first_factor([0.0, 1.0, 0.0])
    assert name == "softmax(a1) − t" and np.allclose(value, p - [[0.0], [1.0], [0.0]])
    name, value = first_factor([0.0, 1.0, 1.0])  # no distribution: the general gradient
    assert name == "softmax(a1)·Σt − t" and np.allclose(value, 2 * p - [[0.0], [1.0], [1.0]])


EDGES = [1.0, 1.0 + 1.0001e-5, 1.0 - 1.0001e-5, 1.0 + 1.00099e-5, 1.0 - 1.00099e-5, 0.0, 2.0]
EDGES += [math.nextafter(1.0 + 1.001e-5, 2.0), math.nextafter(1.0 - 1.001e-5, 0.0)]
EDGES += [math.inf, -math.inf, math.nan, 1e308, -1e308]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(EDGES), st.floats(0.99998, 1.00002), st.floats()),
        min_size=1,
        max_size=6,
    )
)
def test_a_target_is_a_distribution_exactly_when_np_allclose_says_its_sums_are_1(
    sums: list[float],
) -> None:
    """The check on every training step decides as ``np.allclose(sums, 1.0)`` does."""
    column = np.array([sums])
    assert is_distribution(column) == bool(np.allclose(column, 1.0))
