"""Benchmark: opening a lesson at every limit of the size budget against a one-line lesson.

Both lessons are opened with ``backprop-tutor --lessons DIR lesson ID`` on a
pseudo-terminal (100×32), in alternating rounds so both see the same load.  The
clock runs from the start of the process until the screen has stopped changing
after the step's page appeared (the last byte before a quiet spell of
:data:`~bench.pty_screen.QUIET` s); then ``n`` is pressed and timed the same way.
The large lesson is ``tests.helpers.budget_lesson_text()``: 100 steps of 16,000
characters, 3,000 of them token-dense code, in lines of 1,000 characters.

    python bench/lesson_open.py [--rounds R]

Target: the large lesson opens less than a second after the small one.  The last
line reads ``open: +D s (ratio R)``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pty_screen import QUIET, PtyProgram  # noqa: E402
from tests.helpers import budget_lesson_text  # noqa: E402

STEPS_SHOWN = {"small": b" of 2 \xc2\xb7", "budget": b" of 100 \xc2\xb7"}
"""The footer's ``Step N of M ·``: the lesson's page is on the screen."""
ESCAPE = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
SMALL = (
    '+++\nid = "small"\ntitle = "Small"\n+++\n\n## Step 1\n\nword word word.\n\n'
    "## Step 2\n\nword.\n"
)


def shown(program: PtyProgram, marker: bytes) -> None:
    """Wait until ``marker`` is on the screen (escape sequences between its bytes ignored)."""
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        program.settle(0.05)
        if marker in ESCAPE.sub(b"", program.output):
            return
    raise RuntimeError(f"{marker!r} never appeared")


def open_once(lessons: Path, lesson_id: str, home: Path) -> tuple[float, float | None]:
    """Seconds until the lesson's first step has settled, and for ``n`` to the next step."""
    env = {**os.environ, "BACKPROP_TUTOR_HOME": str(home), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tutor", "--lessons", str(lessons), "lesson", lesson_id]
    program = PtyProgram(command, env, size=(100, 32))
    try:
        shown(program, STEPS_SHOWN[lesson_id])  # the step the learner left, out of all
        program.settle()
        opened = time.perf_counter() - program.started - QUIET
        step, _ = program.press(b"n")
        return opened, step
    finally:
        program.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    work = Path(tempfile.mkdtemp(prefix="lesson-open-"))
    try:
        lessons = work / "lessons"
        lessons.mkdir()
        (lessons / "small.md").write_text(SMALL, encoding="utf-8")
        (lessons / "budget.md").write_text(budget_lesson_text(), encoding="utf-8")
        times: dict[str, list[float]] = {"small": [], "budget": []}
        steps: list[float] = []
        for round_number in range(rounds + 1):
            for lesson_id in ("small", "budget"):
                opened, step = open_once(lessons, lesson_id, work / "home")
                if round_number:  # the first round warms the caches and is not counted
                    times[lesson_id].append(opened)
                    if lesson_id == "budget" and step is not None:
                        steps.append(step)
        small, budget = (statistics.median(times[k]) for k in ("small", "budget"))
        print(f"small lesson opens in  {small:.2f} s (median of {rounds})")
        print(f"budget lesson opens in {budget:.2f} s (median of {rounds})")
        if steps:
            print(f"budget lesson, n to step 2: {statistics.median(steps):.2f} s")
        print(f"open: +{budget - small:.2f} s (ratio {budget / small:.2f})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
