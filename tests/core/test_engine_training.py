"""Training: the fast path's gradients, XOR learning, the tiny-init plateau, divergence."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.engine import LayerSpec, NetworkSpec, TrainConfig, derive, init_layers, predict, train
from tutor.engine.dense import loss_and_gradients
from tutor.engine.training import MAX_EPOCHS

XOR_X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
XOR_T = np.array([[0.0, 1.0, 1.0, 0.0]])


def xor(scale: float, seed: int, loss: str = "half_squared_error") -> NetworkSpec:
    rng = np.random.default_rng(seed)
    layers = init_layers((2, 4, 1), ("sigmoid", "sigmoid"), rng, scale=scale)
    return NetworkSpec(input=XOR_X, target=XOR_T, loss=loss, layers=layers)


def final(spec: NetworkSpec, config: TrainConfig):
    records = list(train(spec, config))
    return records[-1], records


@pytest.mark.parametrize(
    ("loss", "activations", "sizes"),
    [
        ("half_squared_error", ("sigmoid", "sigmoid"), (2, 4, 1)),
        ("squared_error", ("tanh", "relu", "linear"), (3, 5, 4, 2)),
        ("binary_cross_entropy", ("relu", "sigmoid"), (2, 3, 1)),
        ("cross_entropy", ("sigmoid", "linear"), (2, 4, 3)),
    ],
)
def test_fast_path_gradients_equal_the_traced_ones(loss, activations, sizes) -> None:
    rng = np.random.default_rng(5)
    m = 6
    target = rng.uniform(0.1, 0.9, (sizes[-1], m))
    if loss == "cross_entropy":
        target = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)]
    spec = NetworkSpec(
        input=rng.normal(size=(sizes[0], m)),
        target=target,
        loss=loss,
        layers=init_layers(sizes, activations, rng, scale=0.8),
    )
    fast_loss, fast = loss_and_gradients(spec)
    traced = derive(spec)
    assert fast_loss == pytest.approx(traced.loss, rel=1e-12)
    assert set(fast) == set(spec.params())
    for name, grad in fast.items():
        assert np.allclose(grad, traced.gradients[name], rtol=1e-10, atol=1e-14), name


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_xor_learns_with_init_scale_one(seed: int) -> None:
    last, _ = final(xor(1.0, seed), TrainConfig(epochs=5000, lr=1.0))
    assert last.status == "done"
    output = predict(xor(1.0, seed).with_params(last.params))
    assert np.array_equal(np.round(output), XOR_T)
    assert last.loss < 0.02


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_xor_with_tiny_init_stays_on_the_plateau(seed: int) -> None:
    spec = xor(0.01, seed, loss="squared_error")  # mean (y − t)²: the plateau is at 0.25
    last, _ = final(spec, TrainConfig(epochs=5000, lr=1.0, record_every=500))
    output = predict(spec.with_params(last.params))
    assert np.allclose(output, 0.5, atol=1e-3)  # every prediction stuck at 0.5
    assert last.loss == pytest.approx(0.25, abs=1e-4)
    assert max(last.grad_norms) < 1e-5  # stuck, not converged: the gradient is tiny


def test_records_every_n_epochs_and_epoch_zero_is_the_start() -> None:
    spec = xor(1.0, 0)
    records = list(train(spec, TrainConfig(epochs=100, lr=0.5, record_every=25)))
    assert [r.epoch for r in records] == [0, 25, 50, 75, 100]
    assert records[0].loss == pytest.approx(derive(spec).loss, rel=1e-12)
    assert records[-1].status == "done" and records[-1].params is not None
    assert len(records[0].grad_norms) == 2


def test_one_sgd_epoch_is_one_gradient_step() -> None:
    spec = xor(1.0, 3)
    last, _ = final(spec, TrainConfig(epochs=1, lr=0.3))
    grads = derive(spec).gradients
    for name, p in spec.params().items():
        assert np.allclose(last.params[name], p - 0.3 * grads[name], rtol=1e-12)


def test_momentum_and_adam_follow_their_update_rules() -> None:
    spec = xor(1.0, 4)
    g0 = derive(spec).gradients
    two = list(
        train(spec, TrainConfig(epochs=2, lr=0.1, optimizer="momentum", include_params=True))
    )
    after_one = two[1].params
    g1 = derive(spec.with_params(after_one)).gradients
    for name, p in spec.params().items():
        assert np.allclose(after_one[name], p - 0.1 * g0[name])
        assert np.allclose(
            two[-1].params[name], after_one[name] - 0.1 * (0.9 * g0[name] + g1[name])
        )
    adam = list(train(spec, TrainConfig(epochs=1, lr=0.01, optimizer="adam")))[-1].params
    for name, p in spec.params().items():  # Adam's first step moves each entry by lr·sign(g)
        assert np.allclose(adam[name], p - 0.01 * np.sign(g0[name]), atol=1e-6)


def test_divergence_stops_with_a_clear_record() -> None:
    spec = NetworkSpec(
        input=np.array([[1.0, 2.0, 3.0]]),
        target=np.array([[1.0, 2.0, 3.0]]),
        loss="squared_error",
        layers=(LayerSpec(W=np.array([[1.5]]), b=None, activation="linear"),),
    )
    records = list(train(spec, TrainConfig(epochs=10_000, lr=1e6)))
    assert records[-1].status == "diverged"
    assert records[-1].epoch < 10_000
    assert "smaller learning rate" in records[-1].message


@pytest.mark.parametrize(
    "kwargs",
    [{"epochs": 0, "lr": 0.1}, {"epochs": MAX_EPOCHS + 1, "lr": 0.1}, {"epochs": 5, "lr": -1.0},
     {"epochs": 5, "lr": float("nan")}, {"epochs": 5, "lr": 0.1, "optimizer": "rmsprop"}],
)  # fmt: skip
def test_bad_configs_are_refused(kwargs) -> None:
    with pytest.raises(ValueError):
        TrainConfig(**kwargs)


def test_init_schemes_have_their_spread() -> None:
    rng = np.random.default_rng(0)
    (he,) = init_layers((400, 300), ("relu",), rng, scheme="he")
    (xavier,) = init_layers((400, 300), ("tanh",), rng, scheme="xavier")
    (normal,) = init_layers((400, 300), ("tanh",), rng, scale=0.01)
    assert he.W.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert xavier.W.std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    assert normal.W.std() == pytest.approx(0.01, rel=0.02)
    assert np.all(he.b == 0)


def test_constant_init_starts_every_weight_at_the_scale() -> None:
    layers = init_layers(
        (2, 3, 1), ("tanh", "sigmoid"), np.random.default_rng(0), scheme="constant", scale=0.5
    )
    assert all(np.all(layer.W == 0.5) for layer in layers)
    assert all(np.all(layer.b == 0) for layer in layers)


def test_hidden_units_that_start_equal_stay_equal() -> None:
    """Symmetry: identical hidden units get identical gradients, so training never parts them."""
    x = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    t = np.array([[0.0, 1.0, 1.0, 0.0]])

    def trained(scheme: str) -> np.ndarray:
        layers = init_layers(
            (2, 3, 1), ("sigmoid", "sigmoid"), np.random.default_rng(1), scheme=scheme
        )
        spec = NetworkSpec(input=x, target=t, loss="squared_error", layers=layers)
        *_, last = train(spec, TrainConfig(epochs=500, lr=1.0, record_every=500))
        return last.params["W1"]

    equal = trained("constant")
    assert np.allclose(equal, equal[0], rtol=0, atol=1e-12)
    assert not np.allclose(equal, 1.0)  # it did train
    broken = trained("normal")
    assert not np.allclose(broken[0], broken[1])
