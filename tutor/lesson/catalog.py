"""Finding, parsing and checking the lessons in a set of directories.

Provides :class:`LessonEntry` (a file, its lesson if it is usable, its problems),
:func:`load_lesson` (parse + validate one file), :func:`check_lessons` (entries
for files, duplicate ids reported) and :func:`load_catalog` (every lesson in
the lesson directories, sorted by number then title); :func:`lesson_files` (the
``*.md`` files of directories, or given files) is :mod:`tutor.lesson.cache`'s.  A
broken lesson is an entry with ``lesson=None`` and its problems; it never hides the
others, not even when checking it fails in a way nobody foresaw (a bug costs that
one lesson).  What the lesson list shows of an entry is a
:class:`~tutor.lesson.card.LessonCard`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tutor.formats.problem import Problem
from tutor.lesson.cache import lesson_files as lesson_files  # re-exported
from tutor.lesson.cache import unlistable
from tutor.lesson.model import Lesson
from tutor.lesson.parser import ParsedLesson, parse_lesson_file
from tutor.lesson.validate import validate_lesson

DIGITS = re.compile(r"[0-9]+\Z")


@dataclass(frozen=True)
class LessonEntry:
    """One lesson file: the lesson when it has no problems, else None, and the problems."""

    path: Path
    lesson: Lesson | None
    problems: tuple[Problem, ...] = ()

    @property
    def error(self) -> str | None:
        """The first problem as ``path:line: message``, or None."""
        return str(self.problems[0]) if self.problems else None


def load_lesson(
    path: Path, *, run_solutions: bool = False, solutions: list[Path] | None = None
) -> tuple[LessonEntry, ParsedLesson]:
    """Parse and validate one file: its entry, and the file as parsed (even if broken).

    ``run_solutions`` also runs the reference solution of each exercise it uses (in
    the sandbox); each solution found is appended to ``solutions``.
    """
    try:
        parsed = parse_lesson_file(path)
        problems = tuple(validate_lesson(parsed, run_solutions=run_solutions, solutions=solutions))
    except Exception as exc:  # a bug in the checks must not hide the other lessons
        message = f"could not be checked ({type(exc).__name__}: {exc}); please report this"
        parsed = ParsedLesson(path, None, [Problem(str(path), 0, message)])
        problems = tuple(parsed.problems)
    return LessonEntry(path, None if problems else parsed.lesson, problems), parsed


def check_lessons(
    files: Sequence[Path], *, run_solutions: bool = False, solutions: list[Path] | None = None
) -> list[LessonEntry]:
    """Entries for ``files`` in order; a lesson id used again is a problem of the later file."""
    entries: list[LessonEntry] = []
    first_with_id: dict[str, Path] = {}
    for path in files:
        entry, parsed = load_lesson(path, run_solutions=run_solutions, solutions=solutions)
        lesson_id = parsed.lesson.id if parsed.lesson is not None else ""
        if lesson_id:
            first = first_with_id.setdefault(lesson_id, path)
            if first != path:
                duplicate = Problem(
                    str(path), parsed.id_line, f'lesson id "{lesson_id}" is already used by {first}'
                )
                entry = LessonEntry(path, None, (*entry.problems, duplicate))
        entries.append(entry)
    return entries


def load_catalog(directories: Sequence[Path]) -> list[LessonEntry]:
    """Every lesson in ``directories`` (or lesson files), sorted for display.

    A path that does not exist is listed as a broken entry, so a mistyped
    ``--lessons`` directory is reported instead of silently ignored.
    """
    missing = [LessonEntry(path, None, (problem,)) for path, problem in missing_paths(directories)]
    found = check_lessons(lesson_files(p for p in directories if p.exists()))
    return sorted(found, key=lesson_order) + missing


def missing_paths(
    paths: Iterable[Path], absent: str = "no such lessons directory or file"
) -> list[tuple[Path, Problem]]:
    """Each of ``paths`` that is not there (``absent``), or a folder that cannot be listed."""
    paths = list(paths)
    found = []
    for path in paths:
        if not path.exists():
            why = (
                "a link that leads nowhere (dangling, or a loop)"
                if os.path.lexists(path)
                else absent
            )
            found.append((path, Problem(str(path), 0, why)))
    for path, why in unlistable(paths):
        found.append((path, Problem(str(path), 0, why)))
    return found


def lesson_order(entry: LessonEntry) -> tuple:
    """Usable lessons by number (3.10 after 3.9; unnumbered last), then title; broken last."""
    if entry.lesson is None:
        return (1, (), "", entry.path.name)
    parts = re.split(r"[.\-]", entry.lesson.number) if entry.lesson.number else []
    key = tuple((0, int(p), "") if DIGITS.match(p) else (1, 0, p) for p in parts)
    return (0, (key or ((2, 0, ""),)), entry.lesson.title.casefold(), entry.path.name)
