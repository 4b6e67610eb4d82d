"""The engine's deliberately wrong derivations, against the mistaken working done by hand.

The walkthrough network (x = 1, w1 = 0.5, w2 = 0.8, sigmoids, ½(y − t)², t = 1).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import sig
from tutor.engine import LayerSpec, NetworkSpec, derive
from tutor.engine.variants import (
    gradients_with_loss,
    gradients_with_slopes,
    replay,
    step_added,
    summed_over_examples,
)

X, W1, W2, T = 1.0, 0.5, 0.8, 1.0
Z1 = W1 * X
A1 = sig(Z1)
Z2 = W2 * A1
A2 = sig(Z2)
DW2 = (A2 - T) * A2 * (1 - A2) * A1


def spec(x: np.ndarray | None = None, t: np.ndarray | None = None) -> NetworkSpec:
    return NetworkSpec(
        input=np.array([[X]]) if x is None else x,
        target=np.array([[T]]) if t is None else t,
        loss="half_squared_error",
        layers=(
            LayerSpec(np.array([[W1]]), None, "sigmoid"),
            LayerSpec(np.array([[W2]]), None, "sigmoid"),
        ),
    )


@pytest.mark.parametrize(
    ("slope", "local"),
    [("one", 1.0), ("value", A2), ("z", Z2 * (1 - Z2))],
)
def test_a_mistaken_output_slope(slope: str, local: float) -> None:
    grads = gradients_with_slopes(spec(), {2: slope})  # type: ignore[dict-item]
    assert grads["W2"].item() == pytest.approx((A2 - T) * local * A1)


def test_both_slopes_left_out() -> None:
    grads = gradients_with_slopes(spec(), {1: "one", 2: "one"})
    assert grads["W1"].item() == pytest.approx((A2 - T) * W2 * X)


def test_another_loss_doubles_the_gradient() -> None:
    assert gradients_with_loss(spec(), "squared_error")["W2"].item() == pytest.approx(2 * DW2)


def test_summed_over_examples_is_m_times_the_mean() -> None:
    batch = spec(np.array([[1.0, -0.5, 2.0]]), np.array([[1.0, 0.0, 1.0]]))
    mean = derive(batch).gradients["W1"]
    np.testing.assert_allclose(summed_over_examples(batch, "W1"), 3 * mean)


def test_step_added_goes_up_the_gradient() -> None:
    assert step_added(spec(), 0.5, "W2").item() == pytest.approx(W2 + 0.5 * DW2)


def test_replay_with_a_factor_swapped() -> None:
    record = derive(spec()).record_for("dL/dz2")
    assert replay(record, {}).item() == pytest.approx(record.value.item())
    assert replay(record, {"dL/da2": 1.0}).item() == pytest.approx(A2 * (1 - A2))
    matmul = derive(spec()).record_for("dL/dW2")
    assert replay(matmul, {"dz2/dW2": np.array([[Z1]])}).item() == pytest.approx(
        (A2 - T) * A2 * (1 - A2) * Z1
    )


def test_a_values_gradients_per_example_sit_side_by_side() -> None:
    batch = spec(np.array([[1.0, -0.5]]), np.array([[1.0, 0.0]]))
    np.testing.assert_allclose(summed_over_examples(batch, "z2"), 2 * derive(batch).gradients["z2"])
