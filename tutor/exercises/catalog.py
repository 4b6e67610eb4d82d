"""Finding exercises beside the lessons and reading their ``exercise.toml``.

An exercise is a folder ``exercises/<id>/`` in a lesson directory, holding
``exercise.toml`` (title, checker, task, hints), ``starter.py`` and
``solution.py``.  Provides :func:`load_exercise` (one folder → an
:class:`ExerciseEntry` with the exercise, or the problems that stop it being
used, each at its file and line), :func:`find_exercises` (every exercise in a
list of lesson directories, an id used twice reported) and :func:`find_exercise`.
Nothing here runs the Python files: they are only checked to exist.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.exercises.checkers import CHECKERS
from tutor.exercises.model import SPEC, Exercise
from tutor.formats.problem import Problem
from tutor.formats.textfile import UnreadableFile, read_small_text
from tutor.formats.tomlsource import TomlSyntaxError, describe_value, is_number, parse_toml

FOLDER = "exercises"
EXERCISE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
FILE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\.py\Z")
KEYS = ("title", "checker", "task", "hints", "file", "time_limit")
MAX_TIME_LIMIT = 30.0
MAX_BYTES = 200_000


@dataclass(frozen=True)
class ExerciseEntry:
    """One exercise folder: the exercise when it is usable, else None, and the problems."""

    folder: Path
    exercise: Exercise | None
    problems: tuple[Problem, ...] = ()

    @property
    def id(self) -> str:
        """The exercise id: the folder's name."""
        return self.folder.name


def load_exercise(folder: Path, *, bundled: bool = False) -> ExerciseEntry:
    """Read and check ``folder/exercise.toml`` and that its Python files are there."""
    spec = folder / SPEC
    problems: list[Problem] = []
    if not EXERCISE_ID.match(folder.name):
        problems.append(
            Problem(
                str(folder),
                0,
                "an exercise folder's name is its id: lowercase letters, "
                "digits and single dashes, e.g. three-layer",
            )
        )
    try:
        source = parse_toml(read_small_text(spec, limit=MAX_BYTES, kind="exercise file"))
    except UnreadableFile as exc:
        return ExerciseEntry(
            folder, None, (*problems, Problem(str(spec), exc.line or 0, exc.message))
        )
    except TomlSyntaxError as exc:
        message = f"TOML syntax error: {exc.message}"
        return ExerciseEntry(folder, None, (*problems, Problem(str(spec), exc.line or 1, message)))
    data = source.data

    def problem(key: str | None, message: str) -> None:
        line = (source.line_of((key,)) if key else None) or 1
        problems.append(Problem(str(spec), line, message))

    for key in data:
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.6)
            known = f"did you mean `{close[0]}`?" if close else "known keys: " + ", ".join(KEYS)
            problem(key, f"unknown key `{key}`; {known}")
    title = _text(data, "title", problem)
    task = _text(data, "task", problem)
    checker = _text(data, "checker", problem)
    if checker is not None and checker not in CHECKERS:
        problem(
            "checker",
            f"`checker` must be one of {', '.join(CHECKERS)}, found {describe_value(checker)}",
        )
        checker = None
    hints = data.get("hints")
    if hints is None:
        problem(None, 'missing `hints`: at least one, e.g. hints = ["…"]')
    elif not (
        isinstance(hints, list) and hints and all(isinstance(h, str) and h.strip() for h in hints)
    ):
        problem(
            "hints",
            "`hints` must be a list of at least one non-empty string, "
            f"found {describe_value(hints)}",
        )
    file_name = data.get("file", "")
    if not isinstance(file_name, str) or (file_name and not FILE_NAME.match(file_name)):
        problem(
            "file",
            '`file` must be a Python file name such as "three_layer.py", '
            f"found {describe_value(file_name)}",
        )
    time_limit = data.get("time_limit", 5.0)
    if not (
        is_number(time_limit) and math.isfinite(time_limit) and 1 <= time_limit <= MAX_TIME_LIMIT
    ):
        problem(
            "time_limit",
            f"`time_limit` must be a number of seconds from 1 to {MAX_TIME_LIMIT:g}, "
            f"found {describe_value(time_limit)}",
        )
    for name in ("starter.py", "solution.py"):
        path = folder / name
        if not path.is_file():
            problems.append(Problem(str(path), 0, f"missing: every exercise has a {name}"))
    if problems or title is None or task is None or checker is None:
        return ExerciseEntry(folder, None, tuple(problems))
    exercise = Exercise(
        id=folder.name,
        title=title,
        checker=checker,
        task=task,
        hints=tuple(hints),  # type: ignore[arg-type]
        folder=folder,
        bundled=bundled,
        file_name=file_name,  # type: ignore[arg-type]
        time_limit=float(time_limit),  # type: ignore[arg-type]
    )
    return ExerciseEntry(folder, exercise)


def _text(data: dict[str, Any], key: str, problem: Any) -> str | None:
    """A required non-empty string, or None (reported)."""
    value = data.get(key)
    if value is None:
        problem(None, f'missing `{key}`, e.g. {key} = "…"')
        return None
    if not isinstance(value, str) or not value.strip():
        problem(key, f"`{key}` must be a non-empty string, found {describe_value(value)}")
        return None
    return value


def exercise_folders(lesson_dir: Path) -> list[Path]:
    """The exercise folders of one lesson directory (those with an ``exercise.toml``)."""
    root = lesson_dir / FOLDER
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / SPEC).is_file())


def find_exercises(lesson_dirs: Sequence[Path], bundled: Path | None = None) -> list[ExerciseEntry]:
    """Every exercise in ``lesson_dirs``, in order; an id used again is reported by the later."""
    entries: list[ExerciseEntry] = []
    first: dict[str, Path] = {}
    bundled_root = None if bundled is None else bundled.resolve()
    for directory in lesson_dirs:
        is_bundled = bundled_root is not None and directory.resolve() == bundled_root
        for folder in exercise_folders(directory):
            entry = load_exercise(folder, bundled=is_bundled)
            seen = first.setdefault(folder.name, folder)
            if seen != folder:
                duplicate = Problem(
                    str(folder), 0, f'exercise id "{folder.name}" is already used by {seen}'
                )
                entry = ExerciseEntry(folder, None, (*entry.problems, duplicate))
            entries.append(entry)
    return entries


def find_exercise(
    exercise_id: str, lesson_dirs: Sequence[Path], bundled: Path | None = None
) -> ExerciseEntry | None:
    """The first exercise with this id in ``lesson_dirs``, usable or not; None if there is none."""
    for directory in lesson_dirs:
        folder = directory / FOLDER / exercise_id
        if EXERCISE_ID.match(exercise_id) and (folder / SPEC).is_file():
            is_bundled = bundled is not None and directory.resolve() == bundled.resolve()
            return load_exercise(folder, bundled=is_bundled)
    return None
