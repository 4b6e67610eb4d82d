"""``backprop-tutor lesson ID --plain`` end to end: the bundled lesson through a pipe."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.helpers import run_cli

VERDICT = re.compile(r"^[✓✗~?] ", re.MULTILINE)


def test_the_bundled_lesson_as_plain_text(private_home: Path) -> None:
    result = run_cli("lesson", "backprop", "--plain", stdin="abc\n" + "skip\n" * 40)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    prompts = re.findall(r"^\S.*?> (?:abc|skip)$", out, re.MULTILINE)
    assert len(prompts) == 22  # one unreadable answer, then each of the 21 questions skipped
    assert "(Enter: next step" not in out  # no pauses from a pipe
    assert VERDICT.findall(out) == ["? "]  # skips are no verdicts; "abc" was not counted
    assert "Accepted answers" in out
    steps = int(re.search(r"· (\d+) steps\.", out).group(1))  # type: ignore[union-attr]
    assert f"Step {steps} of {steps}" in out and "Forward pass" in out and "Backward pass" in out
    assert "backprop-tutor exercise start" in out
    assert "Gradient check (central differences" in out
    assert "Predictions on the training examples" in out and "Final loss:" in out
    assert "Predictions and questions (21): 21 skipped." in out
    saved = json.loads((private_home / "progress.json").read_text(encoding="utf-8"))
    lesson = saved["lessons"]["backprop"]
    assert len(lesson["finished_steps"]) == steps
    assert len(lesson["predictions"]) + len(lesson["questions"]) == 21


def test_an_unknown_lesson_lists_the_known_ids() -> None:
    result = run_cli("lesson", "nope", "--plain", stdin="")
    assert result.returncode == 2
    assert "no lesson with id 'nope'; known ids: backprop" in result.stderr
