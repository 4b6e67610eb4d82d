"""Finding exercises beside the lessons and reading their ``exercise.toml``.

An exercise is a folder ``exercises/<id>/`` in a lesson directory, holding
``exercise.toml`` (title, checker, task, hints), ``starter.py`` and
``solution.py``.  Provides :func:`load_exercise` (one folder → an
:class:`ExerciseEntry` with the exercise, or the problems that stop it being
used, each at its file and line), :func:`find_exercises` (every exercise in a
list of lesson directories, an id used twice reported), :func:`find_exercise`
and :func:`interface` (the signatures a starter asks the learner to fill in).
Nothing here runs the Python files: they are only checked to exist.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tutor.exercises.checkers import CHECKERS
from tutor.exercises.model import SOLUTION, SPEC, STARTER, Exercise
from tutor.exercises.runner import TIME_LIMIT as DEFAULT_TIME_LIMIT
from tutor.formats.problem import Problem
from tutor.formats.textfile import UnreadableFile, read_small_text
from tutor.formats.toml_keys import BlockSource, KeyChecker
from tutor.formats.tomlsource import TomlSyntaxError, parse_toml
from tutor.store.files import list_directory, real_path

FOLDER = "exercises"
EXERCISE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
ID_RULE = "lowercase letters, digits and single dashes, e.g. three-layer"
FILE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\.py\Z")
KEYS = ("title", "checker", "task", "hints", "file", "time_limit", "exam")
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
        problems.append(Problem(str(folder), 0, f"the folder's name is the exercise id: {ID_RULE}"))
    try:
        source = parse_toml(read_small_text(spec, limit=MAX_BYTES, kind="exercise file"))
    except UnreadableFile as exc:
        problems.append(Problem(str(spec), exc.line or 0, exc.message))
        return ExerciseEntry(folder, None, tuple(problems))
    except TomlSyntaxError as exc:
        problems.append(Problem(str(spec), exc.line or 1, f"TOML syntax error: {exc.message}"))
        return ExerciseEntry(folder, None, tuple(problems))
    check = KeyChecker(BlockSource.whole_file(source, str(spec)), problems)
    check.known_keys(KEYS)
    title = check.text("title", required=True, example='"Backprop for three layers"')
    task = check.text("task", required=True, example='"""What to write."""')
    checker = check.choice("checker", tuple(CHECKERS))
    if "checker" not in check.table:
        check.problem(None, f"missing `checker`, one of {', '.join(CHECKERS)}")
    hints = check.strings("hints", required=True)
    if hints == ():
        check.problem("hints", "`hints` is empty: an exercise needs at least one hint")
    file_name = check.text("file", example='"three_layer.py"') or ""
    if file_name and not FILE_NAME.match(file_name):
        check.problem(
            "file", f'`file` "{file_name[:40]}" must be a Python file name like three_layer.py'
        )
        file_name = ""
    time_limit = check.number(
        "time_limit",
        lambda v: 1 <= v <= MAX_TIME_LIMIT,
        f"a number of seconds from 1 to {MAX_TIME_LIMIT:g}",
        default=DEFAULT_TIME_LIMIT,
    )
    exam = check.boolean("exam", False)
    for name in (STARTER, SOLUTION):
        if not (folder / name).is_file():
            problems.append(Problem(str(folder / name), 0, f"missing: every exercise has a {name}"))
    if problems or not (title and task and checker and hints and time_limit) or exam is None:
        return ExerciseEntry(folder, None, tuple(problems))
    exercise = Exercise(
        id=folder.name,
        title=title,
        checker=checker,
        task=task,
        hints=hints,
        folder=folder,
        bundled=bundled,
        file_name=file_name,
        time_limit=time_limit,
        exam=exam,
    )
    return ExerciseEntry(folder, exercise)


def exercise_folder(lesson_dir: Path, exercise_id: str) -> Path:
    """Where the exercise ``exercise_id`` of the lessons in ``lesson_dir`` lives."""
    return lesson_dir / FOLDER / exercise_id


def exercise_folders(lesson_dir: Path) -> list[Path]:
    """The exercise folders of one lesson directory (those with an ``exercise.toml``)."""
    try:
        entries = list_directory(lesson_dir / FOLDER)
    except OSError:  # none, or a folder that cannot be listed (a link loop, unreadable)
        return []
    return [p for p in entries if (p / SPEC).is_file()]


def find_exercises(lesson_dirs: Sequence[Path], bundled: Path | None = None) -> list[ExerciseEntry]:
    """Every exercise in ``lesson_dirs``, in order; an id used again is reported by the later."""
    entries: list[ExerciseEntry] = []
    first: dict[str, Path] = {}
    bundled_root = None if bundled is None else real_path(bundled)
    for directory in lesson_dirs:
        is_bundled = bundled_root is not None and real_path(directory) == bundled_root
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
        folder = exercise_folder(directory, exercise_id)
        if EXERCISE_ID.match(exercise_id) and (folder / SPEC).is_file():
            is_bundled = bundled is not None and real_path(directory) == real_path(bundled)
            return load_exercise(folder, bundled=is_bundled)
    return None


def _to_fill_in(node: ast.AST) -> bool:
    """Whether a function's body still raises NotImplementedError."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Raise) and inner.exc is not None:
            called = inner.exc.func if isinstance(inner.exc, ast.Call) else inner.exc
            if isinstance(called, ast.Name) and called.id == "NotImplementedError":
                return True
    return False


def interface(starter_text: str) -> str:
    """The ``class`` and ``def`` lines of a starter that the learner fills in.

    A function or method is to be filled in when it raises NotImplementedError;
    the starter is parsed, never run.  An unparsable starter shows every signature.
    """
    lines = starter_text.splitlines()
    try:
        tree = ast.parse(starter_text)
    except (SyntaxError, ValueError, RecursionError):
        return "\n".join(line for line in lines if re.match(r"\s*(class|def)\s", line))
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and _to_fill_in(node):
            found.append(lines[node.lineno - 1])
        elif isinstance(node, ast.ClassDef):
            methods = [m for m in node.body if isinstance(m, ast.FunctionDef) and _to_fill_in(m)]
            if methods:
                found += [lines[node.lineno - 1], *(lines[m.lineno - 1] for m in methods)]
    return "\n".join(line.rstrip() for line in found)


def exam_ids(lesson_dirs: Sequence[Path]) -> tuple[str, ...]:
    """The ids of the exercises in ``lesson_dirs`` whose exercise.toml says ``exam = true``."""
    return tuple(
        entry.id
        for entry in find_exercises(lesson_dirs)
        if entry.exercise is not None and entry.exercise.exam
    )
