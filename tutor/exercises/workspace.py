"""The learner's own copies of exercise starters, in the workspace.

The workspace is ``<data dir>/exercises/`` unless another directory is given.
Each exercise has its own folder in it, named after its lesson directory and its
id (:attr:`~tutor.exercises.model.Exercise.namespace`): a lesson from elsewhere
cannot name a file another exercise runs.  Provides :func:`workspace_dir`,
:func:`copy_path`, :func:`learner_file` and :func:`status` (new, started or
solved), :func:`start` (copy the starter on first use, never over an existing
file), :func:`reset` (keep the learner's file under a new name, then copy the
starter again) and :func:`migrate` (a bundled exercise's file from where earlier
versions kept it, straight in the workspace, into its folder).
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

from tutor.exercises.model import Exercise
from tutor.store.locations import data_dir
from tutor.store.progress import ExerciseProgress

WORKSPACE = "exercises"


def workspace_dir(directory: Path | None = None) -> Path:
    """The directory the learner's copies live in."""
    return Path(directory).expanduser() if directory is not None else data_dir() / WORKSPACE


def copy_path(exercise: Exercise, directory: Path | None = None) -> Path:
    """Where the learner's copy of ``exercise`` is (or would be) in the workspace."""
    return workspace_dir(directory) / exercise.namespace / exercise.copy_name


def learner_file(exercise: Exercise, state: ExerciseProgress) -> Path:
    """The learner's file: where ``start`` put it, else the default workspace copy."""
    return Path(state.path) if state.path else copy_path(exercise)


def migrate(exercise: Exercise, state: ExerciseProgress, directory: Path | None = None) -> bool:
    """Move a bundled exercise's file from the workspace's top into its folder; True if moved.

    Earlier versions kept ``<workspace>/sigmoid.py``; only that file, when the
    learner's progress points at it (or at nothing), moves, and never over a file.
    """
    if not exercise.bundled:
        return False
    old = workspace_dir(directory) / exercise.copy_name
    new = copy_path(exercise, directory)
    moved_on = bool(state.path) and Path(state.path).resolve() != old.resolve()
    if moved_on or not old.is_file() or new.exists():
        return False
    new.parent.mkdir(parents=True, exist_ok=True)
    os.replace(old, new)
    state.path = str(new)
    return True


def status(exercise: Exercise, state: ExerciseProgress) -> str:
    """``solved``, ``started`` (the learner's file exists) or ``new``."""
    if state.solved:
        return "solved"
    return "started" if learner_file(exercise, state).exists() else "new"


def start(exercise: Exercise, directory: Path | None = None) -> tuple[Path, bool]:
    """The learner's copy, made from the starter if it does not exist; and whether it was made.

    Raises ``OSError`` if the workspace cannot be written.
    """
    path = copy_path(exercise, directory)
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    text = exercise.starter.read_bytes()
    with path.open("xb") as handle:  # never over a file that appeared meanwhile
        handle.write(text)
    return path, True


def reset(exercise: Exercise, path: Path) -> Path | None:
    """Move the learner's file at ``path`` aside, then copy the starter there again.

    Returns where the old file was kept (None if there was none).  Raises ``OSError``.
    """
    kept = None
    if path.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = path.with_name(f"{path.name}.{stamp}.bak")
        n = 1
        while kept.exists():
            kept = path.with_name(f"{path.name}.{stamp}-{n}.bak")
            n += 1
        shutil.copy2(path, kept)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(exercise.starter, path)
    return kept
