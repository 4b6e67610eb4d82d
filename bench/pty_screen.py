"""A program on a pseudo-terminal, as a benchmark sees it: keys in, bytes out, with times.

Provides :class:`PtyProgram`: spawn a command on a pty of a given size, wait until
some text has been written, send keys, and time a key until the screen has stopped
changing (the last byte written before a quiet spell), and read the CPU time the
process has used (:meth:`PtyProgram.cpu_seconds`, :meth:`PtyProgram.idle`).  Used by
``bench/steps.py``, ``bench/startup.py`` and ``bench/cpu.py``; no terminal emulation,
only the bytes and their times.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence
from pathlib import Path

QUIET = 0.35
"""Seconds without output after which a screen counts as having stopped changing."""
TIMEOUT = 30.0
CPU_QUIET = 0.3
"""Seconds without a CPU clock tick after which a process counts as idle."""
TICK = os.sysconf("SC_CLK_TCK")


def compiled_env() -> dict[str, str]:
    """The environment for a benchmarked program, with the tutor's bytecode compiled.

    An installed tutor runs from compiled bytecode, as Textual and NumPy do here; with
    ``PYTHONDONTWRITEBYTECODE`` set and no ``__pycache__`` in the source tree, each start
    would compile the tutor's modules again and count that.  They are compiled once into
    the tree's ``__pycache__`` folders (ignored by git).
    """
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPYCACHEPREFIX", None)
    tutor = Path(__file__).resolve().parent.parent / "tutor"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tutor)], env=env, check=True)
    return env


class PtyProgram:
    """One process on its own pseudo-terminal."""

    def __init__(self, command: Sequence[str], env: dict[str, str], size=(100, 32)) -> None:
        columns, rows = size
        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(command),
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env=env,
            start_new_session=True,
        )
        os.close(follower)
        self.output = b""

    def _read(self, timeout: float) -> tuple[bytes, float] | None:
        """The next bytes written and when they arrived, or None after ``timeout`` seconds."""
        ready, _, _ = select.select([self.leader], [], [], max(timeout, 0.0))
        if not ready:
            return None
        try:
            data = os.read(self.leader, 1 << 16)
        except OSError:
            raise RuntimeError("the program exited") from None
        self.output += data
        return data, time.perf_counter()

    def wait_for(self, marker: bytes) -> float:
        """Seconds from the start until ``marker`` has been written."""
        deadline = time.perf_counter() + TIMEOUT
        start = len(self.output)
        while time.perf_counter() < deadline:
            got = self._read(0.05)
            if got is not None and marker in self.output[max(0, start - len(marker)) :]:
                return got[1] - self.started
        raise RuntimeError(f"{marker!r} never appeared")

    def settle(self, quiet: float = QUIET) -> bytes:
        """Read until nothing has been written for ``quiet`` seconds; the bytes read."""
        start = len(self.output)
        while self._read(quiet) is not None:
            pass
        return self.output[start:]

    def press(self, key: bytes, quiet: float = QUIET) -> tuple[float | None, bytes]:
        """Send ``key``; seconds until the last byte before a quiet spell (None: no change)."""
        start = len(self.output)
        sent = time.perf_counter()
        os.write(self.leader, key)
        last = None
        deadline = sent + TIMEOUT
        while time.perf_counter() < deadline:
            got = self._read(quiet)
            if got is None:
                break
            last = got[1]
        return (None if last is None else last - sent), self.output[start:]

    def cpu_seconds(self) -> float:
        """CPU seconds (user + system) the process has used so far, all its threads."""
        stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime

    def idle(self, quiet: float = CPU_QUIET) -> float:
        """Read output until the process has used no CPU for ``quiet`` seconds; its CPU then.

        Work that writes nothing (a page built out of view, a worker thread) is
        counted too, as long as it follows within ``quiet`` seconds.
        """
        used = self.cpu_seconds()
        deadline = time.perf_counter() + TIMEOUT
        while time.perf_counter() < deadline:
            calm_until = time.perf_counter() + quiet
            while time.perf_counter() < calm_until:
                self._read(calm_until - time.perf_counter())
            now = self.cpu_seconds()
            if now == used:
                return now
            used = now
        return used

    def close(self) -> None:
        """Kill the process and free the terminal."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.leader)
