"""The deliberately wrong deep backward passes agree with the engine where they should."""

from __future__ import annotations

import numpy as np

from tutor.engine import LayerSpec, NetworkSpec, derive
from tutor.engine.deep_variants import gradients_with_mistake, softmax_probabilities


def _case(hidden: str) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, NetworkSpec]:
    rng = np.random.default_rng(1)
    sizes = (3, 4, 4, 2)
    params = {}
    for i in range(1, 4):
        params[f"W{i}"] = rng.normal(size=(sizes[i], sizes[i - 1]))
        params[f"b{i}"] = rng.normal(size=(sizes[i], 1))
    x = rng.normal(size=(3, 5))
    t = np.eye(2)[:, [0, 1, 1, 0, 1]]
    layers = tuple(
        LayerSpec(params[f"W{i}"], params[f"b{i}"], hidden if i < 3 else "linear")
        for i in range(1, 4)
    )
    return params, x, t, NetworkSpec(x, t, "cross_entropy", layers)


def test_without_a_mistake_it_is_the_engine() -> None:
    for hidden in ("relu", "tanh"):
        params, x, t, spec = _case(hidden)
        right = derive(spec).gradients
        for name, grad in gradients_with_mistake(params, x, t, hidden).items():
            assert np.allclose(grad, right[name], rtol=1e-12), (hidden, name)


def test_each_mistake_changes_what_it_should() -> None:
    params, x, t, spec = _case("relu")
    right = derive(spec).gradients
    assert np.allclose(
        gradients_with_mistake(params, x, t, "relu", "no_mean")["W2"], 5 * right["W2"]
    )
    bias = gradients_with_mistake(params, x, t, "relu", "bias_not_summed")
    assert bias["b3"].shape == (2, 5) and np.allclose(bias["b3"], right["z3"])
    assert set(gradients_with_mistake(params, x, t, "relu", "first_layer_skipped")) == {
        "W3",
        "b3",
        "W2",
        "b2",
    }
    assert set(gradients_with_mistake(params, x, t, "relu", "dict_per_layer")) == {"W1", "b1"}
    own = gradients_with_mistake(params, x, t, "relu", "own_output")
    a2 = np.maximum(derive(spec).values["z2"], 0)
    assert np.allclose(own["W2"], right["z2"] @ a2.T)  # layer 2's own output, 4 × 4
    assert np.allclose(own["W3"], right["W3"])
    a1 = np.maximum(derive(spec).values["z1"], 0)
    assert own["W1"].shape == (a1.shape[0],) * 2 != right["W1"].shape  # named by its shape
    assert np.allclose(own["W1"], right["z1"] @ a1.T)
    flipped = gradients_with_mistake(params, x, t, "relu", "not_transposed")
    assert np.allclose(flipped["W3"], right["W3"])  # the output layer's W is not square
    assert not np.allclose(flipped["W1"], right["W1"])  # W2 is square: W2·dL/dz2 goes back


def test_an_unstabilised_softmax_overflows_where_the_engine_does_not() -> None:
    params, x, _, _ = _case("relu")
    params = {**params, "b3": params["b3"] + np.array([[2000.0], [0.0]])}
    unstable = softmax_probabilities(params, x, "relu", stable=False)[0]
    stable = softmax_probabilities(params, x, "relu")[0]
    assert not np.all(np.isfinite(unstable))
    assert np.allclose(stable, np.eye(2)[:, [0] * 5])
