"""The lesson block ``exercise``: its keys, its files beside the lesson, and validate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.lesson.catalog import load_lesson
from tutor.lesson.model import ExerciseBlock
from tutor.store.locations import bundled_lessons_dir

LESSON = """+++
id = "code"
title = "Code"
+++

## Write it

```exercise
id = "{id}"
{more}
```
"""


def lesson(tmp_path: Path, exercise_id: str = "sigmoid", more: str = "") -> Path:
    path = tmp_path / "code.md"
    path.write_text(LESSON.replace("{id}", exercise_id).replace("{more}", more), "utf-8")
    return path


def copy_exercise(tmp_path: Path, name: str = "sigmoid") -> Path:
    folder = tmp_path / "exercises" / name
    shutil.copytree(bundled_lessons_dir() / "exercises" / name, folder)
    return folder


def test_an_exercise_block_names_an_exercise_beside_the_lesson(tmp_path: Path) -> None:
    copy_exercise(tmp_path)
    entry, _ = load_lesson(lesson(tmp_path, more='caption = "Try it"'))
    assert entry.problems == ()
    (block,) = entry.lesson.steps[0].blocks
    assert block == ExerciseBlock("sigmoid", 8, "Try it")


def test_a_missing_exercise_and_bad_keys_are_reported_at_their_lines(tmp_path: Path) -> None:
    entry, _ = load_lesson(lesson(tmp_path, more='captoin = "x"'))
    messages = [str(p) for p in entry.problems]
    assert any(
        m.endswith("code.md:10: exercise block: unknown key `captoin`; did you mean `caption`?")
        for m in messages
    )
    assert any(":9: " in m and 'exercise "sigmoid": no ' in m for m in messages)
    bad_id, _ = load_lesson(lesson(tmp_path, exercise_id="Not An Id"))
    assert any("lowercase letters, digits and single dashes" in str(p) for p in bad_id.problems)


def test_validate_runs_the_reference_solution_only_when_asked(tmp_path: Path) -> None:
    folder = copy_exercise(tmp_path)
    (folder / "solution.py").write_text("def sigmoid(z):\n    return z\n", "utf-8")
    path = lesson(tmp_path)
    assert load_lesson(path)[0].problems == ()
    (problem,) = load_lesson(path, run_solutions=True)[0].problems
    assert problem.path == str(folder / "solution.py")
    assert "defines no function `sigmoid_prime`" in problem.message


@pytest.mark.parametrize(
    ("lesson", "exercises"),
    [
        ("backprop", ["sigmoid", "dense-layer", "walkthrough", "three-layer", "gradcheck"]),
        ("classification", ["softmax-cross-entropy"]),  # softmax is taught in lesson 3.5
        ("paths", ["two-heads"]),
    ],
)
def test_the_bundled_lessons_use_every_exercise(lesson: str, exercises: list[str]) -> None:
    entry, _ = load_lesson(bundled_lessons_dir() / f"{lesson}.md", run_solutions=True)
    assert entry.problems == ()
    used = [
        b.exercise for s in entry.lesson.steps for b in s.blocks if isinstance(b, ExerciseBlock)
    ]
    assert used == exercises
