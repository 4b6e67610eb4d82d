"""The real `backprop-tutor` script under tmux: home, open the lesson, step, read the screen."""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.helpers import HANG

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(
        importlib.util.find_spec("tutor.lesson.catalog") is None,
        reason="the lesson catalog is not available yet",
    ),
]

TIMEOUT = HANG
DROPPED = "not taken"
"""What the lesson says of a key pressed while a step was being drawn (it is not taken)."""


def console_script() -> str:
    found = Path(sys.executable).with_name("backprop-tutor")
    return str(found) if found.exists() else (shutil.which("backprop-tutor") or "")


class Tmux:
    """A private tmux server with one 100×30 session."""

    def __init__(self, home: Path) -> None:
        self.socket = f"bt-test-{uuid.uuid4().hex[:8]}"
        self.home = home

    def run(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def start(self, command: str) -> None:
        env = f"BACKPROP_TUTOR_HOME={shlex.quote(str(self.home))} TERM=xterm-256color"
        # COLUMNS/LINES from the test runner would override the window's real size
        unset = "env -u COLUMNS -u LINES"
        self.run("new-session", "-d", "-x", "100", "-y", "30", f"{unset} {env} {command}")
        self.run("set-option", "-g", "remain-on-exit", "on")

    def screen(self) -> str:
        return self.run("capture-pane", "-p")

    def wait_for(self, text: str) -> str:
        return self.wait_for_any(text)

    def wait_for_any(self, *texts: str) -> str:
        """The screen once one of ``texts`` is on it."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            screen = self.screen()
            if any(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"none of {texts} appeared; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", *keys)

    def dead(self) -> bool:
        """Whether the program in the pane has ended.  Asked of tmux: the "Pane is dead" line
        is drawn only once tmux has reaped the process, which can come late."""
        return self.run("list-panes", "-F", "#{pane_dead}").strip() == "1"

    def wait_until_dead(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not self.dead():
            if time.monotonic() > deadline:
                raise AssertionError(f"the program did not end; the screen was:\n{self.screen()}")
            time.sleep(0.1)

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def test_real_app_opens_the_lesson_and_steps(tmp_path):
    script = console_script()
    if not script:
        pytest.skip("the backprop-tutor console script is not installed")
    tmux = Tmux(tmp_path)
    try:
        tmux.start(shlex.quote(script))
        home = tmux.wait_for("steps ·")  # the catalog has loaded and a lesson is listed
        assert "Lessons" in home and "Quiz" in home
        tmux.keys("Enter")
        tmux.wait_for("Step 1 of")
        tmux.keys("n")
        screen = tmux.wait_for_any("Step 2 of", DROPPED)
        if DROPPED in screen:  # n came while step 1 was still being drawn: press again
            tmux.keys("n")
            screen = tmux.wait_for("Step 2 of")
        assert "n/→ Next" in screen
        tmux.keys("q")
        tmux.wait_for("resume at step 2")
        tmux.keys("q")
        tmux.wait_until_dead()
        assert "Traceback" not in tmux.screen()
    finally:
        tmux.kill()
    assert os.path.exists(tmp_path / "progress.json")
