"""A train block's race and verdicts that read the run as its lesson does.

Runs are real engine runs of the bundled lessons' blocks: the 3.5 race (squared error
against binary cross-entropy from one saturated start) and the 3.6 twins (two hidden
units started equal).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.helpers import run_verdict
from tutor.engine import train
from tutor.lesson.catalog import load_catalog
from tutor.lesson.model import TrainBlock
from tutor.lesson.parser import parse_lesson_text
from tutor.lesson.validate import validate_lesson
from tutor.plain.train_block import train_lines
from tutor.present.lines import plain_text
from tutor.present.training import race_lines
from tutor.store.locations import lesson_dirs
from tutor.training import (
    RunHistory,
    coalesce,
    editable_knobs,
    knobs_from_block,
    prediction_rows,
    prepare_run,
    race,
)
from tutor.training.results import RunOutcome, judge_run, symmetric_layers


@pytest.fixture(scope="module")
def lessons():
    return {e.lesson.id: e.lesson for e in load_catalog(lesson_dirs()) if e.lesson}


def train_block(lesson, index: int) -> TrainBlock:
    blocks = [p for step in lesson.steps for p in step.parts if isinstance(p, TrainBlock)]
    return blocks[index]


def run(lesson, block: TrainBlock, knobs=None) -> tuple[RunHistory, object]:
    spec = lesson.network(block.network)
    prepared = prepare_run(spec, knobs or knobs_from_block(block, spec))
    history = RunHistory(prepared.knobs)
    for chunk in coalesce(train(prepared.network, prepared.config), prepared.config.epochs):
        history.add(chunk)
    return history, prepared


def test_hidden_units_with_equal_weights_are_found_and_a_difference_breaks_it() -> None:
    spec = parse_lesson_text(TWINS_LESSON, Path("twins.md")).lesson.network("twins")
    params = {
        "W1": np.array([[0.3, -0.2], [0.3, -0.2]]),
        "b1": np.array([[0.1], [0.1]]),
        "W2": np.array([[0.7, 0.7]]),
    }
    assert symmetric_layers(params, spec) == [1]
    for name, index in (("W1", (1, 0)), ("b1", (0, 0)), ("W2", (0, 1))):
        broken = {k: v.copy() for k, v in params.items()}
        broken[name][index] += 1e-6
        assert symmetric_layers(broken, spec) == [], name


def test_the_constant_start_of_lesson_3_6_is_named_as_symmetry_and_only_offered_knobs_suggested(
    lessons,
) -> None:
    lesson = lessons["paths"]
    block = train_block(lesson, 0)
    assert block.init == "constant"
    history, prepared = run(lesson, block)
    spec = lesson.network(block.network)
    rows = prediction_rows(prepared.network.with_params(history.params))
    assert not all(row.correct for row in rows)  # the twins cannot learn XOR
    judged = judge_run(
        history, rows, network=prepared.network, offered=editable_knobs(block, spec),
        params=history.params,
    )  # fmt: skip
    assert judged.outcome == RunOutcome.SYMMETRIC and judged.symmetric == (1,)
    text = run_verdict(
        history,
        rows,
        network=prepared.network,
        offered=editable_knobs(block, spec),
        params=history.params,
    )
    assert text.startswith("The hidden units stayed identical: every unit of layer 1")
    assert "random init scheme" in text  # `init` is one of the block's knobs
    assert "learning rate" not in text and "more epochs" not in text.replace("length", "")
    # The same run with no knob offered suggests nothing at all.
    bare = run_verdict(history, rows, network=prepared.network, offered=(), params=history.params)
    assert "Try" not in bare


def test_a_random_start_of_the_twins_is_not_called_symmetric(lessons) -> None:
    lesson = lessons["paths"]
    history, prepared = run(lesson, train_block(lesson, 1))
    assert symmetric_layers(history.params, prepared.network) == []


def test_a_verdict_suggests_no_knob_the_step_does_not_offer() -> None:
    stuck = RunHistory(epochs=[0, 100], losses=[0.25, 0.2499], grad_norms=[(1e-5,), (1e-5,)])
    stuck.status = "done"
    assert "another seed" in run_verdict(stuck, offered=("seed",))
    assert "init scale" not in run_verdict(stuck, offered=("seed",))
    assert "Try" not in run_verdict(stuck, offered=())
    slow = RunHistory(epochs=[0, 100], losses=[0.25, 0.2499], grad_norms=[(0.3,), (0.3,)])
    slow.status = "done"
    assert run_verdict(slow, offered=("epochs",)).endswith("Try more epochs.")


def test_the_race_block_trains_both_losses_from_one_start(lessons) -> None:
    lesson = lessons["classification"]
    block = train_block(lesson, 0)
    assert block.scale == "log"
    spec = lesson.network(block.network)
    first, second = race(knobs_from_block(block, spec), block.compare)
    assert (first.loss, second.loss) == ("half_squared_error", "binary_cross_entropy")
    squared, _ = run(lesson, block, first)
    entropy, _ = run(lesson, block, second)
    # One saturated start: w = 5 and b = 0, so z = 5·x at x = 1, 2, −1, −2, each the wrong way.
    y = 1 / (1 + np.exp(-5 * np.array([1.0, 2.0, -1.0, -2.0])))
    t = np.array([0.0, 0.0, 1.0, 1.0])
    assert squared.losses[0] == pytest.approx(np.mean(0.5 * (y - t) ** 2), rel=1e-12)
    assert entropy.losses[0] == pytest.approx(
        np.mean(-(t * np.log(y) + (1 - t) * np.log(1 - y))), rel=1e-9
    )
    # The point of the race: a shelf for squared error while cross-entropy has fallen far.
    fifth = squared.epochs.index(120)
    assert squared.losses[fifth] > 0.95 * squared.losses[0]
    assert entropy.losses[fifth] < 0.01 * entropy.losses[0]


def test_a_race_table_shows_each_runs_loss_at_shared_epochs() -> None:
    a = RunHistory(epochs=[0, 10, 20, 30], losses=[1.0, 0.5, 0.25, 0.125])
    b = RunHistory(epochs=[0, 10, 20, 30], losses=[2.0, 1.5, 1.25, 1.0])
    lines = [line.text for line in race_lines([a, b], ["lr 1.0", "lr 2.0"])]
    assert lines[0].split() == ["epoch", "lr", "1.0", "lr", "2.0"]
    assert [line.split() for line in lines[1:]] == [
        ["0", "1", "2"],
        ["10", "0.5", "1.5"],
        ["20", "0.25", "1.25"],
        ["30", "0.125", "1"],
    ]


def test_plain_draws_both_runners_of_the_race(lessons) -> None:
    lesson = lessons["classification"]
    block = next(
        p for s in lesson.steps for p in s.parts if isinstance(p, TrainBlock) and p.compare
    )
    text = plain_text(train_lines(block, lesson))
    assert "Run: half_squared_error" in text and "Run: binary_cross_entropy" in text
    assert "Loss, log scale" in text
    assert "** half_squared_error" in text and "oo binary_cross_entropy" in text
    assert text.count("Learned: all 4 examples right") == 2
    assert "half_squared_error: Learned" in text and "binary_cross_entropy: Learned" in text


def test_compare_is_checked_like_the_blocks_own_knobs() -> None:
    bad = TWINS_LESSON.replace(
        'knobs = ["init"]', 'compare = { lrate = 2.0, loss = "cross_entropy" }'
    )
    parsed = parse_lesson_text(bad, Path("twins.md"))
    messages = [p.message for p in validate_lesson(parsed)]
    assert any("unknown key `lrate`" in m and "lr" in m for m in messages), messages
    assert any("cross_entropy" in m for m in messages), messages


TWINS_LESSON = """+++
id = "twins"
title = "Twins"
+++

## Twins

```network
id = "twins"
input = [[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]]
target = [[0.0, 1.0, 1.0, 0.0]]
loss = "half_squared_error"

[[layers]]
W = [[0.5, 0.5], [0.5, 0.5]]
b = [[0.0], [0.0]]
activation = "sigmoid"

[[layers]]
W = [[0.5, 0.5]]
activation = "sigmoid"
```

```train
network = "twins"
init = "constant"
knobs = ["init"]
```
"""
