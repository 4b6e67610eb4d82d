"""The real app told to stop between reveals (SIGTERM, or its terminal closed) keeps them.

Reveals are written a moment after the key (issue 21: keys share a write); a tutor
stopped before that moment writes them as it goes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from tests.e2e.test_tmux import TIMEOUT
from tests.e2e.test_tmux_keys import settled, start_at, step_index
from tutor.tui.app import SAVE_AFTER

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

DERIVATION_STEP = "The backward pass, one product at a time"


def saved_reveals(home: Path) -> dict[str, int]:
    progress = json.loads((home / "progress.json").read_text("utf-8"))
    return dict(progress["lessons"]["backprop"].get("revealed", {}))


def wait_for_exit(pid: int) -> None:
    """Until the process has ended (gone, or a zombie nobody has reaped yet)."""
    stat = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.05)
    raise AssertionError(f"the tutor (pid {pid}) did not stop: {stat.read_text()}")


@pytest.mark.parametrize("how", ["SIGTERM", "terminal closed"])
def test_reveals_are_kept_when_the_tutor_is_stopped_right_after(tmp_path: Path, how: str):
    tmux = start_at(tmp_path, step_index(DERIVATION_STEP))
    home = tmux.home
    try:
        pid = int(tmux.run("list-panes", "-F", "#{pane_pid}").strip())
        settled(tmux, 2.0)  # the steps beside it built (a question drawn there is saved)
        pressed = time.monotonic()
        tmux.keys("n", "n", "n")
        tmux.wait_for("▶ z2 = ")  # the third value of the forward pass is shown
        if time.monotonic() - pressed < SAVE_AFTER - 0.5:  # not written yet: the stop must
            assert saved_reveals(home) == {}
        if how == "SIGTERM":
            os.kill(pid, signal.SIGTERM)
        else:
            tmux.kill()  # the pane's terminal goes: SIGHUP
        wait_for_exit(pid)
    finally:
        tmux.kill()
    assert list(saved_reveals(home).values()) == [3]
