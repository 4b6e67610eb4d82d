"""The gradient check passes correct gradients and catches the factor-of-two bug."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.engine import NetworkSpec, gradient_check, init_layers
from tutor.engine.gradcheck import PASS_THRESHOLD, numerical_gradients, relative_error


def spec(loss: str = "squared_error", seed: int = 0) -> NetworkSpec:
    rng = np.random.default_rng(seed)
    return NetworkSpec(
        input=rng.normal(size=(2, 4)),
        target=rng.uniform(0.1, 0.9, (1, 4)),
        loss=loss,
        layers=init_layers((2, 3, 1), ("tanh", "sigmoid"), rng),
    )


@pytest.mark.parametrize("loss", ["half_squared_error", "squared_error", "binary_cross_entropy"])
def test_correct_gradients_pass(loss: str) -> None:
    check = gradient_check(spec(loss))
    assert check.passed and check.relative_error < 1e-8
    assert all(p.passed for p in check.params)
    assert [p.name for p in check.params] == ["W1", "b1", "W2", "b2"]


def test_factor_two_bug_gives_one_third() -> None:
    """Backprop of ½·mean(y − t)² checked against mean(y − t)²: a ratio of 2 everywhere."""
    check = gradient_check(spec("squared_error"), analytical_loss="half_squared_error")
    assert not check.passed
    assert check.relative_error == pytest.approx(1 / 3, abs=1e-8)
    for param in check.params:
        assert np.allclose(param.numerical, 2 * param.analytical, rtol=1e-6)


def test_numerical_gradient_of_a_quadratic_is_exact() -> None:
    """For L = ½(w·x − t)² the central difference is exact up to rounding."""
    from tutor.engine import LayerSpec

    s = NetworkSpec(
        input=np.array([[2.0]]),
        target=np.array([[1.0]]),
        loss="half_squared_error",
        layers=(LayerSpec(W=np.array([[0.7]]), b=None, activation="linear"),),
    )
    assert numerical_gradients(s)["W1"].item() == pytest.approx((0.7 * 2 - 1) * 2, rel=1e-9)


def test_relative_error_definition() -> None:
    a, n = np.array([3.0, 4.0]), np.array([3.0, 4.0])
    assert relative_error(a, n) == 0.0
    assert relative_error(a, 2 * a) == pytest.approx(1 / 3)
    assert relative_error(np.zeros(2), np.zeros(2)) == 0.0
    assert PASS_THRESHOLD == 1e-6


def at_a_kink(b0: float) -> NetworkSpec:
    """x = 1; z1 = W1·x + b1 = (1 + b0, 0.7), ReLU; y = a1₀ + a1₁; ½(y − 2)²."""
    from tutor.engine import LayerSpec

    return NetworkSpec(
        np.array([[1.0]]),
        np.array([[2.0]]),
        "half_squared_error",
        (
            LayerSpec(np.array([[1.0], [0.5]]), np.array([[b0], [0.2]]), "relu"),
            LayerSpec(np.array([[1.0, 1.0]]), None, "linear"),
        ),
    )


def test_a_failing_check_at_a_relu_kink_names_the_entries_and_the_layer() -> None:
    # b0 = −1 puts unit 0's z exactly at 0: (L(θ+ε) − L(θ−ε))/2ε sees half the slope
    # (one side ReLU′ = 1, the other 0) while backprop takes ReLU′(0) = 0.
    check = gradient_check(at_a_kink(-1.0))
    assert not check.passed
    assert {(k.param, k.index, k.layer) for k in check.kinks} == {
        ("W1", (0, 0), 1),
        ("b1", (0, 0), 1),
    }
    moved = gradient_check(at_a_kink(-0.5))  # z = 0.5, far from the kink
    assert moved.passed and moved.kinks == ()


def test_a_passing_check_with_mismatched_parameters_at_kinks_names_them() -> None:
    """Two examples, one at the kink: overall the check can pass while b1 does not."""
    from tutor.engine import LayerSpec

    spec = NetworkSpec(
        np.array([[1.0, 3.0]]),
        np.array([[2.0, 9.0]]),
        "half_squared_error",
        (
            LayerSpec(np.array([[1.0], [0.5]]), np.array([[-1.0], [0.2]]), "relu"),
            LayerSpec(np.array([[1.0, 1.0]]), None, "linear"),
        ),
    )
    check = gradient_check(spec)
    assert any(not p.passed for p in check.params)
    assert {k.layer for k in check.kinks} == {1} and check.kinks
