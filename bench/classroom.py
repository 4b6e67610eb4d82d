"""Benchmark: a class of simulated learners on one ``backprop-tutor serve`` (no browser).

Each learner signs in, opens the tutor's socket (textual-serve's protocol, the
screen kept in a terminal emulator), waits for the lesson list, opens the first
lesson, then reads: a pause of 3-8 s, a key (``n``), again, for ``--session``
seconds.  Arrivals are spread evenly over ``--spread`` seconds.  Reported per class
size: time from arriving to the lesson list (median, p90, max, and how many took
over 3 s), lesson open, key latency (key sent to the tutor's first output after it)
at the median and p90, and CPU-seconds per action (every tutor process's CPU, read
from the server's ``cutime``/``cstime`` once they have all exited, over starts +
lesson opens + keys).  A single learner alone, measured first in the same run, is
the baseline of the ratios.

    python bench/classroom.py [--sizes 10,20,30] [--spread 60] [--session 45]

Targets (issue 21): key latency p90 <= 150 ms; every learner at the lesson list
within 3 s of arriving.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
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

CODE = "bench"
HOME = "lessons · Enter opens"
IN_LESSON = "Step 1 of"
KEY_LIMIT = 10.0
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Measures:
    """What a class of learners measured."""

    to_home: list[float] = field(default_factory=list)
    to_lesson: list[float] = field(default_factory=list)
    keys: list[float] = field(default_factory=list)
    silent_keys: int = 0
    failures: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_cpu(pid: int) -> float:
    """CPU-seconds of the server's exited (waited-for) children: every tutor it started."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / TICKS  # cutime, cstime


async def learner(
    base: str, number: int, delay: float, session: float, rng: random.Random, out: Measures
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
        opened = time.monotonic()
        await client.press("\r")
        await client.wait_for(IN_LESSON, timeout=120)
        out.to_lesson.append(time.monotonic() - opened)
        end = time.monotonic() + session
        while time.monotonic() < end:
            await asyncio.sleep(rng.uniform(3.0, 8.0))
            try:
                out.keys.append(await client.key_latency("n", timeout=KEY_LIMIT))
            except TimeoutError:
                out.silent_keys += 1
    except (TimeoutError, ConnectionError, OSError) as exc:
        out.failures.append(f"learner {number}: {type(exc).__name__}")
    finally:
        await client.close()


async def run_class(base: str, size: int, spread: float, session: float) -> Measures:
    rng = random.Random(size)
    out = Measures()
    delays = [spread * i / max(size - 1, 1) for i in range(size)] if size > 1 else [0.0]
    await asyncio.gather(
        *(
            learner(base, i, d, session, random.Random(rng.random()), out)
            for i, d in enumerate(delays)
        )
    )
    return out


def serve(root: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tutor", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--root", str(root), "--class-code", CODE, "--max-sessions", "60"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the class server did not start")


def measure(size: int, spread: float, session: float) -> tuple[Measures, float, int]:
    """Run one class on a fresh server; its measures, tutor CPU-seconds and actions."""
    with tempfile.TemporaryDirectory() as root:
        port = free_port()
        server = serve(Path(root) / "class", port)
        try:
            out = asyncio.run(run_class(f"http://127.0.0.1:{port}/", size, spread, session))
            time.sleep(2.0)  # the last tutors save and exit
            cpu = children_cpu(server.pid)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(60)
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
    print(f"  open a lesson:      {ms(out.to_lesson)}")
    print(f"  key latency:        {ms(out.keys)} ({len(out.keys)} keys, {out.silent_keys} silent)")
    print(f"  CPU per action:     {cpu / max(actions, 1):.3f} s ({cpu:.1f} s over {actions})")
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
    args = parser.parse_args()
    alone, cpu, actions = measure(1, 0.0, args.session)
    report("one learner alone (baseline)", alone, cpu, actions, None)
    for size in (int(s) for s in args.sizes.split(",")):
        out, cpu, actions = measure(size, args.spread, args.session)
        report(f"{size} learners, arriving over {args.spread:.0f} s", out, cpu, actions, alone)


if __name__ == "__main__":
    main()
