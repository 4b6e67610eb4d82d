"""``backprop-tutor validate PATH...``: every problem of lesson files, as ``file:line: message``.

Each exercise a lesson uses has its reference solution run against its checks,
in a child process with the checker's limits.
"""

from __future__ import annotations

import argparse
import sys

from tutor.lesson.catalog import check_lessons, lesson_files, missing_paths

EXIT_OK, EXIT_PROBLEMS = 0, 1


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem of the lesson files in ``args.paths``; exit 1 if there are any."""
    missing = missing_paths(args.paths, absent="no such file or directory")
    files = lesson_files(p for p in args.paths if p.exists())
    entries = check_lessons(files, run_solutions=True)
    problems = [str(problem) for _, problem in missing]
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
