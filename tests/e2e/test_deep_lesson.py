"""Lesson 3.7 end to end in ``lesson --plain``: every step, every block kind, the boundaries."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from tests.helpers import run_cli

ACCURACY = re.compile(r"^train accuracy ([\d.]+) % · test accuracy ([\d.]+) %$", re.MULTILINE)


def test_lesson_3_7_as_plain_text(private_home: Path) -> None:
    result = run_cli("lesson", "deep", "--plain", stdin="skip\n" * 40)
    out = result.stdout
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    steps = int(re.search(r"· (\d+) steps\.", out).group(1))  # type: ignore[union-attr]
    assert steps >= 15 and f"Step {steps} of {steps}" in out
    assert "Backward pass" in out and "Gradient check (central differences" in out
    assert "exercise start deep-network" in out and "Network loop:" in out
    assert "ReLU′(0) = 0 by convention" in out
    # The race on the deep ReLU network: naive N(0, 1) weights, then He, each with its picture.
    race = out[out.index("Run: normal") :]
    naive, he = (float(test) / 100 for _, test in ACCURACY.findall(race)[:2])
    assert he >= 0.95 and naive < 0.5
    # sigmoid, explode, the init race ×2, the batch race ×2, spirals
    assert out.count("Decision boundary (each region") == 7
    norms = re.search(r"‖dL/dW_l‖ at epoch 0, layer 1 to 7: (.*)$", out, re.MULTILINE)
    assert norms is not None  # six sigmoid layers: the first gradient is the smallest
    values = [float(v.replace("\u2212", "-")) for v in norms.group(1).split(" · ")]
    assert values[0] < values[-1] / 100
    saved = json.loads((private_home / "progress.json").read_text(encoding="utf-8"))
    assert len(saved["lessons"]["deep"]["finished_steps"]) == steps


def test_what_the_prose_of_3_7_says_about_its_runs() -> None:
    """The claims the lesson's words make about its train blocks, checked on the engine."""
    from dataclasses import replace

    from tutor.engine import train
    from tutor.engine.boundary import accuracy
    from tutor.lesson.catalog import load_lesson
    from tutor.lesson.model import TrainBlock
    from tutor.store.locations import bundled_lessons_dir
    from tutor.training import knobs_from_block, prepare_run

    entry, _ = load_lesson(bundled_lessons_dir() / "deep.md")
    assert entry.lesson is not None
    lesson = entry.lesson
    blocks = [b for step in lesson.steps for b in step.blocks if isinstance(b, TrainBlock)]

    def run(block: TrainBlock, **changes: object) -> tuple[float, float, float]:
        spec = lesson.network(block.network)
        prepared = prepare_run(spec, replace(knobs_from_block(block, spec), **changes))
        records = list(train(prepared.network, prepared.config))
        trained = prepared.network.with_params(records[-1].params)
        assert trained.test_input is not None and trained.test_target is not None
        test = accuracy(trained, trained.test_input, trained.test_target)
        return records[0].loss, records[-1].loss, test

    explode = next(b for b in blocks if b.network == "deep-relu" and not b.compare)
    chance = math.log(3)
    for scale in (1.0, 0.01):  # "Neither learns the spirals"
        _, final, test = run(explode, init_scale=scale)
        assert abs(final - chance) < 0.01 and test < 0.5
    assert run(explode, init_scale=0.1)[2] >= 0.9  # "Somewhere between the two … (try 0.1)"
    race = next(b for b in blocks if b.network == "deep-relu" and b.compare)
    assert "init" in race.knobs

    def start_norms(**changes: object) -> tuple[float, ...]:
        spec = lesson.network(race.network)
        prepared = prepare_run(spec, replace(knobs_from_block(race, spec), **changes))
        return next(iter(train(prepared.network, prepared.config))).grad_norms

    assert run(race, init="xavier")[2] >= 0.9  # "Xavier learns the spirals too"
    xavier, he = start_norms(init="xavier"), start_norms(init="he")
    assert all(x < h for x, h in zip(xavier, he, strict=True))  # "every layer's … smaller"
    batches = next(b for b in blocks if b.network == "spirals" and b.compare)
    assert dict(batches.compare) == {"batch_size": 0} and batches.batch_size > 0
    mini, full = run(batches), run(batches, batch_size=0)  # "far ahead … same passes"
    assert mini[1] < full[1] / 10 and mini[2] > full[2] + 0.1
    spirals = next(b for b in blocks if b.network == "spirals" and not b.compare)
    assert run(spirals)[2] >= 0.95
    assert run(spirals, hidden=4)[2] < run(spirals)[2] - 0.1  # "too simple to follow the arms"
