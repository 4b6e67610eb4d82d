"""The wrong computations the checkers use, each against a hand derivation or a known identity."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tutor.engine import derive
from tutor.engine import variants as engine_variants
from tutor.exercises import variants


def network(activation: str = "sigmoid", seed: int = 0, loss: str = "half_squared_error"):
    rng = np.random.default_rng(seed)
    sizes, m = (3, 4, 2), 5
    params = {}
    for i in (1, 2):
        params[f"W{i}"] = rng.normal(size=(sizes[i], sizes[i - 1]))
        params[f"b{i}"] = rng.normal(size=(sizes[i], 1))
    x, t = rng.normal(size=(3, m)), rng.uniform(size=(2, m))
    return variants.network(params, x, t, activation, loss)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def test_leaving_out_a_linear_layers_derivative_changes_nothing() -> None:
    spec = network("linear")
    right, left_out = (
        derive(spec).gradients,
        engine_variants.gradients_with_slopes(spec, {1: "one"}),
    )
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(left_out[name], right[name], rtol=1e-12)


def test_output_derivative_left_out_by_hand() -> None:
    spec = network()
    x, t = spec.input, spec.target
    W1, b1, W2, b2 = (spec.params()[n] for n in ("W1", "b1", "W2", "b2"))
    a1 = sigmoid(W1 @ x + b1)
    y = sigmoid(W2 @ a1 + b2)
    dz2 = (y - t) / x.shape[1]  # σ' left out: dL/dz2 is dL/dy itself
    dz1 = (W2.T @ dz2) * a1 * (1 - a1)
    found = engine_variants.gradients_with_slopes(spec, {2: "one"})
    np.testing.assert_allclose(found["W2"], dz2 @ a1.T, rtol=1e-12)
    np.testing.assert_allclose(found["b2"], dz2.sum(axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(found["W1"], dz1 @ x.T, rtol=1e-12)


def test_the_squared_errors_gradients_are_twice_the_halfs() -> None:
    spec = network()
    right, doubled = (
        derive(spec).gradients,
        engine_variants.gradients_with_loss(spec, "squared_error"),
    )
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(doubled[name], 2 * right[name], rtol=1e-12)


def test_summing_the_examples_is_m_times_the_mean() -> None:
    spec = network()
    right = derive(spec).gradients
    for name in ("W1", "b1", "W2", "b2"):
        summed = engine_variants.summed_over_examples(spec, name)
        np.testing.assert_allclose(summed, spec.examples * right[name], rtol=1e-12)


def test_outputs_without_an_activation_a_bias_and_after_a_step() -> None:
    spec = network()
    x = spec.input
    W1, b1, W2, b2 = (spec.params()[n] for n in ("W1", "b1", "W2", "b2"))
    np.testing.assert_allclose(
        variants.output_without_activation(spec, 2), W2 @ sigmoid(W1 @ x + b1) + b2, rtol=1e-12
    )
    np.testing.assert_allclose(
        variants.output_without_bias(spec, 1), sigmoid(W2 @ sigmoid(W1 @ x) + b2), rtol=1e-12
    )
    g = derive(spec).gradients
    lr = 0.3
    stepped = sigmoid(
        (W2 + lr * g["W2"]) @ sigmoid((W1 + lr * g["W1"]) @ x + b1 + lr * g["b1"])
        + b2
        + lr * g["b2"]
    )
    np.testing.assert_allclose(variants.output_after_step(spec, -lr), stepped, rtol=1e-12)


@pytest.mark.parametrize("slope_one", [False, True])
def test_layer_gradients_against_central_differences(slope_one: bool) -> None:
    rng = np.random.default_rng(3)
    W, b, x, g = (rng.normal(size=s) for s in ((2, 3), (2, 1), (3, 4), (2, 4)))
    found = variants.layer_gradients(W, b, x, g, "sigmoid", slope_one=slope_one)
    if slope_one:  # the derivative left out: dL/dz is the upstream gradient itself
        np.testing.assert_allclose(found["W"], g @ x.T, rtol=1e-12)
        np.testing.assert_allclose(found["x"], W.T @ g, rtol=1e-12)
        return
    values = {"W": W, "b": b, "x": x}
    for name, value in values.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            old = value[index]
            value[index] = old + 1e-6
            plus = np.sum(sigmoid(W @ x + b) * g)
            value[index] = old - 1e-6
            minus = np.sum(sigmoid(W @ x + b) * g)
            value[index] = old
            numeric[index] = (plus - minus) / 2e-6
        np.testing.assert_allclose(found[name], numeric, rtol=1e-6, atol=1e-9)


def test_one_sided_differences_are_close_to_but_not_the_central_ones() -> None:
    spec = replace(network(), loss="squared_error")
    from tutor.engine.gradcheck import numerical_gradients, relative_error

    central, one_sided = numerical_gradients(spec), numerical_gradients(spec, one_sided=True)
    errors = [relative_error(one_sided[n], central[n]) for n in central]
    assert all(1e-9 < e < 1e-3 for e in errors), errors
