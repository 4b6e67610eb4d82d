"""``backprop-tutor validate PATH...``: every problem of lesson files, as ``file:line: message``.

With ``--run-solutions``, each exercise a lesson uses has its reference solution
run against its checks, in the sandbox with the checker's limits; without it no
code of the lessons runs, and the count of solutions left unrun is said.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor.lesson.catalog import check_lessons, lesson_files, missing_paths

EXIT_OK, EXIT_PROBLEMS = 0, 1


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem of the lesson files in ``args.paths``; exit 1 if there are any."""
    missing = missing_paths(args.paths, absent="no such file or directory")
    files = lesson_files(p for p in args.paths if p.exists())
    solutions: list[Path] = []
    entries = check_lessons(files, run_solutions=args.run_solutions, solutions=solutions)
    _say_solutions(len(set(solutions)), args.run_solutions)
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


def _say_solutions(count: int, ran: bool) -> None:
    """How many reference solutions ran, or were left unrun (on stderr: not a problem line)."""
    if count == 0:
        return
    solutions = "1 reference solution" if count == 1 else f"{count} reference solutions"
    if ran:
        print(f"ran {solutions} in the sandbox", file=sys.stderr)
    else:
        print(f"{solutions} not run: --run-solutions runs them (sandboxed)", file=sys.stderr)
