"""Benchmark: one exercise check under bubblewrap against the plain child, and a bare Python.

Each round checks the sigmoid exercise's reference solution three ways, in
turn, so all see the same load on a shared machine: under bubblewrap, in the
plain child process (``BACKPROP_TUTOR_SANDBOX=process``), and, as the baseline,
a bare ``python -I -S -c "import numpy"`` (the least any check must start).

    python bench/sandbox.py [--rounds R]

The last line reads ``bwrap/plain ratio: R (plain/bare ratio: R)``.
Target: the sandbox costs at most 1.3 times the plain child.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.exercises.catalog import load_exercise  # noqa: E402
from tutor.exercises.check import check_file  # noqa: E402
from tutor.exercises.sandbox import ENV, interpreter, site_packages  # noqa: E402
from tutor.store.locations import bundled_lessons_dir  # noqa: E402


def timed_check(mode: str) -> float:
    os.environ[ENV] = mode
    folder = bundled_lessons_dir() / "exercises" / "sigmoid"
    exercise = load_exercise(folder, bundled=True).exercise
    assert exercise is not None
    started = time.perf_counter()
    report = check_file(exercise, exercise.solution)
    elapsed = time.perf_counter() - started
    assert report.passed, report
    return elapsed


def timed_bare() -> float:
    site = str(site_packages()["numpy"].parent)
    code = f"import sys; sys.path.insert(0, {site!r}); import numpy"
    started = time.perf_counter()
    subprocess.run([interpreter(), "-I", "-S", "-c", code], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"bwrap": [], "process": [], "bare": []}
    timed_check("bwrap")  # the first check also probes bubblewrap once
    for _ in range(args.rounds):
        times["bwrap"].append(timed_check("bwrap"))
        times["process"].append(timed_check("process"))
        times["bare"].append(timed_bare())
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"{name:8} median {median * 1000:7.1f} ms  (min {min(times[name]) * 1000:.1f})")
    sandbox = medians["bwrap"] / medians["process"]
    plain = medians["process"] / medians["bare"]
    print(f"bwrap/plain ratio: {sandbox:.2f} (plain/bare ratio: {plain:.2f})")


if __name__ == "__main__":
    main()
