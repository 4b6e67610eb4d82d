"""Checking a learner's file: build the checker's cases, run the file, judge the results.

Provides :func:`check_file`, which never raises for anything in the learner's
file: its syntax errors, exceptions, endless loops and missing names all end up
in the :class:`~tutor.exercises.model.Report`; and :func:`solution_problems`,
which holds an author's reference solution to the same checks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tutor.exercises.checkers import builder
from tutor.exercises.judge import CheckResult
from tutor.exercises.model import Exercise, Report
from tutor.exercises.plan import unchanged
from tutor.exercises.runner import MEMORY_LIMIT_MB, Run, run_steps
from tutor.formats.problem import Problem

SEED = 0
"""Cases are random but the same on every run, so one file always gets one verdict."""


def check_file(exercise: Exercise, file: Path, *, seed: int = SEED) -> Report:
    """Run ``file`` against the exercise's checker in a child process and judge it."""
    built = builder(exercise.checker)(np.random.default_rng(seed))
    run = run_steps(
        file,
        built.plan.steps,
        built.plan.requires,
        time_limit=exercise.time_limit,
        memory_mb=MEMORY_LIMIT_MB,
    )
    failure = run.failure
    checks = tuple(built.judge(run.results))
    if built.plan.guarded:
        checks += (unchanged(built.plan, run.results),)
    return Report(
        exercise=exercise.id,
        checks=checks,
        error=None if failure is None else failure.message,
        error_line=None if failure is None else failure.line,
        output=run.output,
        warnings=run.warnings,
        started=_started(exercise, file, run, checks),
    )


def _started(exercise: Exercise, file: Path, run: Run, checks: tuple[CheckResult, ...]) -> bool:
    """False for the untouched starter, or a file whose every step is still unwritten."""
    try:
        untouched = file.read_bytes().strip() == exercise.starter.read_bytes().strip()
    except OSError:
        untouched = False
    unwritten = bool(run.errors) and all(e.kind == "not written" for e in run.errors)
    return not (untouched or (unwritten and not any(c.passed for c in checks)))


def solution_problems(exercise: Exercise) -> list[Problem]:
    """Run the author's reference solution against its own checks; a problem if it fails."""
    report = check_file(exercise, exercise.solution)
    if report.passed:
        return []
    if report.error is not None:
        why = report.error.splitlines()[0]
    else:
        failed = next(c for c in report.checks if not c.passed)
        why = f"check {failed.name!r} fails: {failed.message}"
        if failed.diagnosis:
            why += f" ({failed.diagnosis})"
    path = str(exercise.solution)
    return [Problem(path, report.error_line or 0, f"the reference solution does not pass: {why}")]
