"""The seed's walkthrough network, derived by hand here and compared with the engine."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import sig
from tutor.engine import LayerSpec, NetworkSpec, derive, loss_of, sgd_step

X, W1, W2, T = 1.0, 0.5, 0.8, 1.0


@pytest.fixture
def walkthrough() -> NetworkSpec:
    return NetworkSpec(
        input=np.array([[X]]),
        target=np.array([[T]]),
        loss="half_squared_error",
        layers=(
            LayerSpec(W=np.array([[W1]]), b=None, activation="sigmoid"),
            LayerSpec(W=np.array([[W2]]), b=None, activation="sigmoid"),
        ),
    )


def hand_derivation(w1: float, w2: float) -> dict[str, float]:
    z1 = w1 * X
    a1 = sig(z1)
    z2 = w2 * a1
    a2 = sig(z2)
    dL_da2 = a2 - T
    dL_dz2 = dL_da2 * a2 * (1 - a2)
    dL_dW2 = dL_dz2 * a1
    dL_da1 = dL_dz2 * w2
    dL_dz1 = dL_da1 * a1 * (1 - a1)
    dL_dW1 = dL_dz1 * X
    return {
        "z1": z1, "a1": a1, "z2": z2, "a2": a2, "L": 0.5 * (a2 - T) ** 2,
        "dL/da2": dL_da2, "dL/dz2": dL_dz2, "dL/dW2": dL_dW2,
        "dL/da1": dL_da1, "dL/dz1": dL_dz1, "dL/dW1": dL_dW1,
    }  # fmt: skip


def test_forward_values(walkthrough: NetworkSpec) -> None:
    hand = hand_derivation(W1, W2)
    d = derive(walkthrough)
    for name in ("z1", "a1", "z2", "a2"):
        assert d.values[name].item() == pytest.approx(hand[name], abs=1e-12)
    assert d.loss == pytest.approx(hand["L"], abs=1e-12)
    assert d.output.item() == pytest.approx(hand["a2"], abs=1e-12)


def test_every_gradient(walkthrough: NetworkSpec) -> None:
    hand = hand_derivation(W1, W2)
    d = derive(walkthrough)
    for name in ("W1", "W2", "z1", "a1", "z2", "a2"):
        assert d.gradients[name].item() == pytest.approx(hand[f"dL/d{name}"], abs=1e-12)
    assert "x" not in d.gradients and "b1" not in d.gradients  # no bias: nothing to show


def test_trace_is_the_walkthrough_in_order(walkthrough: NetworkSpec) -> None:
    hand = hand_derivation(W1, W2)
    trace = derive(walkthrough).trace
    assert [r.target for r in trace] == ["dL/da2", "dL/dz2", "dL/dW2", "dL/da1", "dL/dz1", "dL/dW1"]
    for record in trace:
        assert record.value.item() == pytest.approx(hand[record.target], abs=1e-12)
    dz2 = trace[1]
    assert [f.name for f in dz2.factors] == ["dL/da2", "da2/dz2"]
    a2 = hand["a2"]
    assert dz2.factors[1].value.item() == pytest.approx(a2 * (1 - a2), abs=1e-12)
    assert "σ'(z2) = a2(1 − a2)" in dz2.rule


def test_one_update_step_and_the_loss_after_it(walkthrough: NetworkSpec) -> None:
    hand = hand_derivation(W1, W2)
    new_w1, new_w2 = W1 - 0.1 * hand["dL/dW1"], W2 - 0.1 * hand["dL/dW2"]
    stepped = sgd_step(walkthrough, 0.1)
    assert stepped.params()["W1"].item() == pytest.approx(new_w1, abs=1e-12)
    assert stepped.params()["W2"].item() == pytest.approx(new_w2, abs=1e-12)
    after = hand_derivation(new_w1, new_w2)["L"]
    assert loss_of(stepped) == pytest.approx(after, abs=1e-12)
    assert loss_of(stepped) < loss_of(walkthrough)


def test_errata_figures_to_the_rounding_given(walkthrough: NetworkSpec) -> None:
    """ERRATA.md lists the correct figures; the engine must reproduce them."""
    d = derive(walkthrough)
    assert round(d.values["a1"].item(), 5) == 0.62246
    assert round(d.output.item(), 5) == 0.62198
    assert round(d.loss, 6) == 0.071449
    assert round(d.gradients["W2"].item(), 6) == -0.055324
    assert round(d.gradients["W1"].item(), 6) == -0.016710
    assert round(loss_of(sgd_step(walkthrough, 0.1)), 6) == 0.071115
