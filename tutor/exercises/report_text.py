"""A check's report as plain text: one line per check, the named bug under it, then help.

Provides :func:`report_text`, used by ``backprop-tutor exercise check`` and shown
(as plain text, never markup) by the exercise step of a lesson.
"""

from __future__ import annotations

from tutor.exercises.model import Report
from tutor.exercises.runner import MEMORY_LIMIT_MB

PASS, FAIL = "✓", "✗"


def limits_text(time_limit: float) -> str:
    """The limits a check runs under, in words."""
    return f"time limit {time_limit:g} s of CPU, memory limit {MEMORY_LIMIT_MB} MB"


def summary(report: Report) -> str:
    """One line: all passed, not started, how many failed, or that the code stopped."""
    passed = sum(c.passed for c in report.checks)
    total = len(report.checks)
    if report.passed:
        return f"{PASS} All {total} checks pass."
    if report.error is not None and not report.checks:
        return f"{FAIL} Not checked."
    if not report.started:
        return (
            f"{FAIL} Not started: {passed} of {total} checks pass. Fill in what the task asks "
            "for and save."
        )
    if report.error is not None:
        return f"{FAIL} Your code stopped: {passed} of {total} checks pass."
    return f"{FAIL} {passed} of {total} checks pass."


def report_text(report: Report, *, with_summary: bool = True) -> str:
    """Every check with its verdict and diagnosis, the error, warnings and printed output."""
    lines = []
    if report.error:
        lines += [f"{FAIL} {report.error}", ""]
    width = max((len(c.name) for c in report.checks), default=0)
    for check in report.checks:
        mark = PASS if check.passed else FAIL
        lines.append(f"{mark} {check.name:<{width}}  {check.message}")
        if check.diagnosis:
            lines.append(f"    → {check.diagnosis}")
    if report.warnings:
        lines += ["", "Warnings from your code:", *(f"  {w}" for w in report.warnings)]
    if report.output.strip():
        lines += ["", "Your code printed:", *(f"  {line}" for line in report.output.splitlines())]
    if with_summary:
        lines += ["", summary(report)]
    if report.notice:
        lines += ["", report.notice]
    return "\n".join(lines).strip("\n")
