"""A matrix product read as a sum over paths: the engine's path records against hand working."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import sig, walkthrough_spec
from tutor.engine import LayerSpec, NetworkSpec, derive
from tutor.engine.entry_paths import all_entry_paths, entry_paths, expandable, path_count

W1, V, X, T = 0.5, (0.7, -0.4), 1.0, (1.0, 0.0)


def fork() -> NetworkSpec:
    """x → one sigmoid hidden unit → two sigmoid outputs, ½Σ(y − t)²."""
    return NetworkSpec(
        input=np.array([[X]]),
        target=np.array([[T[0]], [T[1]]]),
        loss="half_squared_error",
        layers=(
            LayerSpec(np.array([[W1]]), None, "sigmoid"),
            LayerSpec(np.array([[V[0]], [V[1]]]), None, "sigmoid"),
        ),
    )


def test_a_hidden_unit_feeding_two_outputs_adds_two_paths() -> None:
    a1 = sig(W1 * X)
    ys = [sig(v * a1) for v in V]
    dz2 = [(y - t) * y * (1 - y) for y, t in zip(ys, T, strict=True)]  # by hand
    derivation = derive(fork())
    record = derivation.record_for("dL/da1")
    assert expandable(record) and path_count(record) == 2
    entry = entry_paths(derivation, record, 0, 0)
    assert entry.label == "dL/da1[1]"
    assert [p.via for p in entry.paths] == ["z2[1]", "z2[2]"]
    for path, v, d in zip(entry.paths, V, dz2, strict=True):
        assert [f.name for f in path.factors] == [f"dL/d{path.via}", f"d{path.via}/da1[1]"]
        assert float(path.value) == pytest.approx(d * v)
        assert path.partial
    assert entry.total is not None and entry.total.combine == "sum"
    assert entry.value == pytest.approx(dz2[0] * V[0] + dz2[1] * V[1])
    assert entry.value == pytest.approx(float(record.value.item()))
    assert "W2[1,1]" in entry.paths[0].rule


def test_a_batch_weight_gradient_adds_one_path_per_example() -> None:
    rng = np.random.default_rng(3)
    spec = NetworkSpec(
        input=rng.normal(size=(2, 4)),
        target=rng.integers(0, 2, size=(1, 4)).astype(float),
        loss="squared_error",
        layers=(
            LayerSpec(rng.normal(size=(3, 2)), np.zeros((3, 1)), "tanh"),
            LayerSpec(rng.normal(size=(1, 3)), None, "sigmoid"),
        ),
    )
    derivation = derive(spec)
    record = derivation.record_for("dL/dW1")
    entries = all_entry_paths(derivation, record)
    assert len(entries) == 6 and entries[5].label == "dL/dW1[3,2]"
    dz1, x = derivation.gradients["z1"], spec.input
    for entry, (r, c) in zip(entries, np.ndindex(3, 2), strict=True):
        assert [float(p.value) for p in entry.paths] == pytest.approx(list(dz1[r] * x[c]))
        assert [p.via for p in entry.paths] == [f"z1[{r + 1},{i + 1}]" for i in range(4)]
    # the sums are the gradient, which central differences confirm independently
    eps, (r, c) = 1e-6, (1, 0)
    bumped = [spec.params()["W1"].copy() for _ in range(2)]
    bumped[0][r, c] += eps
    bumped[1][r, c] -= eps
    plus, minus = (derive(spec.with_params({"W1": w})).loss for w in bumped)
    assert entries[2].value == pytest.approx((plus - minus) / (2 * eps), rel=1e-6)


def test_one_path_is_not_worth_expanding() -> None:
    derivation = derive(walkthrough_spec())
    assert not any(expandable(r) for r in derivation.trace)
    entry = entry_paths(derivation, derivation.record_for("dL/da1"), 0, 0)
    assert entry.total is None and len(entry.paths) == 1
    with pytest.raises(ValueError, match="not a matrix product"):
        entry_paths(derivation, derivation.record_for("dL/dz2"), 0, 0)
