"""``backprop-tutor list`` and ``validate``: the lessons found, and their problems."""

from __future__ import annotations

import argparse
import json
import sys

from tutor.formats.problem import Problem
from tutor.lesson.catalog import LessonEntry, check_lessons, lesson_files, load_catalog
from tutor.store.paths import lesson_dirs

EXIT_OK, EXIT_PROBLEMS = 0, 1


def entry_json(entry: LessonEntry) -> dict[str, object]:
    """One lesson as ``list --json`` prints it."""
    lesson = entry.lesson
    return {
        "id": lesson.id if lesson else None,
        "title": lesson.title if lesson else None,
        "number": lesson.number if lesson else None,
        "steps": len(lesson.steps) if lesson else 0,
        "path": str(entry.path),
        "error": entry.error,
    }


def run_list(args: argparse.Namespace) -> int:
    """Print the lessons found in the bundled, ``--lessons`` and environment directories."""
    directories = lesson_dirs(args.lessons)
    entries = load_catalog(directories)
    if args.json:
        print(json.dumps([entry_json(e) for e in entries], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not entries:
        print("No lessons found in: " + ", ".join(str(d) for d in directories))
        return EXIT_OK
    for entry in entries:
        lesson = entry.lesson
        if lesson is None:
            print(f"  ✗ {entry.path.name}: cannot be opened: {entry.error}")
            continue
        steps = "1 step" if len(lesson.steps) == 1 else f"{len(lesson.steps)} steps"
        number = f"{lesson.number} " if lesson.number else ""
        print(f"  {lesson.id:<16} {number}{lesson.title} ({steps})")
    return EXIT_OK


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem of the lesson files in ``args.paths``; exit 1 if there are any."""
    missing = [p for p in args.paths if not p.exists()]
    files = lesson_files(p for p in args.paths if p.exists())
    entries = check_lessons(files)
    problems = [str(Problem(str(p), 0, "no such file or directory")) for p in missing]
    problems += [str(problem) for entry in entries for problem in entry.problems]
    for line in problems:
        print(line)
    count = len(entries)
    lessons = "1 lesson" if count == 1 else f"{count} lessons"
    if problems:
        broken = sum(1 for e in entries if e.problems) + len(missing)
        found = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        print(f"{found} in {broken} of {count + len(missing)} paths checked", file=sys.stderr)
        return EXIT_PROBLEMS
    if not entries:
        print(
            "no lesson files (*.md) found in: " + ", ".join(map(str, args.paths)), file=sys.stderr
        )
        return EXIT_PROBLEMS
    print(f"{lessons} OK: 0 problems")
    return EXIT_OK
