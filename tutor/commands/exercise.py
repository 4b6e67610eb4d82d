"""``backprop-tutor exercise list | start ID | check ID``: code exercises on the command line.

``check`` exits 0 when every check passes, 1 when some fail (the learner's own
errors and time-outs included) and 2 when nothing can be checked (no such
exercise, no readable file).  With ``--watch`` it checks again after every save
until Ctrl-C; with ``--json`` each check prints one JSON object (one per line
when watching).

An exercise from a lesson folder outside the tutor runs (and ``start`` writes
its starter) only with the learner's yes: asked on a terminal, given with
``--trust`` elsewhere; without it nothing runs and nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tutor.commands.learner_data import ProgressSession
from tutor.exercises.catalog import ExerciseEntry, find_exercise, find_exercises
from tutor.exercises.check import check_file
from tutor.exercises.model import Exercise, Report
from tutor.exercises.report_text import limits_text, report_text
from tutor.exercises.sandbox import IsolationUnavailable
from tutor.exercises.session import exercise_try
from tutor.exercises.workspace import copy_path, learner_file, migrate, start, status
from tutor.formats.textfile import UnreadableFile, read_small_text
from tutor.lesson.catalog import LessonEntry, lesson_files, lesson_order
from tutor.lesson.model import ExerciseBlock
from tutor.lesson.parser import parse_lesson_file
from tutor.store.locations import bundled_lessons_dir, data_dir, lesson_dirs
from tutor.store.progress import ExerciseProgress, Progress
from tutor.store.progress_file import ProgressStore
from tutor.store.tries import TryPlace, append_try, tries_at

EXIT_PASSED, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2
MAX_FILE_BYTES = 1_000_000
PROG = "backprop-tutor exercise"


def run_exercise(args: argparse.Namespace) -> int:
    """Dispatch ``exercise list``, ``start`` and ``check``."""
    directories = lesson_dirs(args.lessons)
    if args.action == "list":
        return _list(directories, args.json)
    entry = find_exercise(args.id, directories, bundled_lessons_dir())
    if entry is None or entry.exercise is None:
        return _unusable(args, _unknown(args.id, entry, directories))
    if args.action == "start":
        return _start(entry.exercise, args)
    return _check(entry.exercise, args)


def _unknown(exercise_id: str, entry: ExerciseEntry | None, directories: list[Path]) -> str:
    if entry is not None:
        return f"exercise {exercise_id!r} cannot be used: {entry.problems[0]}"
    known = [e.id for e in find_exercises(directories)]
    listed = ", ".join(known) if known else "none found"
    return f"no exercise {exercise_id!r} (exercises: {listed})"


def _unusable(args: argparse.Namespace, message: str) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"exercise": args.id, "passed": False, "error": message, "checks": []}))
    print(f"{PROG} {args.action}: {message}", file=sys.stderr)
    return EXIT_UNUSABLE


def _lessons_using(directories: list[Path]) -> dict[str, str]:
    """Exercise id → the id of the first lesson with an ``exercise`` block for it, in order."""
    found: dict[str, str] = {}
    paths = lesson_files(d for d in directories if d.exists())
    entries = [LessonEntry(path, parse_lesson_file(path).lesson) for path in paths]
    for entry in sorted(entries, key=lesson_order):  # the lessons' order, not their files'
        lesson = entry.lesson
        if lesson is None:
            continue
        for step in lesson.steps:
            for block in step.blocks:
                if isinstance(block, ExerciseBlock):
                    found.setdefault(block.exercise, lesson.id)
    return found


def _list(directories: list[Path], as_json: bool) -> int:
    lessons = _lessons_using(directories)
    order = {exercise_id: n for n, exercise_id in enumerate(lessons)}
    entries = sorted(
        find_exercises(directories, bundled_lessons_dir()),
        key=lambda e: order.get(e.id, len(order)),
    )
    progress = ProgressStore(data_dir()).load()  # read only: the directory is not claimed
    rows = []
    for entry in entries:
        exercise = entry.exercise
        key = exercise.key if exercise else entry.id
        state = progress.exercises.get(key, ExerciseProgress())
        row = {
            "id": entry.id,
            "title": exercise.title if exercise else None,
            "lesson": lessons.get(entry.id),
            "status": status(exercise, state) if exercise else None,
            "path": str(learner_file(exercise, state)) if exercise else None,
            "error": str(entry.problems[0]) if entry.problems else None,
        }
        rows.append(row)
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_PASSED
    if not rows:
        print("No exercises found in: " + ", ".join(str(d) for d in directories))
    width = max((len(entry.id) for entry in entries), default=0)
    for row in rows:
        if row["error"]:
            print(f"  ✗ {row['id']:<{width}}  cannot be used: {row['error']}")
            continue
        lesson = f"  (lesson {row['lesson']})" if row["lesson"] else ""
        print(f"  {row['id']:<{width}}  {row['status']:<7}  {row['title']}{lesson}")
        print(f"  {'':<{width}}  {row['path']}")
    return EXIT_PASSED


def _start(exercise: Exercise, args: argparse.Namespace) -> int:
    if not _consented(exercise, args, lambda state: copy_path(exercise, args.dir)):
        return _unusable(args, _not_agreed())
    with ProgressSession() as learner:
        state = _state(learner.progress, exercise)
        try:
            migrate(exercise, state, args.dir)
            path, made = start(exercise, args.dir)
        except OSError as exc:
            print(f"{PROG} start: cannot write your copy: {exc}", file=sys.stderr)
            return EXIT_UNUSABLE
        state.path = str(path.resolve())
        learner.progress.exercises[exercise.key] = state
        learner.save()
    if not made:
        print(f"{exercise.id}: your file already exists and is kept as it is", file=sys.stderr)
    print(path)
    return EXIT_PASSED


def _check(exercise: Exercise, args: argparse.Namespace) -> int:
    chosen: Path | None = args.file
    if not _consented(exercise, args, lambda state: chosen or learner_file(exercise, state)):
        return _unusable(args, _not_agreed())
    with ProgressSession() as learner:
        state = _state(learner.progress, exercise)
        file = args.file if args.file is not None else learner_file(exercise, state)
        if args.file is None and migrate(exercise, state):
            file = learner_file(exercise, state)
        problem = _unreadable(file, args.file is None, exercise.id)
        if problem is not None and not args.watch:
            return _unusable(args, problem)
        if problem is not None:
            print(f"{PROG} check: {problem}", file=sys.stderr, flush=True)
        learner.progress.exercises[exercise.key] = state
        learner.save()
    from tutor.exercises.watch import saves, signature

    seen = signature(file)
    status_code = EXIT_UNUSABLE if problem else _check_and_print(exercise, file, args)
    if not args.watch:
        return status_code
    if not args.json:
        print(f"Watching {file}: every save is checked again. Ctrl-C stops.", flush=True)
    try:
        for _ in saves(file, since=seen):
            if not args.json:
                print(f"\n── {time.strftime('%H:%M:%S')} ──", flush=True)
            problem = _unreadable(file, False, exercise.id)
            if problem:
                status_code = EXIT_UNUSABLE
                print(f"{PROG} check: {problem}", file=sys.stderr, flush=True)
                continue
            try:
                report = _checked(exercise, file)
            except (OSError, IsolationUnavailable) as exc:
                print(f"{PROG} check: the check could not run: {exc}", file=sys.stderr)
                continue
            status_code = EXIT_PASSED if report.passed else EXIT_FAILED  # before Ctrl-C can hit
            _print(report, exercise, file, args)
    except KeyboardInterrupt:
        pass
    return status_code


def _unreadable(file: Path, default: bool, exercise_id: str) -> str | None:
    """Why ``file`` cannot be checked, or None."""
    if default and not file.exists():
        return f"no file {file}: run `{PROG} start {exercise_id}` first"
    try:
        read_small_text(file, limit=MAX_FILE_BYTES, kind="Python file")
    except UnreadableFile as exc:
        return f"{file}: {exc.message}"
    return None


def _consented(
    exercise: Exercise, args: argparse.Namespace, file: Callable[[ExerciseProgress], Path]
) -> bool:
    """Whether code of ``exercise`` may run: bundled, agreed before, ``--trust`` or a yes.

    Asked before the data directory is touched: a no writes nothing at all.
    """
    if exercise.bundled:
        return True
    progress = ProgressStore(data_dir()).load()  # read only: not claimed yet
    state = progress.exercises.get(exercise.key) or ExerciseProgress()
    return _agreed(exercise, state, file(state), args.trust)


def _state(progress: Progress, exercise: Exercise) -> ExerciseProgress:
    """The learner's state in ``exercise``; one from outside the tutor is now agreed to."""
    state = progress.exercise(exercise.key)
    if not exercise.bundled:
        state.trusted = str(exercise.folder.resolve())
    return state


def _agreed(exercise: Exercise, state: ExerciseProgress, file: Path, trust: bool) -> bool:
    """Whether the learner lets code from an outside lesson folder run: asked once, or --trust."""
    if trust or state.trusted == str(exercise.folder.resolve()):
        return True
    note = (
        f"The exercise {exercise.id!r} comes from {exercise.folder}, outside the lessons that "
        f"come with the tutor. Checking it runs {file} as Python, in a sandbox "
        f"({limits_text(exercise.time_limit)}). That file starts as a copy of the exercise's "
        "starter: read it first if you do not trust where the lesson came from."
    )
    if not sys.stdin.isatty():
        print(note, file=sys.stderr)
        return False
    try:
        answer = input(note + "\nRun it? [y/N] ").strip().lower()
    except EOFError:
        return False
    return answer in ("y", "yes")


def _not_agreed() -> str:
    if sys.stdin.isatty():
        return "not run: you did not agree to run it"
    return "not run: there is no terminal to ask you on; `--trust` runs it"


def _checked(exercise: Exercise, file: Path) -> Report:
    """Check ``file``; a pass of the learner's own file marks the exercise solved."""
    report = check_file(exercise, file)
    home = data_dir()
    number = tries_at(home, TryPlace("exercise", exercise=exercise.id)) + 1
    append_try(home, exercise_try(report, file.name, number))
    if report.passed:
        with ProgressSession() as learner:
            state = learner.progress.exercise(exercise.key)
            if not state.solved and file.resolve() == learner_file(exercise, state).resolve():
                state.solved = True
                learner.save()
    return report


def _check_and_print(exercise: Exercise, file: Path, args: argparse.Namespace) -> int:
    try:
        report = _checked(exercise, file)
    except (OSError, IsolationUnavailable) as exc:
        print(f"{PROG} check: the check could not run: {exc}", file=sys.stderr, flush=True)
        return EXIT_UNUSABLE
    _print(report, exercise, file, args)
    return EXIT_PASSED if report.passed else EXIT_FAILED


def _print(report: Report, exercise: Exercise, file: Path, args: argparse.Namespace) -> None:
    if args.json:
        text = json.dumps(report.to_json(), ensure_ascii=False, indent=None if args.watch else 2)
        print(text, flush=True)
        if report.notice:
            print(report.notice, file=sys.stderr, flush=True)
        return
    print(f"{exercise.id}: {exercise.title}")
    print(f"{file} ({limits_text(exercise.time_limit)})\n")
    print(report_text(report), flush=True)
