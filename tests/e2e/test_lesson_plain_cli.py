"""``backprop-tutor lesson ID --plain`` end to end: the bundled lesson through a pipe."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

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
    predicted = sum(len(block) for block in lesson["predictions"].values())
    assert predicted + len(lesson["questions"]) == 21


def test_an_unknown_lesson_lists_the_lessons_in_order() -> None:
    result = run_cli("lesson", "nope", "--plain", stdin="")
    assert result.returncode == 2
    assert (
        "no lesson 'nope'; the lessons are: 3.4 backprop, 3.5 classification, 3.6 paths, 3.7 deep"
        in result.stderr
    )


def test_a_lesson_is_named_by_its_number_too(tmp_path: Path) -> None:
    homes = [tmp_path / "by-number", tmp_path / "by-id"]
    by_number, by_id = (
        run_cli("lesson", key, "--plain", stdin="", env={"BACKPROP_TUTOR_HOME": str(home)})
        for key, home in zip(("3.6", "paths"), homes, strict=True)
    )
    assert by_number.returncode == by_id.returncode == 0, by_number.stderr
    assert by_number.stdout == by_id.stdout
    assert "Where paths meet" in by_number.stdout


def asked_in(lesson_id: str) -> int:
    """The predictions and questions of a bundled lesson, counted from the lesson itself."""
    from tutor.lesson.catalog import load_lesson
    from tutor.lesson.model import DeriveBlock, QuizBlock
    from tutor.store.locations import bundled_lessons_dir

    entry, _ = load_lesson(bundled_lessons_dir() / f"{lesson_id}.md")
    assert entry.lesson is not None
    blocks = [b for step in entry.lesson.steps for b in step.blocks]
    derives = sum(len(b.predict) for b in blocks if isinstance(b, DeriveBlock))
    return derives + sum(isinstance(b, QuizBlock) for b in blocks)


@pytest.mark.parametrize(
    ("lesson_id", "shown"),
    [
        ("classification", "exercise start softmax-cross-entropy"),
        ("paths", "exercise start two-heads"),
    ],
)
def test_a_new_lesson_as_plain_text(private_home: Path, lesson_id: str, shown: str) -> None:
    asked = asked_in(lesson_id)
    result = run_cli("lesson", lesson_id, "--plain", stdin="skip\n" * 40)
    out = result.stdout
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert len(re.findall(r"^\S.*?> skip$", out, re.MULTILINE)) == asked >= 7
    steps = int(re.search(r"· (\d+) steps\.", out).group(1))  # type: ignore[union-attr]
    assert steps >= 15 and f"Step {steps} of {steps}" in out
    assert "entry by entry, one product per path:" in out  # gradients add, in every lesson
    assert "Gradient check (central differences" in out and "Final loss:" in out
    assert shown in out
    if lesson_id == "paths":  # the twins stay equal; random weights part them
        assert out.count("Trained parameters, one line per unit:") == 2
    assert f"Predictions and questions ({asked}): {asked} skipped." in out
    saved = json.loads((private_home / "progress.json").read_text(encoding="utf-8"))
    assert len(saved["lessons"][lesson_id]["finished_steps"]) == steps


def test_lesson_3_5_quotes_what_solve_really_says_about_a_bad_target(tmp_path: Path) -> None:
    """The lesson's example spec run through `solve` prints the message the lesson shows."""
    from tutor.store.locations import bundled_lessons_dir

    text = (bundled_lessons_dir() / "classification.md").read_text(encoding="utf-8")
    step = text.split("## Targets must be distributions", 1)[1].split("\n## ", 1)[0]
    spec = step.split("```toml\n", 1)[1].split("```", 1)[0]
    quoted = step.split("```text\n", 1)[1].split("\n```", 1)[0]
    path = tmp_path / "bad.toml"
    path.write_text(spec, encoding="utf-8")
    result = run_cli("solve", str(path))
    assert result.returncode == 2 and result.stdout == ""
    said = (
        result.stderr.strip()
        .removeprefix("backprop-tutor solve: ")
        .replace(str(tmp_path) + "/", "")
    )
    assert said == quoted
