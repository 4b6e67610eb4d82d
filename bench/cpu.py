"""Benchmark: CPU seconds per action of the tutor's process, a Markdown pager and a minimal app.

A class served from one machine shares its cores, so what an action costs is the
CPU time (user + system) the app's own process spends on it, read from
``/proc/PID/stat``: the program runs on a pseudo-terminal (100×32) and the CPU it
has used is read before a key and again once it is idle (no output and no CPU
clock tick for a moment), so work done out of view after the frame (a neighbouring
page built, a worker thread) counts as part of the key.  The tutor runs from compiled
bytecode, as an installed one does (:func:`~bench.pty_screen.compiled_env`).  In one run, rounds
alternating the programs:

- ``backprop-tutor``: start to a usable home (the lessons listed), Enter on the
  first lesson (3.4) until its step is shown, then ``n`` through the lesson:
  step changes and the reveals inside a derivation apart (predictions skipped with
  Escape, not counted);
- the bare Textual Markdown pager of ``bench/steps.py`` on the same lesson's
  sections: its start (first section shown) and its page turns;
- the minimal Textual app of ``bench/startup.py``: its start (first frame).

    python bench/cpu.py [--lesson ID] [--rounds R] [--size 100x32] [--per-step]
                        [--only-start | --only-reveal]

Prints median and mean per action with the range over rounds, then the ratios the
targets are stated in (step ≤ 1.0× a page turn, open ≤ 2×, start ≤ 1.0× the pager's
start, a reveal ≤ 0.03 s).  ``--per-step`` also prints each step change beside the
pager's turn to the same section (medians over rounds), to see which steps cost more.
``--only-reveal`` runs the tutor's rounds alone (no anchors): its figures and the
reveal's target, for a quicker loop.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pty_screen import PtyProgram, compiled_env  # noqa: E402
from bench.startup import MINIMAL_APP, first_lesson_title  # noqa: E402
from bench.steps import MAX_PRESSES, PAGER_APP, PROMPT, sections  # noqa: E402


def start(program: PtyProgram, marker: bytes) -> float:
    """CPU seconds from the start until ``marker`` is on screen and the process is idle."""
    program.wait_for(marker)
    return program.idle()


def tutor_round(
    tutor: str, listed: bytes, count: int, env: dict, size, only_start: bool = False
) -> dict[str, list[float]]:
    """One tutor session: start, open the first lesson, walk it; CPU seconds per action."""
    home = tempfile.mkdtemp()
    env = {**env, "BACKPROP_TUTOR_HOME": home}
    warm = PtyProgram([tutor], env, size)  # the first start ever (the catalog cache): not counted
    try:
        start(warm, listed)
    finally:
        warm.close()
    program = PtyProgram([tutor], env, size)
    costs: dict[str, list[float]] = {"start": [], "open": [], "step": [], "reveal": []}
    try:
        before = start(program, listed)
        costs["start"].append(before)
        if only_start:
            return costs
        _, output = program.press(b"\r")
        if b"Step 1 of" not in output:
            program.wait_for(b"Step 1 of")
        after = program.idle()
        costs["open"].append(after - before)
        step = 1
        for _ in range(MAX_PRESSES):
            before, mark = program.cpu_seconds(), len(program.output)
            program.press(b"n")
            after = program.idle()
            output = program.output[mark:]
            if PROMPT in output:
                program.press(b"\x1b")  # skip the prediction (not counted)
                program.idle()
            if f"Step {step + 1} of {count}".encode() in output:
                step += 1
                costs["step"].append(after - before)
                if step == count:
                    break
            else:
                costs["reveal"].append(after - before)
        if step != count:
            tail = program.output[-3000:].decode(errors="replace")
            raise RuntimeError(f"the walk stopped at step {step} of {count}; last output:\n{tail}")
        return costs
    finally:
        program.close()
        shutil.rmtree(home, ignore_errors=True)


def pager_round(
    script: Path, pages: Path, count: int, env: dict, size, only_start: bool = False
) -> dict[str, list[float]]:
    """One pager session: its start and every page turn, CPU seconds each."""
    program = PtyProgram([sys.executable, str(script), str(pages)], env, size)
    costs: dict[str, list[float]] = {"pager start": [], "page turn": []}
    try:
        before = start(program, b"Step 1 of")
        costs["pager start"].append(before)
        if only_start:
            return costs
        for index in range(1, count):
            mark = len(program.output)
            program.press(b"n")
            after = program.idle()
            if f"Step {index + 1} of".encode() not in program.output[mark:]:
                raise RuntimeError(f"the pager did not show section {index + 1}")
            costs["page turn"].append(after - before)
            before = after
        return costs
    finally:
        program.close()


def minimal_round(script: Path, env: dict, size) -> dict[str, list[float]]:
    """The minimal app's start, CPU seconds."""
    program = PtyProgram([sys.executable, str(script)], env, size)
    try:
        return {"minimal start": [start(program, b"ready")]}
    finally:
        program.close()


def describe(name: str, rounds: list[list[float]]) -> str:
    """``name: median M s, mean A s (rounds: m1–m2), over N``."""
    values = [v for r in rounds for v in r]
    medians = [statistics.median(r) for r in rounds if r]
    spread = f"{min(medians):.3f}–{max(medians):.3f}"
    return (
        f"{name:<14} median {statistics.median(values):.3f} s, mean {statistics.mean(values):.3f} s"
        f"  (round medians {spread}; {len(values)} actions)"
    )


def per_step(titles: list[str], steps: list[list[float]], turns: list[list[float]]) -> None:
    """Each step change's CPU beside the pager's turn to the same section, medians over
    rounds (the list of step ``n`` holds the change to step ``n + 2``)."""
    print("per step (median over rounds): tutor, pager's turn, ratio")
    for index, title in enumerate(titles[1:]):
        tutor = statistics.median(r[index] for r in steps)
        pager = statistics.median(r[index] for r in turns)
        ratio = f"{tutor / pager:5.2f}" if pager else "    –"
        print(f"  {index + 2:3d} {title[:44]:<44} {tutor:.3f} s  {pager:.3f} s  {ratio}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="backprop")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--size", default="100x32")
    parser.add_argument(
        "--per-step", action="store_true", help="each step beside the pager's turn to it"
    )
    parser.add_argument("--only-start", action="store_true", help="the starts alone (quick)")
    parser.add_argument(
        "--only-reveal", action="store_true", help="the tutor's walk alone, no anchors (quick)"
    )
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.split("x"))
    from tutor.lesson.catalog import load_catalog
    from tutor.store.locations import lesson_dirs

    first = next(e for e in load_catalog(lesson_dirs()) if e.lesson is not None)
    listed_id = first.lesson.id if first.lesson else None
    if listed_id != args.lesson:
        raise SystemExit(f"the home screen lists {listed_id!r} first, not {args.lesson}")
    parts = sections(first.path)
    listed = first_lesson_title()
    tutor = shutil.which("backprop-tutor") or str(Path(sys.executable).with_name("backprop-tutor"))
    rounds: dict[str, list[list[float]]] = {}
    with tempfile.TemporaryDirectory() as work:
        env = compiled_env()
        script, pages = Path(work) / "pager.py", Path(work) / "sections.txt"
        minimal = Path(work) / "minimal_app.py"
        script.write_text(PAGER_APP, encoding="utf-8")
        minimal.write_text(MINIMAL_APP, encoding="utf-8")
        pages.write_text("\f".join(parts), encoding="utf-8")
        for _ in range(args.rounds):
            anchors = (
                ()
                if args.only_reveal
                else (
                    minimal_round(minimal, env, size),
                    pager_round(script, pages, len(parts), env, size, args.only_start),
                )
            )
            for costs in (
                *anchors,
                tutor_round(tutor, listed, len(parts), env, size, args.only_start),
            ):
                for name, values in costs.items():
                    rounds.setdefault(name, []).append(values)

    def median(name: str) -> float:
        return statistics.median(v for r in rounds[name] for v in r)

    def mean(name: str) -> float:
        return statistics.mean(v for r in rounds[name] for v in r)

    print(f"lesson {args.lesson}: {len(parts)} steps, {args.rounds} rounds, {args.size}")
    print("CPU seconds (user + system) of the app's process per action:")
    for name in ("minimal start", "pager start", "page turn", "start", "open", "step", "reveal"):
        if any(rounds.get(name, [])):
            print("  " + describe(name, rounds[name]))
    if args.only_reveal:
        print(f"reveal:                  {mean('reveal'):.3f} s mean  (target ≤ 0.03)")
        return 0
    print(f"start / pager start:     {median('start') / median('pager start'):.2f}  (target ≤ 1.0)")
    print(f"start / minimal start:   {median('start') / median('minimal start'):.2f}")
    if args.only_start:
        return 0
    turn = median("page turn")
    print(f"open / page turn:        {median('open') / turn:.2f}  (target ≤ 2.0)")
    print(
        f"step / page turn:        {median('step') / turn:.2f} median, "
        f"{mean('step') / mean('page turn'):.2f} mean  (target ≤ 1.0)"
    )
    print(f"reveal:                  {mean('reveal'):.3f} s mean  (target ≤ 0.03)")
    if args.per_step:
        titles = [part.splitlines()[0] for part in parts]
        per_step(titles, rounds["step"], rounds["page turn"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
