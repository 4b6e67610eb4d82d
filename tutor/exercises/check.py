"""Checking a learner's file: build the checker's cases, run the file, judge the results.

Provides :func:`check_file`, which never raises for anything in the learner's
file: its syntax errors, exceptions, endless loops, missing names and refused
imports (the tutor, autograd libraries: refused by name before anything runs)
all end up in the :class:`~tutor.exercises.model.Report`; and
:func:`solution_problems`, which holds an author's reference solution to the
same checks.  The file is read once, here, and that text is what runs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tutor.exercises.checkers import builder
from tutor.exercises.imports import refused_import
from tutor.exercises.judge import CheckResult
from tutor.exercises.model import Exercise, Report
from tutor.exercises.plan import unchanged
from tutor.exercises.runner import MEMORY_LIMIT_MB, Run, run_steps
from tutor.exercises.sandbox import choose, missing_notice
from tutor.formats.problem import Problem

MAX_FILE_BYTES = 1_000_000

SEED = 0
"""Cases are random but the same on every run, so one file always gets one verdict."""


def check_file(
    exercise: Exercise, file: Path, *, seed: int = SEED, require_isolation: bool = False
) -> Report:
    """Run ``file`` against the exercise's checker in the sandbox and judge it.

    ``require_isolation`` (a served classroom) runs it only under bubblewrap and
    raises :class:`~tutor.exercises.sandbox.IsolationUnavailable` otherwise; a file
    that cannot be read raises ``OSError``.
    """
    sandbox = choose(require_isolation=require_isolation)
    with Path(file).open("rb") as handle:
        source = handle.read(MAX_FILE_BYTES + 1)
    if len(source) > MAX_FILE_BYTES:
        return Report(exercise.id, (), f"Your file is larger than {MAX_FILE_BYTES} bytes.")
    refusal = refused_import(source.decode("utf-8-sig", errors="replace"))
    if refusal is not None:
        return Report(exercise.id, (), refusal.message, refusal.line)
    built = builder(exercise.checker)(np.random.default_rng(seed))
    run = run_steps(
        file,
        built.plan.steps,
        built.plan.requires,
        time_limit=exercise.time_limit,
        memory_mb=MEMORY_LIMIT_MB,
        source=source,
        sandbox=sandbox,
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
        started=_started(exercise, source, run, checks),
        notice=missing_notice(sandbox),
    )


def _started(exercise: Exercise, source: bytes, run: Run, checks: tuple[CheckResult, ...]) -> bool:
    """False for the untouched starter, or a file whose every step is still unwritten."""
    try:
        untouched = source.strip() == exercise.starter.read_bytes().strip()
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
