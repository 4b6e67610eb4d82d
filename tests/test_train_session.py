"""The Textual-free side of training in the tutor: knobs, initialisation, chunks, results."""

from __future__ import annotations

import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tutor.engine import NetworkSpec, TrainRecord, init_layers, load_spec, train
from tutor.engine.training import MAX_EPOCHS
from tutor.script.model import TrainBlock
from tutor.trainer import (
    UI_MAX_EPOCHS,
    KnobError,
    Knobs,
    RunHistory,
    auto_record_every,
    build_network,
    coalesce,
    knobs_from_block,
    outcome_text,
    parse_knob,
    past_runs,
    prediction_rows,
    prepare_run,
    run_labels,
)

ROOT = Path(__file__).resolve().parent.parent
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


def test_saved_runs_are_read_and_garbage_skipped() -> None:
    saved = [
        {"knobs": {"init_scale": 1.0, "lr": -5, "bogus": 1}, "final_loss": 0.01, "status": "done"},
        "not a run",
        {"knobs": "nope"},
        {"knobs": {"epochs": 10**9}, "final_loss": None, "status": 3},
    ]
    runs = past_runs(saved, KNOBS)
    assert [r.knobs for r in runs] == [replace(KNOBS, init_scale=1.0), KNOBS]
    assert [(r.final_loss, r.status) for r in runs] == [(0.01, "done"), (None, "")]


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
    assert "epoch 1 / 10" in chunk.summary() and "2 epochs/s" in chunk.summary()


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


def test_prediction_rows_match_a_hand_computed_network() -> None:
    # One linear unit y = x1 + x2 − 0.5 on the four XOR inputs: outputs −0.5, 0.5, 0.5, 1.5.
    spec = NetworkSpec(
        input=XOR_SPEC.input,
        target=np.array([[0.0, 1.0, 1.0, 0.0]]),
        loss="half_squared_error",
        layers=(
            replace(
                XOR_SPEC.layers[0],
                W=np.array([[1.0, 1.0]]),
                b=np.array([[-0.5]]),
                activation="linear",
            ),
        ),
    )
    rows = prediction_rows(spec)
    assert [r.input for r in rows] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [r.output for r in rows] == [(-0.5,), (0.5,), (0.5,), (1.5,)]
    assert [r.rounded for r in rows] == [(-0.0,), (0.0,), (0.0,), (2.0,)]  # half to even
    assert [r.correct for r in rows] == [True, False, False, False]


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


def test_tiny_init_is_a_plateau_and_init_one_learns_xor() -> None:
    stuck, stuck_rows = _trained(KNOBS)
    assert stuck.final_loss == pytest.approx(stuck.first_loss, rel=1e-3)
    assert all(abs(r.output[0] - 0.5) < 1e-3 for r in stuck_rows)  # symmetric saddle
    assert "plateau" in outcome_text(stuck, stuck_rows)
    learned, rows = _trained(replace(KNOBS, init_scale=1.0))
    assert all(r.correct for r in rows)
    assert learned.final_loss < 0.01
    assert outcome_text(learned, rows).startswith("Learned: all 4 examples right")


def test_trainer_imports_no_textual() -> None:
    code = "import sys, tutor.trainer; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
