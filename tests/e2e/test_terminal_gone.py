"""The real tutor ends when its terminal goes away, even when no SIGHUP tells it.

A tutor on a pseudo-terminal it does not control (its own session, as ``setsid``
starts it) gets no SIGHUP when the terminal closes; Textual's input thread then read
end-of-file in a loop and the process used most of a core until killed (found as
tutors left behind by a benchmark's driver, each at 30–50 % of a core for half an hour).
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.helpers import HANG
from tutor.lesson.catalog import load_catalog
from tutor.store.locations import lesson_dirs


def read_until(leader: int, marker: bytes) -> bytes:
    """What the program wrote on the terminal, once ``marker`` is in it."""
    output = b""
    deadline = time.monotonic() + HANG
    while marker not in output:
        assert time.monotonic() < deadline, f"{marker!r} never shown:\n{output[-2000:]!r}"
        ready, _, _ = select.select([leader], [], [], 1.0)
        if ready:
            output += os.read(leader, 1 << 16)
    return output


def test_the_tutor_ends_and_saves_when_a_terminal_it_does_not_control_closes(
    tmp_path: Path,
) -> None:
    title = next(e.lesson.title for e in load_catalog(lesson_dirs()) if e.lesson is not None)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    tutor = subprocess.Popen(
        [sys.executable, "-m", "tutor"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "BACKPROP_TUTOR_HOME": str(tmp_path)},
        start_new_session=True,  # a session of its own: the terminal is not its controlling one
    )
    os.close(follower)
    try:
        read_until(leader, title[:20].encode())
        os.write(leader, b"\r")  # open the first lesson: the step is saved on the way out
        read_until(leader, b"Step 1 of")
        os.close(leader)
        assert tutor.wait(timeout=HANG) == -signal.SIGHUP  # ended as a hang-up would end it
    finally:
        if tutor.poll() is None:
            tutor.kill()
            tutor.wait()
    progress = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    assert progress["lessons"], "the lesson opened was not saved"
