"""Benchmark: a key press in the lesson player against a bare Markdown pager, on a terminal.

Both programs run on a pseudo-terminal (100×32) in the same run: ``backprop-tutor
lesson ID`` walked from the first step to the last with ``n``, and a bare Textual
app that shows the same lesson's sections (the file split at its ``##`` headings,
as Markdown) one per key.  Each key is timed from the moment it is written until
the screen has stopped changing: the last byte the program writes before a quiet
spell of :data:`~bench.pty_screen.QUIET` seconds.  Only presses that change the
step count as step changes; the reveals of a derivation are reported apart, and
predictions are skipped with Escape (not timed).  Rounds alternate the two programs,
so both see the same load on a shared machine.

    python bench/steps.py [--lesson ID] [--rounds R] [--size 100x32]

Target: step changes no slower than the pager, at the median and at p90.
The last line reads ``step ratio: R (p90 ratio: R)``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pty_screen import PtyProgram, compiled_env  # noqa: E402

PAGER_APP = """
import sys
from pathlib import Path

from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

SECTIONS = Path(sys.argv[1]).read_text(encoding="utf-8").split("\\f")


class Pager(App):
    BINDINGS = [("n", "next", "Next")]

    def compose(self):
        with VerticalScroll():
            yield Static(id="title")
            yield Markdown()

    async def on_mount(self):
        self.index = -1
        await self.action_next()

    async def action_next(self):
        if self.index + 1 >= len(SECTIONS):
            return
        self.index += 1
        heading, _, body = SECTIONS[self.index].partition("\\n")
        self.query_one("#title", Static).update(
            f"Step {self.index + 1} of {len(SECTIONS)} · {heading}"
        )
        await self.query_one(Markdown).update(body)
        self.query_one(VerticalScroll).scroll_home(animate=False)


Pager().run()
"""
STEP_HEADING = re.compile(r"^## +(.*)$", re.MULTILINE)
PROMPT = b"Your turn: "
"""The start of a prediction prompt (the prose of a lesson may say "Your turn," too)."""
MAX_PRESSES = 600


def sections(path: Path) -> list[str]:
    """The lesson file's ``##`` sections: the title line, then the Markdown under it."""
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in STEP_HEADING.finditer(text)]
    ends = [*starts[1:], len(text)]
    return [text[a:b].removeprefix("## ").rstrip() for a, b in zip(starts, ends, strict=True)]


def walk_pager(script: Path, pages: Path, count: int, env: dict, size) -> list[float]:
    """Seconds per page turn of the pager."""
    program = PtyProgram([sys.executable, str(script), str(pages)], env, size)
    try:
        program.wait_for(b"Step 1 of")
        program.settle(1.0)
        times = []
        for index in range(1, count):
            seconds, output = program.press(b"n")
            if seconds is None or f"Step {index + 1} of".encode() not in output:
                raise RuntimeError(f"the pager did not show section {index + 1}")
            times.append(seconds)
        return times
    finally:
        program.close()


def walk_lesson(tutor: str, lesson: str, count: int, env: dict, size) -> tuple[list, list]:
    """Seconds per step change and per other press (reveals, scrolls) of the lesson player."""
    home = tempfile.mkdtemp()
    program = PtyProgram([tutor, "lesson", lesson], {**env, "BACKPROP_TUTOR_HOME": home}, size)
    steps, others = [], []
    try:
        program.wait_for(b"Step 1 of")
        program.settle(1.0)
        step = 1
        for _ in range(MAX_PRESSES):
            seconds, output = program.press(b"n")
            if PROMPT in output:
                program.settle()
                _, skipped = program.press(b"\x1b")  # skip the prediction (not timed)
                if b"Lessons" in skipped:
                    raise RuntimeError("Escape in a prediction left the lesson")
            if f"Step {step + 1} of {count}".encode() in output:
                step += 1
                steps.append(seconds)
                if step == count:
                    break
            elif seconds is not None:
                others.append(seconds)
        if step != count:
            raise RuntimeError(f"the walk stopped at step {step} of {count}")
        return steps, others
    finally:
        program.close()
        shutil.rmtree(home, ignore_errors=True)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="backprop")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--size", default="100x32")
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.split("x"))
    from tutor.lesson.catalog import load_catalog
    from tutor.store.locations import lesson_dirs

    entry = next(e for e in load_catalog(lesson_dirs()) if e.lesson and e.lesson.id == args.lesson)
    parts = sections(entry.path)
    tutor = shutil.which("backprop-tutor") or str(Path(sys.executable).with_name("backprop-tutor"))
    pager, ours, reveals = [], [], []
    with tempfile.TemporaryDirectory() as work:
        env = compiled_env()
        script, pages = Path(work) / "pager.py", Path(work) / "sections.txt"
        script.write_text(PAGER_APP, encoding="utf-8")
        pages.write_text("\f".join(parts), encoding="utf-8")
        for _ in range(args.rounds):
            pager += walk_pager(script, pages, len(parts), env, size)
            steps, others = walk_lesson(tutor, args.lesson, len(parts), env, size)
            ours += steps
            reveals += others

    def ms(values: list[float], fraction: float) -> float:
        return percentile(values, fraction) * 1000

    print(f"lesson {args.lesson}: {len(parts)} steps, {args.rounds} rounds, {args.size}")
    print(f"pager page turn:      median {ms(pager, 0.5):.0f} ms, p90 {ms(pager, 0.9):.0f} ms")
    print(f"lesson step change:   median {ms(ours, 0.5):.0f} ms, p90 {ms(ours, 0.9):.0f} ms")
    if reveals:
        print(
            f"other n (reveal, scroll): median {ms(reveals, 0.5):.0f} ms, "
            f"p90 {ms(reveals, 0.9):.0f} ms over {len(reveals)} presses"
        )
    median_ratio = statistics.median(ours) / statistics.median(pager)
    p90_ratio = percentile(ours, 0.9) / percentile(pager, 0.9)
    print(f"step ratio: {median_ratio:.2f} (p90 ratio: {p90_ratio:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
