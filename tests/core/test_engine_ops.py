"""Every autodiff operation's gradient against central differences, with broadcasting."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from tutor.engine import autodiff as ad
from tutor.engine.gradcheck import relative_error

Build = Callable[[list[ad.Node]], ad.Node]


def _scalar_loss(
    build: Build, arrays: list[np.ndarray], weights: np.ndarray | None
) -> tuple[ad.Node, list[ad.Node]]:
    leaves = [ad.leaf(a, f"p{i}", requires_grad=True) for i, a in enumerate(arrays)]
    out = build(leaves)
    if weights is not None:  # a random linear read-out makes every entry's gradient distinct
        out = ad.mul(out, ad.leaf(weights, "r"))
    return ad.sum_(out, label="L"), leaves


def _numerical(
    build: Build, arrays: list[np.ndarray], weights: np.ndarray | None, eps: float = 1e-6
) -> list[np.ndarray]:
    grads = []
    for array in arrays:
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            original = array[index]
            array[index] = original + eps
            plus = float(_scalar_loss(build, arrays, weights)[0].value)
            array[index] = original - eps
            minus = float(_scalar_loss(build, arrays, weights)[0].value)
            array[index] = original
            grad[index] = (plus - minus) / (2 * eps)
        grads.append(grad)
    return grads


CASES: dict[str, tuple[Build, list[tuple[int, ...]], bool]] = {
    # name: (build, operand shapes, positive operands only)
    "add": (lambda n: ad.add(n[0], n[1]), [(3, 4), (3, 4)], False),
    "add broadcast column": (lambda n: ad.add(n[0], n[1]), [(3, 4), (3, 1)], False),
    "add broadcast row": (lambda n: ad.add(n[0], n[1]), [(3, 4), (1, 4)], False),
    "add broadcast rank": (lambda n: ad.add(n[0], n[1]), [(3, 4), (4,)], False),
    "add broadcast scalar": (lambda n: ad.add(n[0], n[1]), [(3, 4), ()], False),
    "sub": (lambda n: ad.sub(n[0], n[1]), [(2, 5), (2, 5)], False),
    "sub broadcast": (lambda n: ad.sub(n[0], n[1]), [(2, 5), (2, 1)], False),
    "mul": (lambda n: ad.mul(n[0], n[1]), [(3, 2), (3, 2)], False),
    "mul broadcast": (lambda n: ad.mul(n[0], n[1]), [(1, 2), (3, 2)], False),
    "matmul": (lambda n: ad.matmul(n[0], n[1]), [(3, 4), (4, 2)], False),
    "linear": (lambda n: ad.linear(n[0], n[1], n[2], "z"), [(3, 4), (4, 5), (3, 1)], False),
    "linear no bias": (lambda n: ad.linear(n[0], n[1], None, "z"), [(2, 3), (3, 4)], False),
    "sigmoid": (lambda n: ad.sigmoid(n[0]), [(3, 4)], False),
    "tanh": (lambda n: ad.tanh(n[0]), [(3, 4)], False),
    "relu": (lambda n: ad.relu(n[0]), [(3, 4)], False),
    "identity": (lambda n: ad.identity(n[0]), [(3, 4)], False),
    "power 3": (lambda n: ad.power(n[0], 3.0), [(3, 4)], False),
    "power 0.5": (lambda n: ad.power(n[0], 0.5), [(3, 4)], True),
    "square": (lambda n: ad.square(n[0]), [(3, 4)], False),
    "exp": (lambda n: ad.exp(n[0]), [(3, 4)], False),
    "log": (lambda n: ad.log(n[0]), [(3, 4)], True),
    "sum all": (lambda n: ad.sum_(n[0]), [(3, 4)], False),
    "sum axis 0": (lambda n: ad.sum_(n[0], axis=0), [(3, 4)], False),
    "sum axis 1": (lambda n: ad.sum_(n[0], axis=1), [(3, 4)], False),
    "mean all": (lambda n: ad.mean(n[0]), [(3, 4)], False),
    "mean axis 1": (lambda n: ad.mean(n[0], axis=1), [(3, 4)], False),
    "log_softmax": (lambda n: ad.log_softmax(n[0]), [(4, 3)], False),
    "softmax": (lambda n: ad.softmax(n[0]), [(4, 3)], False),
    "fan-out (x used twice)": (lambda n: ad.mul(n[0], ad.sigmoid(n[0])), [(2, 3)], False),
    "composite loss": (
        lambda n: ad.mean(ad.square(ad.sub(ad.sigmoid(ad.linear(n[0], n[1], n[2], "z")), n[3]))),
        [(2, 3), (3, 4), (2, 1), (2, 4)],
        False,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_matches_central_differences(name: str, seed: int) -> None:
    build, shapes, positive = CASES[name]
    rng = np.random.default_rng(seed)
    arrays = [rng.uniform(0.5, 2.0, s) if positive else rng.normal(size=s) for s in shapes]
    if name == "relu":  # keep clear of the kink, where the derivative is undefined
        arrays[0] = np.where(np.abs(arrays[0]) < 0.1, 0.5, arrays[0])
    out_shape = build([ad.leaf(a, "probe") for a in arrays]).value.shape
    weights = rng.normal(size=out_shape) if out_shape else None
    loss, leaves = _scalar_loss(build, arrays, weights)
    ad.backward(loss)
    numerical = _numerical(build, arrays, weights)
    for leaf_node, expected in zip(leaves, numerical, strict=True):
        assert leaf_node.grad is not None and leaf_node.grad.shape == leaf_node.value.shape
        assert relative_error(leaf_node.grad, expected) < 1e-6, leaf_node.label


def test_unbroadcast_sums_over_broadcast_axes() -> None:
    grad = np.arange(12.0).reshape(3, 4)
    assert np.array_equal(ad.unbroadcast(grad, (3, 1)), grad.sum(axis=1, keepdims=True))
    assert np.array_equal(ad.unbroadcast(grad, (1, 4)), grad.sum(axis=0, keepdims=True))
    assert np.array_equal(ad.unbroadcast(grad, (4,)), grad.sum(axis=0))
    assert ad.unbroadcast(grad, ()) == grad.sum()


def test_fan_out_gets_a_sum_record_of_its_paths() -> None:
    x = ad.leaf(np.array([[0.3]]), "x", requires_grad=True)
    y = ad.mul(x, ad.sigmoid(x, "s"), "y")
    records = ad.backward(ad.sum_(y, label="L"))
    sums = [r for r in records if r.combine == "sum"]
    assert len(sums) == 1 and sums[0].node == "x"
    parts = [r for r in records if r.node == "x" and r.combine != "sum"]
    assert len(parts) == 2 and all(r.partial for r in parts)
    assert np.allclose(sums[0].value, parts[0].value + parts[1].value)
    s = 1 / (1 + np.exp(-0.3))  # d/dx [x·σ(x)] = σ + x·σ(1 − σ)
    assert np.isclose(x.grad.item(), s + 0.3 * s * (1 - s), rtol=1e-12)


def test_constants_get_no_gradient_and_no_records() -> None:
    x = ad.leaf(np.ones((2, 1)), "x")
    w = ad.leaf(np.ones((1, 2)), "W", requires_grad=True)
    records = ad.backward(ad.sum_(ad.linear(w, x, None, "z"), label="L"))
    assert x.grad is None
    assert all(r.node != "x" for r in records)
