"""Benchmark: time to a usable home screen of ``backprop-tutor`` against a minimal Textual app.

Both are started as processes on a pseudo-terminal (100×30).  For the tutor the
clock stops when the home screen lists the lessons (the first lesson's title has
been written), not at its first frame; for the minimal app at its first frame
(its one word, "ready").  The tutor's data directory is kept between runs, as a
learner's is, after one start that is not counted.  Several alternating runs;
prints the medians and, last, ``startup ratio: R`` (target ≤ 1.3).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pty_screen import compiled_env  # noqa: E402

RUNS = 7
TIMEOUT = 20.0
MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("ready")

Minimal().run()
"""


def first_frame_seconds(command: list[str], marker: bytes, env: dict[str, str]) -> float:
    """Seconds from spawning ``command`` on a pty until ``marker`` appears in its output."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True
    )
    os.close(follower)
    seen = b""
    try:
        while time.perf_counter() - start < TIMEOUT:
            ready, _, _ = select.select([leader], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(leader, 65536)
                except OSError:
                    break
                if marker in seen:
                    return time.perf_counter() - start
        raise RuntimeError(f"no first frame from {command[0]} within {TIMEOUT} s")
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(leader)


def first_lesson_title() -> bytes:
    """The start of the title the home screen lists first (the lessons are listed then)."""
    from tutor.lesson.catalog import load_catalog
    from tutor.store.locations import lesson_dirs

    titles = [e.lesson.title for e in load_catalog(lesson_dirs()) if e.lesson is not None]
    return titles[0][:24].encode()


def main() -> int:
    tutor = shutil.which("backprop-tutor") or str(Path(sys.executable).with_name("backprop-tutor"))
    listed = first_lesson_title()
    with tempfile.TemporaryDirectory() as home:
        env = {**compiled_env(), "BACKPROP_TUTOR_HOME": home}
        script = Path(home) / "minimal_app.py"
        script.write_text(MINIMAL_APP, encoding="utf-8")
        first_frame_seconds([tutor], listed, env)  # the first start ever: not counted
        ours, minimal = [], []
        for _ in range(RUNS):
            minimal.append(first_frame_seconds([sys.executable, str(script)], b"ready", env))
            ours.append(first_frame_seconds([tutor], listed, env))
    ours_ms, minimal_ms = statistics.median(ours) * 1000, statistics.median(minimal) * 1000
    print(f"runs: {RUNS} each, alternating")
    print(f"minimal Textual app: median {minimal_ms:.0f} ms")
    print(f"backprop-tutor:      median {ours_ms:.0f} ms to the lessons listed ({listed!r})")
    print(f"startup ratio: {ours_ms / minimal_ms:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
