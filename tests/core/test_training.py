"""The Textual-free side of training in the tutor: knobs, initialisation, chunks, results."""

from __future__ import annotations

import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tests.helpers import run_verdict
from tutor.engine import NetworkSpec, TrainRecord, init_layers, train
from tutor.engine.training import MAX_EPOCHS
from tutor.formats.spec import load_spec
from tutor.lesson.model import TrainBlock
from tutor.present.lines import Role
from tutor.present.training import predictions_lines, progress_summary
from tutor.store.progress import RunRecord
from tutor.training import (
    CURVE_POINTS,
    UI_MAX_EPOCHS,
    KnobError,
    Knobs,
    RunHistory,
    auto_record_every,
    build_network,
    check_fit,
    coalesce,
    knobs_from_block,
    loss_curve,
    parse_knob,
    past_runs,
    prediction_rows,
    prepare_run,
    run_labels,
)
from tutor.training.axes import ticks, y_range

ROOT = Path(__file__).resolve().parents[2]
XOR_SPEC, _ = load_spec(ROOT / "examples" / "xor.toml")
BLOCK = TrainBlock(network="xor", line=1, epochs=5000, lr=1.0, init_scale=0.01, seed=0)
KNOBS = knobs_from_block(BLOCK, XOR_SPEC)


# ----- knobs -----


@pytest.mark.parametrize(
    ("knob", "text", "reason"),
    [
        ("lr", "abc", "must be a number"),
        ("lr", "-1", "greater than 0"),
        ("lr", "0", "greater than 0"),
        ("lr", "nan", "finite"),
        ("lr", "1e400", "finite"),
        ("lr", "", "empty"),
        ("init_scale", "0", "greater than 0"),
        ("init_scale", "−0.5", "greater than 0"),
        ("epochs", "2.5", "whole number"),
        ("epochs", "0", "from 1"),
        ("epochs", "10000000", f"{UI_MAX_EPOCHS:,}"),
        ("seed", "-3", "from 0"),
        ("hidden", "0", "from 1"),
        ("optimizer", "rmsprop", "unknown optimizer"),
        ("init", "zeros", "unknown init scheme 'zeros': choose normal, xavier, he"),
        ("activation", "softmax", "unknown hidden activation 'softmax': choose sigmoid, tanh"),
    ],
)
def test_bad_knob_values_are_refused_with_a_reason(knob: str, text: str, reason: str) -> None:
    with pytest.raises(KnobError) as caught:
        parse_knob(knob, text)
    assert reason in str(caught.value)
    assert caught.value.knob == knob


def test_epoch_cap_of_the_engine_is_named_when_asked_for() -> None:
    with pytest.raises(KnobError, match=f"{MAX_EPOCHS:,}"):
        parse_knob("epochs", str(MAX_EPOCHS + 1), max_epochs=MAX_EPOCHS)
    assert parse_knob("epochs", str(MAX_EPOCHS), max_epochs=MAX_EPOCHS) == MAX_EPOCHS


@pytest.mark.parametrize(
    ("knob", "text", "value"),
    [
        ("lr", " 0.5 ", 0.5),
        ("lr", "1e6", 1e6),
        ("init_scale", "1.0", 1.0),
        ("epochs", "20,000", 20000),
        ("epochs", "1e4", 10000),
        ("epochs", "5_000", 5000),
        ("seed", "7", 7),
        ("optimizer", "Adam", "adam"),
        ("hidden", "8", 8),
        ("hidden", "", None),
        ("init", "He", "he"),
        ("activation", " ReLU ", "relu"),
        ("activation", "", None),
    ],
)
def test_good_knob_values_are_read(knob: str, text: str, value: object) -> None:
    assert parse_knob(knob, text) == value


def test_block_knobs_take_the_network_hidden_width_by_default() -> None:
    expected = Knobs(
        lr=1.0,
        epochs=5000,
        init="normal",
        init_scale=0.01,
        seed=0,
        optimizer="sgd",
        hidden=4,
        activation="sigmoid",
        loss="half_squared_error",
    )
    assert expected == KNOBS
    assert knobs_from_block(replace(BLOCK, hidden=8), XOR_SPEC).hidden == 8


def test_run_labels_name_the_knob_that_differs() -> None:
    tiny, good = KNOBS, replace(KNOBS, init_scale=1.0)
    assert run_labels([tiny, good]) == ["init 0.01", "init 1.0"]
    assert run_labels([tiny, good, replace(good, lr=2.0)]) == [
        "lr 1.0, init 0.01",
        "lr 1.0, init 1.0",
        "lr 2.0, init 1.0",
    ]
    assert run_labels([tiny, tiny]) == ["lr 1.0, init 0.01", "lr 1.0, init 0.01 #2"]
    assert run_labels([tiny, replace(tiny, optimizer="adam")]) == ["sgd", "adam"]


def test_saved_runs_apply_their_knobs_and_keep_the_start_for_knobs_no_longer_accepted() -> None:
    saved = [
        RunRecord({"init_scale": 1.0, "lr": -5, "bogus": 1}, 0.01, "done"),
        RunRecord({"epochs": 10**9}, None, "diverged"),
    ]
    runs = past_runs(saved, KNOBS)
    assert [r.knobs for r in runs] == [replace(KNOBS, init_scale=1.0), KNOBS]
    assert [(r.final_loss, r.status) for r in runs] == [(0.01, "done"), (None, "diverged")]


# ----- initialisation and config -----


def test_build_network_uses_init_layers_with_the_seed_and_keeps_biases() -> None:
    spec = replace(XOR_SPEC, layers=(XOR_SPEC.layers[0], replace(XOR_SPEC.layers[1], b=None)))
    knobs = replace(KNOBS, seed=5, init_scale=0.3, hidden=3, init="xavier")
    built = build_network(spec, knobs)
    expected = init_layers(
        (2, 3, 1),
        ("sigmoid", "sigmoid"),
        np.random.default_rng(5),
        scheme="xavier",
        scale=0.3,
        bias=[True, False],
    )
    assert built.sizes == (2, 3, 1)
    for got, want in zip(built.layers, expected, strict=True):
        np.testing.assert_array_equal(got.W, want.W)
        assert (got.b is None) == (want.b is None)
    assert built.layers[0].b is not None and not built.layers[0].b.any()
    np.testing.assert_array_equal(built.input, spec.input)
    assert built.loss == spec.loss


def test_activation_knob_changes_the_hidden_layers_only() -> None:
    deep = replace(XOR_SPEC, layers=(XOR_SPEC.layers[0], *XOR_SPEC.layers))
    deep = replace(
        deep, layers=(deep.layers[0], replace(deep.layers[1], W=np.ones((4, 4))), deep.layers[2])
    )
    built = build_network(deep, replace(KNOBS, activation="relu", init="he"))
    assert [layer.activation for layer in built.layers] == ["relu", "relu", "sigmoid"]
    expected = init_layers(
        (2, 4, 4, 1), ("relu", "relu", "sigmoid"), np.random.default_rng(0), scheme="he", scale=0.01
    )
    for got, want in zip(built.layers, expected, strict=True):
        np.testing.assert_array_equal(got.W, want.W)
    kept = build_network(deep, replace(KNOBS, activation=None))
    assert [layer.activation for layer in kept.layers] == ["sigmoid", "sigmoid", "sigmoid"]


def test_hidden_none_keeps_the_widths_and_different_seeds_differ() -> None:
    a = build_network(XOR_SPEC, replace(KNOBS, hidden=None))
    b = build_network(XOR_SPEC, replace(KNOBS, hidden=None, seed=1))
    assert a.sizes == XOR_SPEC.sizes
    assert not np.array_equal(a.layers[0].W, b.layers[0].W)


@pytest.mark.parametrize(("epochs", "every"), [(1, 1), (1000, 1), (1001, 2), (20000, 20)])
def test_auto_record_every_keeps_about_a_thousand_points(epochs: int, every: int) -> None:
    assert auto_record_every(epochs) == every
    assert math.ceil(epochs / every) <= 1000


def test_prepare_run_uses_the_block_record_every_when_given() -> None:
    assert prepare_run(XOR_SPEC, KNOBS, record_every=7).config.record_every == 7
    assert prepare_run(XOR_SPEC, KNOBS).config.record_every == auto_record_every(5000)


# ----- coalescing -----


def _records(n: int, last: str = "done") -> list[TrainRecord]:
    body = [TrainRecord(e, 1.0 / (e + 1), (0.1, 0.2)) for e in range(n)]
    return [*body, TrainRecord(n, 1.0 / (n + 1), (0.1, 0.2), last)]


def test_coalesce_groups_by_time_and_loses_nothing() -> None:
    ticks = iter(i * 0.03 for i in range(1000))  # each record takes 30 ms of fake time
    chunks = list(coalesce(_records(20), 20, interval=0.1, clock=lambda: next(ticks)))
    assert chunks[0].epochs == (0,)  # the first record goes out at once
    assert [e for c in chunks for e in c.epochs] == list(range(21))
    assert all(len(c.epochs) <= 4 for c in chunks)  # 0.1 s / 0.03 s per record
    assert [c.finished for c in chunks] == [False] * (len(chunks) - 1) + [True]
    assert chunks[-1].status == "done" and chunks[-1].seconds_left == 0.0


def test_coalesce_reports_speed_and_time_left() -> None:
    ticks = iter(i * 0.5 for i in range(1000))  # 2 epochs per second
    chunk = next(iter(coalesce(_records(10)[1:], 10, interval=0.0, clock=lambda: next(ticks))))
    assert chunk.epoch == 1 and chunk.elapsed == 0.5
    assert chunk.epochs_per_second == 2.0
    assert chunk.seconds_left == 4.5
    summary = progress_summary(chunk)
    assert "epoch 1 / 10" in summary and "2 epochs/s" in summary


def test_coalesce_stops_when_asked() -> None:
    asked = iter([False, False, True])  # asked once per record: epochs 0, 1, 2
    chunks = list(coalesce(_records(100), 100, interval=1e9, should_stop=lambda: next(asked)))
    assert chunks[-1].status == "stopped"
    assert chunks[-1].epoch == 2
    assert [e for c in chunks for e in c.epochs] == [0, 1, 2]


def test_history_collects_chunks_and_divergence() -> None:
    records = [*_records(3, "running")[:-1], TrainRecord(3, math.inf, (1.0, 1.0), "diverged")]
    history = RunHistory(KNOBS)
    for chunk in coalesce(records, 10, interval=0.0):
        history.add(chunk)
    assert history.epochs == [0, 1, 2, 3]
    assert history.layer_norms(2) == [0.2, 0.2, 0.2, 1.0]
    assert history.final_loss is None and history.diverged_at == 3
    assert history.first_loss == 1.0


# ----- results -----


def _linear_xor(w: list[float], b: float) -> NetworkSpec:
    """One linear unit y = w·x + b on the four XOR inputs."""
    layer = replace(XOR_SPEC.layers[0], W=np.array([w]), b=np.array([[b]]), activation="linear")
    return NetworkSpec(
        input=XOR_SPEC.input,
        target=np.array([[0.0, 1.0, 1.0, 0.0]]),
        loss="half_squared_error",
        layers=(layer,),
    )


def test_prediction_rows_match_a_hand_computed_network() -> None:
    # y = x1 + 0.5·x2 − 0.2: outputs −0.2, 0.3, 0.8, 1.3, rounded 0, 0, 1, 1 vs targets 0, 1, 1, 0.
    rows = prediction_rows(_linear_xor([1.0, 0.5], -0.2))
    assert [r.input for r in rows] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [r.output[0] for r in rows] == pytest.approx([-0.2, 0.3, 0.8, 1.3])
    assert [r.rounded for r in rows] == [(-0.0,), (0.0,), (1.0,), (1.0,)]
    assert [r.correct for r in rows] == [True, False, True, False]
    assert not any(r.undecided for r in rows)


def test_outputs_at_chance_are_undecided_never_right() -> None:
    # y = 0.02·x1 + 0.04·x2 + 0.48: outputs 0.48, 0.52, 0.5, 0.54, all within 0.05 of 0.5,
    # though rounding would make two of them "right" (0.48 → 0 and 0.52 → 1).
    rows = prediction_rows(_linear_xor([0.02, 0.04], 0.48))
    assert [r.output[0] for r in rows] == pytest.approx([0.48, 0.52, 0.5, 0.54])
    assert all(r.undecided and not r.correct and r.rounded == (None,) for r in rows)
    lines = predictions_lines(rows)
    assert [line.text.split()[-2:] for line in lines[2:]] == [["?", "?"]] * 4
    assert all(line.spans[-1].role == Role.UNREADABLE for line in lines[2:])
    # A boundary one step further out (|y − 0.5| = 0.06) decides: 0.44 → 0 and 0.56 → 1.
    decided = prediction_rows(_linear_xor([0.0, 0.12], 0.44))
    assert [r.rounded for r in decided] == [(0.0,), (1.0,), (0.0,), (1.0,)]
    assert [r.correct for r in decided] == [True, True, False, False]


def test_outputs_are_printed_apart() -> None:
    rows = prediction_rows(_linear_xor([1e-5, 0.0], 0.5))  # 0.5, 0.5, 0.50001, 0.50001
    outputs = [line.text.split()[3] for line in predictions_lines(rows)[2:]]  # "x1, x2" first
    assert outputs == ["0.5", "0.5", "0.50001", "0.50001"]


def test_cross_entropy_rows_are_probabilities_and_classes() -> None:
    layer = replace(XOR_SPEC.layers[0], W=np.array([[1.0], [0.0]]), b=None, activation="linear")
    spec = NetworkSpec(
        input=np.array([[2.0, -2.0]]),
        target=np.array([[1.0, 1.0], [0.0, 0.0]]),
        loss="cross_entropy",
        layers=(layer,),
    )
    rows = prediction_rows(spec)
    p = 1 / (1 + math.exp(-2.0))  # softmax of (2, 0) = sigmoid(2) for the first class
    assert rows[0].output == pytest.approx((p, 1 - p))
    assert rows[0].rounded == (1.0, 0.0) and rows[0].correct
    assert rows[1].rounded == (0.0, 1.0) and not rows[1].correct


def _trained(knobs: Knobs) -> tuple[RunHistory, list]:
    run = prepare_run(XOR_SPEC, knobs)
    history = RunHistory(knobs)
    for chunk in coalesce(train(run.network, run.config), knobs.epochs):
        history.add(chunk)
    assert history.params is not None
    return history, prediction_rows(run.network.with_params(history.params))


def _history(losses: list[float], grads: float, status: str = "done") -> RunHistory:
    history = RunHistory(KNOBS)
    history.epochs = list(range(0, 100 * len(losses), 100))
    history.losses = losses
    history.grad_norms = [(grads, grads)] * len(losses)
    history.status = status
    return history


def test_a_loss_that_fell_onto_chance_with_tiny_gradients_is_a_plateau() -> None:
    # The deep sigmoid network: the loss drops from 0.294 to 0.25 (15 %, so not "barely
    # moved"), but every output is at 0.5 and the gradients are 1e-5.
    rows = prediction_rows(_linear_xor([1e-4, 0.0], 0.5))
    text = run_verdict(_history([0.294, 0.26, 0.25], 1e-5), rows)
    assert text.startswith("Stuck on a plateau") and "at chance" in text
    assert "Try more epochs" not in text
    # The same fall with decided outputs and real gradients is an ordinary partial result.
    decided = prediction_rows(_linear_xor([1.0, 0.5], -0.2))  # 2 of 4 right
    assert run_verdict(_history([0.294, 0.26, 0.25], 0.1), decided).startswith("2 of 4")


def test_a_loss_that_barely_moved_with_real_gradients_asks_for_bigger_steps() -> None:
    rows = prediction_rows(_linear_xor([1.0, 0.5], -0.2))
    text = run_verdict(_history([0.25, 0.2499], 0.3), rows)  # 0.04 % change, ‖dL/dW‖ 0.3
    assert text.startswith("The loss barely moved") and "larger learning rate" in text
    assert run_verdict(_history([0.25, 0.2499], 1e-6), rows).startswith("Stuck on a plateau")


def test_tiny_init_is_a_plateau_and_init_one_learns_xor() -> None:
    stuck, stuck_rows = _trained(KNOBS)
    assert stuck.final_loss == pytest.approx(stuck.first_loss, rel=1e-3)
    assert all(abs(r.output[0] - 0.5) < 1e-3 for r in stuck_rows)  # symmetric saddle
    assert run_verdict(stuck, stuck_rows).startswith("Stuck on a plateau")
    assert all(r.undecided for r in stuck_rows)
    learned, rows = _trained(replace(KNOBS, init_scale=1.0))
    assert all(r.correct for r in rows)
    assert learned.final_loss < 0.01
    assert run_verdict(learned, rows).startswith("Learned: all 4 examples right")


def test_trainer_imports_no_textual() -> None:
    code = "import sys, tutor.training; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


# ----- saved curves and axes -----


def test_loss_curve_keeps_ends_and_spikes_within_the_budget() -> None:
    epochs = list(range(20_001))
    losses = [1.0 / (e + 1) for e in epochs]
    losses[12_345] = 50.0  # a one-record spike
    losses[15_000] = math.nan
    curve = loss_curve(epochs, losses)
    assert len(curve) <= CURVE_POINTS
    assert curve[0] == (0, 1.0) and curve[-1] == (20_000, 1.0 / 20_001)
    assert (12_345, 50.0) in curve
    assert all(math.isfinite(loss) for _, loss in curve)
    assert [e for e, _ in curve] == sorted(e for e, _ in curve)
    short = loss_curve([0, 1, 2], [0.5, math.inf, 0.25])
    assert short == [(0, 0.5), (2, 0.25)]


def test_saved_curves_are_restored() -> None:
    saved = [RunRecord({}, 0.2, "done", [(0, 0.25), (10, 0.2)])]
    assert past_runs(saved, KNOBS)[0].curve == ((0, 0.25), (10, 0.2))
    assert past_runs([RunRecord({}, 0.2, "done")], KNOBS)[0].curve == ()  # saved before curves
    history = RunHistory.from_curve(KNOBS, [(0, 0.25), (10, 0.2)], "done")
    assert history.epochs == [0, 10] and history.losses == [0.25, 0.2]
    assert history.final_loss == 0.2 and history.layers == 0


@pytest.mark.parametrize(
    ("values", "log", "from_zero", "expected"),
    [
        ([0.25, 0.25001], False, True, (0.0, 0.25001)),  # a loss: from 0
        ([0.25, 0.25], False, True, (0.0, 0.25)),
        ([0.0, 0.0], False, True, (0.0, 1.0)),
        ([2.0, 2.0], False, False, (1.8, 2.2)),  # at least 20 % of 2, about the middle
        ([-1.0, 3.0], False, True, (-1.0, 3.0)),  # negative values: no zero floor needed
        ([0.1, 1.0], True, False, (0.1, 1.0)),  # already a decade
        ([0.25, 0.25], True, False, (0.25 / 10**0.5, 0.25 * 10**0.5)),  # widened to a decade
    ],
)
def test_y_range_never_magnifies_a_flat_curve(
    values: list[float], log: bool, from_zero: bool, expected: tuple[float, float]
) -> None:
    assert y_range(values, log=log, from_zero=from_zero) == pytest.approx(expected)


def test_epoch_ticks_are_whole_numbers_and_labels_use_the_app_formatter() -> None:
    assert ticks(0, 29, 3, whole=True) == ([0.0, 20.0], ["0", "20"])
    assert ticks(0, 11040, 6, whole=True)[1] == ["0", "2500", "5000", "7500", "10000"]
    assert ticks(0.0123, 0.0456, 5)[1] == ["0.02", "0.03", "0.04"]
    assert ticks(3e-5, 2.0, 5, log=True)[1] == ["0.0001", "0.001", "0.01", "0.1", "1"]
    assert ticks(0.2499, 0.2501, 4)[1] == ["0.2499", "0.25", "0.2501"]
    for low, high, count in [(0, 7_777, 5), (0.013, 97.5, 6), (-2.5, 3.1, 4), (5, 6, 3)]:
        values, _ = ticks(low, high, count)
        step = values[1] - values[0]
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert min(abs(mantissa - m) for m in (1, 2, 2.5, 5, 10)) < 1e-9, (low, high, step)
        assert low <= values[0] and values[-1] <= high and 2 <= len(values) <= count
    assert ticks(0, 1, 6, whole=True)[1] == ["0", "1"]
    assert ticks(0.0, 0.3, 4)[1] == ["0", "0.1", "0.2", "0.3"]
    assert ticks(1e-6, 1e-4, 3, log=True)[1] == ["1e−06", "1e−05", "0.0001"]
    # many decades: powers of ten at round exponents (a diverged run's axis up to the clip)
    assert ticks(1.0, 1e300, 8, log=True)[0] == [10.0**k for k in range(0, 301, 50)]
    assert ticks(1e-3, 1e12, 5, log=True)[0] == [10.0**k for k in range(0, 13, 5)]


def test_the_loss_knob_trains_another_loss_from_the_same_start() -> None:
    bce = replace(KNOBS, loss="binary_cross_entropy")
    assert parse_knob("loss", " Binary_Cross_Entropy ") == "binary_cross_entropy"
    mse_net, bce_net = build_network(XOR_SPEC, KNOBS), build_network(XOR_SPEC, bce)
    assert (mse_net.loss, bce_net.loss) == ("half_squared_error", "binary_cross_entropy")
    for a, b in zip(mse_net.layers, bce_net.layers, strict=True):
        assert np.array_equal(a.W, b.W)  # same seed, same start: only the loss differs
    assert run_labels([KNOBS, bce]) == ["half_squared_error", "binary_cross_entropy"]


def test_a_loss_that_does_not_fit_the_output_is_refused() -> None:
    check_fit(replace(KNOBS, loss="binary_cross_entropy"), XOR_SPEC)  # sigmoid output: fine
    with pytest.raises(KnobError, match='activation must be "linear"'):
        check_fit(replace(KNOBS, loss="cross_entropy"), XOR_SPEC)


def test_constant_init_knob_starts_every_weight_equal() -> None:
    net = build_network(XOR_SPEC, replace(KNOBS, init="constant", init_scale=0.5, seed=3))
    assert all(np.all(layer.W == 0.5) for layer in net.layers)


def test_one_seed_one_initialisation_in_a_train_block_and_in_a_spec_file() -> None:
    # examples/xor.toml: [init] normal, scale 1, seed 0; a block with the same knobs
    block = replace(KNOBS, init="normal", init_scale=1.0, seed=0)
    built = build_network(XOR_SPEC, block)
    for got, want in zip(built.layers, XOR_SPEC.layers, strict=True):
        assert np.array_equal(got.W, want.W) and np.array_equal(got.b, want.b)
    # both are one generator drawn layer after layer: W1 (4 × 2) first, then W2 (1 × 4)
    draws = np.random.default_rng(0).standard_normal(12)
    assert np.array_equal(XOR_SPEC.layers[0].W.ravel(), draws[:8])
    assert np.array_equal(XOR_SPEC.layers[1].W.ravel(), draws[8:])


def test_the_batch_size_knob() -> None:
    from tutor.training.knobs import display_value, parse_knob, run_labels

    assert parse_knob("batch_size", "full") == 0 and parse_knob("batch_size", "32") == 32
    assert display_value("batch_size", 0) == "full" and display_value("batch_size", 1000) == "1,000"
    with pytest.raises(KnobError, match="batch size must be from 0"):
        parse_knob("batch_size", "-1")
    with pytest.raises(KnobError, match="whole number"):
        parse_knob("batch_size", "3.5")
    base = Knobs(0.1, 10, "he", 1.0, 0, "sgd", None, None, "cross_entropy")
    assert base.batch_size == 0
    assert run_labels([replace(base, batch_size=32), base]) == ["batch 32", "batch full"]
