"""``backprop-tutor list``: the lessons found, as lines or as JSON."""

from __future__ import annotations

import argparse
import json

from tutor.lesson.catalog import LessonEntry, load_catalog
from tutor.store.locations import lesson_dirs

EXIT_OK = 0


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
