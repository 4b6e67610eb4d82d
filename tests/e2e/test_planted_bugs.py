"""The planted-bug corpus: every bug caught, at least 95 % named, every listed one named.

Each bug of :mod:`tests.e2e.planted_bugs` is an edit of a reference solution,
checked as a learner's file (in the child process, as ``exercise check`` does).  A
bug is named when a failing check's diagnosis contains the words the corpus
expects for it (the in-place ones: the "arguments left unchanged" check).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.e2e.planted_bugs import CORPUS, Bug
from tutor.exercises.catalog import find_exercise
from tutor.exercises.check import check_file
from tutor.exercises.model import Report
from tutor.exercises.report_text import summary
from tutor.store.locations import bundled_lessons_dir

BUNDLED = bundled_lessons_dir()
LISTED = [b for b in CORPUS if b.listed]


def planted(bug: Bug, folder: Path) -> Path:
    exercise = find_exercise(bug.exercise, [BUNDLED], BUNDLED).exercise
    source = exercise.solution.read_text("utf-8")
    for right, wrong in bug.edits:
        assert source.count(right) == 1, f"{bug.id}: {right!r} is not in the solution once"
        source = source.replace(right, wrong)
    path = folder / f"{bug.exercise}-{abs(hash(bug.id))}.py"
    path.write_text(source, "utf-8")
    return path


def run(bug: Bug, folder: Path) -> Report:
    exercise = find_exercise(bug.exercise, [BUNDLED], BUNDLED).exercise
    return check_file(exercise, planted(bug, folder))


def check_corpus(folder: Path) -> dict[str, Report]:
    """Each bug's report, by "exercise: bug id"."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(lambda b: run(b, folder), CORPUS))
    return {f"{b.exercise}: {b.id}": r for b, r in zip(CORPUS, found, strict=True)}


def named(bug: Bug, report: Report) -> bool:
    return any(not c.passed and bug.expect in (c.diagnosis or "") for c in report.checks)


@pytest.mark.long  # every planted bug of every exercise checked in the sandbox
def test_every_planted_bug_is_caught_95_percent_named_and_every_listed_one(tmp_path: Path) -> None:
    """One test checks the whole corpus once (a module fixture ran once per xdist worker)."""
    reports = check_corpus(tmp_path)
    passed = [key for key, report in reports.items() if report.passed]
    assert not passed
    unnamed = [
        f"{key}: {[(c.name, c.diagnosis) for c in reports[key].checks if not c.passed]}"
        for bug in CORPUS
        if not named(bug, reports[key := f"{bug.exercise}: {bug.id}"])
    ]
    assert len(CORPUS) >= 60
    assert len(unnamed) <= 0.05 * len(CORPUS), "\n".join(unnamed)
    assert LISTED
    unnamed_listed = [
        f"{key}: {[(c.name, c.message, c.diagnosis) for c in reports[key].checks]}"
        for bug in LISTED
        if not named(bug, reports[key := f"{bug.exercise}: {bug.id}"])
    ]
    assert not unnamed_listed, "\n".join(unnamed_listed)


def test_a_forward_that_runs_right_is_credited_when_backward_raises(tmp_path: Path) -> None:
    broken = Bug("three-layer", "backward raises", (("m = y.shape[1]", "m = y.shape[2]"),), "")
    report = run(broken, tmp_path)
    checks = {c.name: c for c in report.checks}
    assert checks["forward: y"].passed and checks["update_weights"].passed
    assert not checks["backward: dL/dW1"].passed
    assert checks["backward: dL/dW1"].message.startswith("not checked")
    assert report.error.startswith("IndexError at line") and report.started


def test_the_untouched_starter_says_not_started() -> None:
    exercise = find_exercise("three-layer", [BUNDLED], BUNDLED).exercise
    report = check_file(exercise, exercise.starter)
    assert not report.started and not report.passed
    assert summary(report).startswith("✗ Not started: 0 of 9 checks pass")


def test_a_layer_whose_backward_raises_reports_its_gradients_not_checked(tmp_path: Path) -> None:
    raising = Bug(
        "dense-layer",
        "backward raises first",
        (("grad_z = grad_a * self.a", "grad_z = grad_a[99] * self.a"),),
        "",
    )
    report = run(raising, tmp_path)
    checks = {c.name: c for c in report.checks}
    assert checks["forward: a"].passed
    for name in ("grad_W", "grad_b", "grad_W accumulates", "grad_b accumulates"):
        assert checks[name].message.startswith("not checked"), checks[name]
