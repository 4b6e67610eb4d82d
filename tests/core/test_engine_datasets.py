"""Data sets made in code, mini-batch training and the decision boundary's class map."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tutor.engine import LayerSpec, NetworkSpec, TrainConfig, derive, init_layers, train
from tutor.engine.boundary import Plane, accuracy, class_map, predicted_classes
from tutor.engine.datasets import make_dataset, one_hot, spirals, split
from tutor.formats.spec import SpecError, check_spec, load_spec
from tutor.formats.tomlsource import parse_toml

ROOT = Path(__file__).resolve().parents[2]


def test_spirals_are_seeded_balanced_and_inside_the_unit_disc() -> None:
    x, labels = spirals(4, 50, np.random.default_rng(3))
    again, _ = spirals(4, 50, np.random.default_rng(3))
    other, _ = spirals(4, 50, np.random.default_rng(4))
    assert x.shape == (2, 200)
    assert np.array_equal(x, again) and not np.array_equal(x, other)
    assert np.bincount(labels).tolist() == [50] * 4
    radius = np.hypot(x[0], x[1])
    assert radius.min() == pytest.approx(0.1) and radius.max() == pytest.approx(1.0)


def test_spiral_arms_start_a_quarter_turn_apart_without_noise() -> None:
    x, labels = spirals(4, 10, np.random.default_rng(0), noise=0.0, turns=1.0)
    starts = [np.arctan2(x[1, labels == k][0], x[0, labels == k][0]) for k in range(4)]
    gaps = np.mod(np.diff(starts), 2 * np.pi)
    assert np.allclose(gaps, np.pi / 2)


def test_one_hot_and_split_hold_out_disjoint_examples() -> None:
    t = one_hot(np.array([2, 0, 1]), 3)
    assert t.tolist() == [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    x = np.arange(20.0).reshape(2, 10)
    x_tr, l_tr, x_te, l_te = split(x, np.arange(10), 0.3, np.random.default_rng(0))
    assert x_te.shape == (2, 3) and x_tr.shape == (2, 7)
    assert sorted([*l_tr, *l_te]) == list(range(10))
    assert np.array_equal(x_tr[0], l_tr) and np.array_equal(x_te[1], 10 + l_te)


def test_make_dataset_keeps_test_points_out_of_training() -> None:
    d = make_dataset("spirals", classes=3, points=40, test=0.25, seed=1)
    assert d.x_train.shape == (2, 90) and d.x_test.shape == (2, 30)
    train_points = {tuple(p) for p in d.x_train.T}
    assert not any(tuple(p) in train_points for p in d.x_test.T)
    assert d.t_train.sum(axis=0).tolist() == [1.0] * 90
    assert d.describe() == "3 spirals: 90 training and 30 test points"


def _tiny_net(m: int = 10) -> NetworkSpec:
    rng = np.random.default_rng(0)
    d = make_dataset("spirals", classes=3, points=m, seed=2)
    layers = init_layers((2, 5, 3), ("tanh", "linear"), rng, scheme="xavier")
    return NetworkSpec(d.x_train, d.t_train, "cross_entropy", layers)


def test_one_epoch_of_mini_batches_is_one_step_per_shuffled_batch() -> None:
    """Replayed by hand with the traced engine on each batch's columns."""
    spec = _tiny_net()
    config = TrainConfig(epochs=1, lr=0.5, batch_size=7)
    final = list(train(spec, config, np.random.default_rng(9)))[-1]
    order = np.random.default_rng(9).permutation(spec.examples)
    params = spec.params()
    steps = 0
    for start in range(0, spec.examples, 7):
        columns = order[start : start + 7]
        batch = spec.with_params(params).with_data(spec.input[:, columns], spec.target[:, columns])
        grads = derive(batch).gradients
        params = {k: v - 0.5 * grads[k] for k, v in params.items()}
        steps += 1
    assert steps == 4  # 24 examples in batches of 7: 7, 7, 7, 3
    for name, value in params.items():
        assert np.allclose(final.params[name], value, rtol=1e-10), name


def test_a_batch_as_large_as_the_data_is_full_batch_descent() -> None:
    spec = _tiny_net()
    full = list(train(spec, TrainConfig(epochs=5, lr=0.5)))[-1]
    whole = list(train(spec, TrainConfig(epochs=5, lr=0.5, batch_size=spec.examples)))[-1]
    for name in full.params:
        assert np.array_equal(full.params[name], whole.params[name])


def test_class_map_of_a_known_linear_classifier() -> None:
    """Class 0 where x > 0, class 1 where x < 0: the left half of the grid is class 1."""
    layer = LayerSpec(np.array([[1.0, 0.0], [-1.0, 0.0]]), None, "linear")
    spec = NetworkSpec(np.zeros((2, 1)), np.array([[1.0], [0.0]]), "cross_entropy", (layer,))
    plane = Plane(-1.0, 1.0, -1.0, 1.0)
    grid = class_map(spec, plane, 8, 3)
    assert grid.shape == (3, 8)
    assert (grid[:, :4] == 1).all() and (grid[:, 4:] == 0).all()
    rows, cols = plane.cells_of(np.array([[-0.99, 0.99], [0.99, -0.99]]), 8, 3)
    assert rows.tolist() == [0, 2] and cols.tolist() == [0, 7]
    x = np.array([[0.5, -0.5, 2.0], [0.0, 0.0, 0.0]])
    assert predicted_classes(spec, x).tolist() == [0, 1, 0]
    assert accuracy(spec, x, one_hot(np.array([0, 0, 0]), 2)) == pytest.approx(2 / 3)


def _spirals_run(scheme: str) -> tuple[float, float]:
    spec, settings = load_spec(ROOT / "examples" / "spirals.toml")
    layers = init_layers(
        spec.sizes,
        [layer.activation for layer in spec.layers],
        np.random.default_rng(0),
        scheme=scheme,
    )
    spec = replace(spec, layers=layers)
    config = TrainConfig(
        epochs=settings.epochs, lr=settings.lr, batch_size=settings.batch_size, record_every=50
    )
    last = list(train(spec, config, np.random.default_rng(0)))[-1]
    trained = spec.with_params(last.params)
    assert trained.test_input is not None and trained.test_target is not None
    return accuracy(trained, trained.test_input, trained.test_target), last.loss


def test_spirals_he_init_generalises_and_the_naive_scale_does_not() -> None:
    he_accuracy, he_loss = _spirals_run("he")
    naive_accuracy, naive_loss = _spirals_run("normal")
    assert he_accuracy >= 0.95
    assert naive_accuracy < 0.5  # three classes: about chance
    assert naive_loss > 10 * he_loss


def test_a_data_table_replaces_input_and_target() -> None:
    text = (ROOT / "examples" / "spirals.toml").read_text()
    spec, settings = check_spec(parse_toml(text), "s.toml")
    assert spec.input.shape == (2, 240) and spec.target.shape == (3, 240)
    assert spec.test_input is not None and spec.test_input.shape == (2, 60)
    assert settings.batch_size == 32
    with pytest.raises(SpecError) as both:
        check_spec(parse_toml("input = [[1.0]]\n" + text), "s.toml")
    assert "`input` and [data] both give the examples" in str(both.value)
    with pytest.raises(SpecError) as kind:
        check_spec(parse_toml(text.replace('"spirals"', '"moons"')), "s.toml")
    assert "kind" in str(kind.value) and "spirals" in str(kind.value)
