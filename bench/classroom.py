"""Benchmark: a class of simulated learners on one ``backprop-tutor serve`` (no browser).

Each learner signs in, opens the tutor's socket (textual-serve's protocol, the
screen kept in a terminal emulator), waits for the lesson list, opens the first
lesson after a pause of 3-8 s, then reads: a pause of 3-8 s, a key (``n``), again,
for ``--session`` seconds.  Arrivals are spread evenly over ``--spread`` seconds.
Reported per class size: time from arriving to the lesson list (median, p90, max, and how many took
over 3 s) and the CPU its tutor spent on it; lesson open; key latency (key sent to
the tutor's first output after it) at the median and p90, of step changes and of
reveals apart; CPU-seconds per action (the server's and every tutor's CPU, read
once the server has exited, over starts + lesson opens + keys).  A single learner
alone, measured first in the same run, is the baseline of the ratios; the last line
of each class is its ratios to the targets (issue 21: key latency p90
<= 150 ms; every learner at the lesson list within 3 s of arriving).

    python bench/classroom.py [--sizes 10,20,30] [--spread 60] [--session 45] [--cold-starts]

``--cold-starts`` serves with every tutor started from scratch (no warm tutor to fork from).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.learner_client import LearnerClient  # noqa: E402
from tutor.classroom.folder import ClassFolder  # noqa: E402
from tutor.classroom.names import learner_from  # noqa: E402

CODE = "bench"
HOME = "lessons · Enter opens"
IN_LESSON = "Step 1 of"
KEY_LIMIT = 10.0
KEY_TARGET = 0.150
HOME_TARGET = 3.0
TICKS = os.sysconf("SC_CLK_TCK")
STEP_SHOWN = re.compile(rb"[Ss]tep (\d+)(?:/| of )\d+")
"""The step's number in what the tutor writes (its header and heading; a reveal redraws the
header too, so a key changed the step when the number differs from the last one)."""


@dataclass
class Measures:
    """What a class of learners measured."""

    to_home: list[float] = field(default_factory=list)
    start_cpu: list[float] = field(default_factory=list)
    """CPU-seconds of each learner's tutor to its lesson list (its own, from ``/proc``)."""
    to_lesson: list[float] = field(default_factory=list)
    keys: list[float] = field(default_factory=list)
    step_keys: list[float] = field(default_factory=list)
    """Keys that changed the step (the rest revealed a line or a prediction)."""
    silent_keys: int = 0
    failures: list[str] = field(default_factory=list)
    server_cpu: float = 0.0
    """CPU-seconds of the class server's own process (relaying every learner's screen)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_cpu() -> float:
    """CPU-seconds of this process's exited children and theirs: the server and every tutor."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def process_cpu(pid: int) -> float:
    """CPU-seconds process ``pid`` has used itself (not its children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def tutor_cpu(root: Path, name: str) -> float | None:
    """CPU-seconds the learner's tutor has used (its pid is in its data directory's lock)."""
    lock = ClassFolder(root).directory(learner_from(name)) / "progress.lock"
    try:
        return process_cpu(int(lock.read_text().strip()))
    except (OSError, ValueError):
        return None


async def learner(
    base: str,
    root: Path,
    number: int,
    delay: float,
    session: float,
    rng: random.Random,
    out: Measures,
) -> None:
    await asyncio.sleep(delay)
    client = LearnerClient(base, f"Learner {number}", CODE)
    try:
        arrived = time.monotonic()
        await client.sign_in()
        await client.connect()
        await client.wait_for(HOME, timeout=120)
        out.to_home.append(time.monotonic() - arrived)
        await client.settle(0.3)
        cpu = tutor_cpu(root, client.name)
        if cpu is not None:
            out.start_cpu.append(cpu)
        await asyncio.sleep(rng.uniform(3.0, 8.0))  # reads the lesson list, as between keys
        opened = time.monotonic()
        await client.press("\r")
        await client.wait_for(IN_LESSON, timeout=120)
        out.to_lesson.append(time.monotonic() - opened)
        step = 1
        end = time.monotonic() + session
        while time.monotonic() < end:
            await asyncio.sleep(rng.uniform(3.0, 8.0))
            mark = len(client.output)
            try:
                latency = await client.key_latency("n", timeout=KEY_LIMIT)
            except TimeoutError:
                out.silent_keys += 1
                continue
            out.keys.append(latency)
            await client.settle(0.3, timeout=KEY_LIMIT)
            shown = [int(m.group(1)) for m in STEP_SHOWN.finditer(client.output[mark:])]
            if shown and shown[-1] != step:
                step = shown[-1]
                out.step_keys.append(latency)
    except (TimeoutError, ConnectionError, OSError) as exc:
        out.failures.append(f"learner {number}: {type(exc).__name__}")
    finally:
        await client.close()


async def run_class(base: str, root: Path, size: int, spread: float, session: float) -> Measures:
    rng = random.Random(size)
    out = Measures()
    delays = [spread * i / max(size - 1, 1) for i in range(size)] if size > 1 else [0.0]
    await asyncio.gather(
        *(
            learner(base, root, i, d, session, random.Random(rng.random()), out)
            for i, d in enumerate(delays)
        )
    )
    return out


def serve(root: Path, port: int, cold: bool, max_starts: int | None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tutor", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--root", str(root), "--class-code", CODE, "--max-sessions", "60"]
    command += ["--cold-starts"] if cold else []
    command += ["--max-starts", str(max_starts)] if max_starts else []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the class server did not start")


def measure(
    size: int, spread: float, session: float, cold: bool, max_starts: int | None = None
) -> tuple[Measures, float, int]:
    """Run one class on a fresh server; its measures, CPU-seconds (server + tutors), actions."""
    with tempfile.TemporaryDirectory() as root:
        cpu = children_cpu()
        port = free_port()
        server = serve(Path(root) / "class", port, cold, max_starts)
        try:
            address = f"http://127.0.0.1:{port}/"
            out = asyncio.run(run_class(address, Path(root) / "class", size, spread, session))
            time.sleep(2.0)  # the last tutors save and exit
            out.server_cpu = process_cpu(server.pid)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(60)
        cpu = children_cpu() - cpu
    actions = len(out.to_home) + len(out.to_lesson) + len(out.keys) + out.silent_keys
    return out, cpu, actions


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else max(values, default=0)


def report(label: str, out: Measures, cpu: float, actions: int, base: Measures | None) -> None:
    def ms(values: list[float]) -> str:
        if not values:
            return "no data"
        return f"median {statistics.median(values) * 1000:.0f} ms, p90 {p90(values) * 1000:.0f} ms"

    late = sum(t > 3.0 for t in out.to_home)
    print(f"{label}:")
    print(
        f"  to the lesson list: {ms(out.to_home)}, max {max(out.to_home, default=0):.2f} s; "
        f"over 3 s: {late} of {len(out.to_home)}"
    )
    if out.start_cpu:
        cpu_start = statistics.median(out.start_cpu)
        print(f"  CPU of a start:     median {cpu_start:.3f} s (the tutor's, to its lesson list)")
    print(f"  open a lesson:      {ms(out.to_lesson)}")
    print(f"  key latency:        {ms(out.keys)} ({len(out.keys)} keys, {out.silent_keys} silent)")
    reveals = list(out.keys)
    for latency in out.step_keys:
        reveals.remove(latency)
    print(f"    step changes:     {ms(out.step_keys)} ({len(out.step_keys)} keys)")
    print(f"    reveals:          {ms(reveals)} ({len(reveals)} keys)")
    print(
        f"  CPU per action:     {cpu / max(actions, 1):.3f} s "
        f"({cpu:.1f} s of the server and tutors over {actions}, the server's own start included; "
        f"the server itself {out.server_cpu:.1f} s)"
    )
    if out.keys and out.to_home:
        print(
            f"  against the targets: key p90 / 150 ms = {p90(out.keys) / KEY_TARGET:.2f}, "
            f"slowest to the lesson list / 3 s = {max(out.to_home) / HOME_TARGET:.2f} (each ≤ 1.0)"
        )
    if base is not None and base.keys and out.keys and base.to_home and out.to_home:
        print(
            f"  ratio to one learner alone: key p90 {p90(out.keys) / p90(base.keys):.2f}, "
            f"lesson list p90 {p90(out.to_home) / p90(base.to_home):.2f}"
        )
    for failure in out.failures:
        print(f"  failed: {failure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,20,30", help="class sizes (default 10,20,30)")
    parser.add_argument("--spread", type=float, default=60.0, help="arrivals over N s (60)")
    parser.add_argument("--session", type=float, default=45.0, help="reading time per learner")
    parser.add_argument("--cold-starts", action="store_true", help="no warm tutor to fork from")
    parser.add_argument("--max-starts", type=int, help="the server's cap on starts at once")
    args = parser.parse_args()
    how = "every tutor started cold" if args.cold_starts else "tutors forked from a warm one"
    print(f"{how}; load average at the start {os.getloadavg()[0]:.2f}")
    alone, cpu, actions = measure(1, 0.0, args.session, args.cold_starts, args.max_starts)
    report("one learner alone (baseline)", alone, cpu, actions, None)
    for size in (int(s) for s in args.sizes.split(",")):
        out, cpu, actions = measure(
            size, args.spread, args.session, args.cold_starts, args.max_starts
        )
        report(f"{size} learners, arriving over {args.spread:.0f} s", out, cpu, actions, alone)


if __name__ == "__main__":
    main()
