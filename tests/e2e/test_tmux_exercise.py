"""The real app under tmux: the bundled lesson's exercise step, $EDITOR writes a solution.

The editor is a script that copies the reference solution over the file it is
given, as a learner's editor would save their work; the app suspends while it
runs, resumes, notices the save and shows every check passing.
"""

from __future__ import annotations

import shlex
import shutil
import stat
from pathlib import Path

import pytest

from tests.e2e.test_tmux import Tmux, console_script
from tutor.store.progress_file import ProgressStore

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

SOLUTION = Path(__file__).parents[2] / "lessons" / "exercises" / "three-layer" / "solution.py"


def test_editor_writes_a_solution_and_the_checks_turn_green(tmp_path: Path) -> None:
    script = console_script()
    if not script:
        pytest.skip("the backprop-tutor console script is not installed")
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\ncp {shlex.quote(str(SOLUTION))} "$1"\n', "utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    home = tmp_path / "home"
    tmux = Tmux(home)
    try:
        tmux.start(f"EDITOR={shlex.quote(str(editor))} {shlex.quote(script)} lesson backprop")
        tmux.wait_for("Step 1 of")
        tmux.keys("End")
        tmux.wait_for("What comes next")
        for title in ("Summary", "your own gradient", "three layers"):
            tmux.keys("p")
            tmux.wait_for(f"Practice in code: {title}" if title != "Summary" else "· Summary")
        screen = tmux.wait_for("Not started: 0 of")  # the starter, checked on opening
        assert "Your file:" in screen and "e Your editor" in screen
        copy = home / "exercises" / "bundled" / "three-layer" / "three_layer.py"
        assert "NotImplementedError" in copy.read_text("utf-8")
        tmux.keys("e")
        tmux.wait_for("✓ All")
        assert copy.read_text("utf-8") == SOLUTION.read_text("utf-8")
        assert "Traceback" not in tmux.screen()
    finally:
        tmux.kill()
    assert ProgressStore(home).load().exercises["three-layer"].solved
