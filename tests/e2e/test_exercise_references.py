"""The bundled exercises' reference solutions pass their checks and their starters do not;
a reference solution that fails is reported at its file.  Each check runs the file in the
sandbox (a child process), so these live beside the other end-to-end tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.exercises.catalog import find_exercise, find_exercises, load_exercise
from tutor.exercises.check import check_file, solution_problems
from tutor.store.locations import bundled_lessons_dir

BUNDLED = bundled_lessons_dir()
IDS = [entry.id for entry in find_exercises([BUNDLED], BUNDLED)]
"""The bundled exercises (``tests/core/test_exercises_catalog.py`` pins the list)."""
STARTS_WITH_A_BUG = {"two-heads"}
"""Exercises whose starter is complete but wrong: the learner finds the bug the check names."""


@pytest.mark.parametrize("exercise_id", IDS)
@pytest.mark.parametrize("seed", [0, 1])
def test_each_reference_solution_passes_and_each_starter_does_not(
    exercise_id: str, seed: int
) -> None:
    exercise = find_exercise(exercise_id, [BUNDLED], BUNDLED).exercise
    assert check_file(exercise, exercise.solution, seed=seed).passed
    starter = check_file(exercise, exercise.starter, seed=seed)
    assert not starter.passed
    if exercise_id in STARTS_WITH_A_BUG:  # the starter runs; a check names its bug
        assert starter.error is None
        assert any(c.diagnosis and not c.passed for c in starter.checks)
    else:
        assert starter.error.startswith("Not written yet")


def test_a_failing_reference_solution_is_a_problem_at_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "exercises" / "sigmoid"
    shutil.copytree(BUNDLED / "exercises" / "sigmoid", folder)
    (folder / "solution.py").write_text(
        "import numpy as np\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
        "def sigmoid_prime(z):\n    return sigmoid(z)\n",
        "utf-8",
    )
    (problem,) = solution_problems(load_exercise(folder).exercise)
    assert problem.path == str(folder / "solution.py")
    assert "check 'sigmoid_prime(z)' fails" in problem.message
    assert "that is σ(z) itself" in problem.message
