"""Lesson 3.7 end to end in ``lesson --plain``: every step, every block kind, the boundaries."""

from __future__ import annotations

import json
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
    assert out.count("Decision boundary (each region") == 5  # sigmoid, explode, race ×2, spirals
    norms = re.search(r"‖dL/dW_l‖ at epoch 0, layer 1 to 7: (.*)$", out, re.MULTILINE)
    assert norms is not None  # six sigmoid layers: the first gradient is the smallest
    values = [float(v.replace("\u2212", "-")) for v in norms.group(1).split(" · ")]
    assert values[0] < values[-1] / 100
    saved = json.loads((private_home / "progress.json").read_text(encoding="utf-8"))
    assert len(saved["lessons"]["deep"]["finished_steps"]) == steps
