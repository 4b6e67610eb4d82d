"""Training verdicts read the run: what changed from the block, and saturation only where it can be.

The runs are real: the bundled lesson's train blocks, trained by the engine with one
knob turned, as a learner turns it.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.helpers import run_verdict
from tutor.engine import train
from tutor.lesson.catalog import load_catalog
from tutor.lesson.model import TrainBlock
from tutor.present.run_verdict import verdict_text
from tutor.store.locations import lesson_dirs
from tutor.training import (
    RunHistory,
    coalesce,
    knobs_from_block,
    prediction_rows,
    prepare_run,
)
from tutor.training.results import (
    Blame,
    RunOutcome,
    RunVerdict,
    changed_knobs,
    saturates,
)


@pytest.fixture(scope="module")
def lesson():
    (entry,) = [e for e in load_catalog(lesson_dirs()) if e.lesson and e.lesson.id == "backprop"]
    return entry.lesson


def block_of(lesson, network: str) -> TrainBlock:
    """The lesson's train block on ``network``."""
    blocks = [p for step in lesson.steps for p in step.parts if isinstance(p, TrainBlock)]
    return next(block for block in blocks if block.network == network)


def run_block(lesson, network: str, **changes) -> tuple[str, RunHistory]:
    """The block's run with ``changes`` to its knobs; its verdict and history."""
    block = next(
        p
        for s in lesson.steps
        for p in s.parts
        if isinstance(p, TrainBlock) and p.network == network
    )
    spec = lesson.network(network)
    defaults = knobs_from_block(block, spec)
    run = prepare_run(spec, replace(defaults, **changes))
    history = RunHistory(run.knobs)
    for chunk in coalesce(train(run.network, run.config), run.config.epochs):
        history.add(chunk)
    rows = None
    if history.params is not None:
        rows = prediction_rows(run.network.with_params(history.params))
    return run_verdict(history, rows, network=run.network, defaults=defaults), history


def test_a_linear_model_at_a_large_lr_is_not_said_to_saturate(lesson):
    text, history = run_block(lesson, "slope", lr=2.5)
    # y = w·x with x = 1: each step multiplies the distance to the minimum by |1 − 2.5| = 1.5
    assert history.losses[-1] > history.losses[0] * 1.5 ** (2 * 40)
    assert text.startswith("The loss got worse")
    assert "saturation" not in text and "learning rate 0.1 → 2.5" in text


def test_saturation_is_said_only_of_networks_with_sigmoid_or_tanh_units(lesson):
    worse = RunHistory(epochs=[0, 10], losses=[0.1, 0.4], grad_norms=[(0.1,), (0.2,)])
    worse.status = "done"
    sigmoid = run_verdict(worse, network=lesson.network("tiny"))
    linear = run_verdict(worse, network=lesson.network("slope"))
    assert sigmoid.startswith("The loss got worse") and "saturation" in sigmoid
    assert linear.startswith("The loss got worse") and "saturation" not in linear


def test_a_relu_net_blown_up_by_its_init_scale_is_told_so(lesson):
    text, history = run_block(lesson, "deep-relu", init_scale=3.0)
    assert history.status == "diverged"
    assert "init scale 1.0 → 3.0" in text and "starting weights" in text
    assert "smaller learning rate" not in text  # the lr was not changed


def test_changed_knobs_and_saturating_units(lesson):
    spec = lesson.network("deep-relu")
    block = next(
        p
        for s in lesson.steps
        for p in s.parts
        if isinstance(p, TrainBlock) and p.network == "deep-relu"
    )
    base = knobs_from_block(block, spec)
    assert changed_knobs(base, base) == ()
    changed = replace(base, lr=0.5, hidden=16)
    assert changed_knobs(changed, base) == ("lr", "hidden")
    verdict = RunVerdict(
        RunOutcome.DIVERGED,
        epoch=7,
        blame=Blame.LARGER_LR,
        changed=("lr", "hidden"),
        knobs=changed,
        defaults=base,
    )
    assert "this run changed learning rate 0.1 → 0.5 and hidden width 8 → 16. " in (
        verdict_text(verdict)
    )
    assert not saturates(spec) and saturates(lesson.network("tiny")) and not saturates(None)
