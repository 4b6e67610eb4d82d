"""The trace: each record's factors combine to its value; records agree with gradients."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.engine import LayerSpec, NetworkSpec, TraceRecord, derive
from tutor.engine.autodiff import unbroadcast


def combine(record: TraceRecord) -> np.ndarray:
    """Recompute a record's value from its factors, by its combine rule."""
    values = [f.value for f in record.factors]
    if record.combine == "product":
        product = values[0]
        for v in values[1:]:
            product = product * v
        return unbroadcast(
            np.broadcast_to(product, np.broadcast_shapes(*(np.shape(v) for v in values))),
            record.value.shape,
        )
    if record.combine == "matmul_rt":
        return values[0] @ values[1].T
    if record.combine == "lt_matmul":
        return values[1].T @ values[0]
    if record.combine == "sum":
        return sum(values[1:], start=values[0])
    g, p = values
    return g - p * g.sum(axis=0, keepdims=True)


def network(
    loss: str, activations: list[str], sizes: list[int], m: int, seed: int, bias: bool = True
) -> NetworkSpec:
    rng = np.random.default_rng(seed)
    layers = tuple(
        LayerSpec(
            W=rng.normal(size=(n_out, n_in)),
            b=rng.normal(size=(n_out, 1)) if bias else None,
            activation=act,
        )
        for n_in, n_out, act in zip(sizes[:-1], sizes[1:], activations, strict=True)
    )
    target = rng.uniform(0.1, 0.9, size=(sizes[-1], m))
    if loss == "cross_entropy":
        target = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)]
    return NetworkSpec(
        input=rng.normal(size=(sizes[0], m)), target=target, loss=loss, layers=layers
    )


NETWORKS = {
    "scalar": lambda s: network(
        "half_squared_error", ["sigmoid", "sigmoid"], [1, 1, 1], 1, s, bias=False
    ),
    "batch mse": lambda s: network(
        "squared_error", ["tanh", "relu", "sigmoid"], [2, 3, 3, 1], 4, s
    ),
    "bce": lambda s: network("binary_cross_entropy", ["relu", "sigmoid"], [3, 4, 2], 5, s),
    "softmax ce": lambda s: network("cross_entropy", ["tanh", "linear"], [2, 4, 3], 6, s),
}


@pytest.mark.parametrize("name", list(NETWORKS))
@pytest.mark.parametrize("seed", [0, 7])
def test_records_recombine_to_their_values(name: str, seed: int) -> None:
    for record in derive(NETWORKS[name](seed)).trace:
        assert np.allclose(combine(record), record.value, rtol=1e-12, atol=1e-15), record.target


def test_scalar_records_are_plain_products() -> None:
    for record in derive(NETWORKS["scalar"](3)).trace:
        assert record.is_scalar
        assert np.prod([f.value.item() for f in record.factors]) == pytest.approx(
            record.value.item(), rel=1e-12
        )


@pytest.mark.parametrize("name", list(NETWORKS))
def test_last_record_per_node_is_the_engine_gradient(name: str) -> None:
    d = derive(NETWORKS[name](1))
    last = {r.node: r.value for r in d.trace}
    assert set(d.gradients) <= set(last)
    for label, grad in d.gradients.items():
        assert np.array_equal(last[label], grad), label


def test_batch_mean_is_in_the_loss_record_only() -> None:
    """ERRATA: 1/m appears once, in dL/dy; dL/dW = dL/dz · aᵀ with no second 1/m."""
    spec = NETWORKS["batch mse"](2)
    d = derive(spec)
    first = d.trace[0]
    assert first.target == "dL/da3" and first.factors[-1].name == "1/m"
    assert first.factors[-1].value.item() == pytest.approx(1 / 4)
    w3 = d.record_for("dL/dW3")
    assert np.allclose(w3.value, d.gradients["z3"] @ d.values["a2"].T)
