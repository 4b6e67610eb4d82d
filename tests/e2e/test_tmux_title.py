"""A lesson file named with an OSC title sequence leaves the terminal's title alone (issue 23).

Under tmux (a real terminal emulator), the file ``a ESC ] 2 ; PWNED BEL .md`` is
listed by the home screen and by ``list``; if any byte of the sequence reached the
terminal, tmux would take ``PWNED`` as the pane's title (``#{pane_title}``).
"""

from __future__ import annotations

import shlex
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_tmux import Tmux

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]
TITLE = "tutor-under-test"
LESSON = '+++\nid = "pwned"\ntitle = "Named to attack"\n+++\n\n## One\n\nText.\n'


def tutor_command(*args: str) -> str:
    """This checkout's tutor (not an installed one), as a shell command."""
    python = f"env PYTHONPATH={shlex.quote(str(ROOT))} {shlex.quote(sys.executable)} -m tutor"
    return " ".join([python, *map(shlex.quote, args)])


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "a\x1b]2;PWNED\x07.md").write_text(LESSON, encoding="utf-8")
    (folder / "b\x1b]2;PWNED\x07.md").write_text("", encoding="utf-8")  # broken: named again
    return folder


@pytest.mark.parametrize("command", ["home", "list"])
def test_a_file_named_with_a_title_sequence_leaves_the_title_unchanged(
    tmp_path: Path, lessons: Path, command: str
) -> None:
    tmux = Tmux(tmp_path / "home")
    try:
        args = ["--lessons", str(lessons)] + (["list"] if command == "list" else [])
        shell = tutor_command(*args) + ("; sleep 30" if command == "list" else "")
        tmux.start(shell)
        tmux.run("select-pane", "-T", TITLE)
        if command == "home":
            tmux.wait_for("could not be read")  # the catalog has loaded
            tmux.keys("End")  # the broken file is listed last, by its name
            tmux.wait_for("(cannot be opened)")
        else:
            tmux.wait_for("pwned")
        screen = tmux.screen()
        assert "\\u001b]2;PWNED\\u0007" in screen  # the name, spelled out
        time.sleep(0.5)  # let tmux read whatever else was written
        assert tmux.run("display", "-p", "#{pane_title}").strip() == TITLE
    finally:
        tmux.kill()


def test_the_check_would_see_a_title_change(tmp_path: Path) -> None:
    """The same sequence written raw does change the title: the test can fail."""
    tmux = Tmux(tmp_path / "home")
    try:
        tmux.start("sh -c 'sleep 0.5; printf \"\\033]2;PWNED\\007\"; sleep 30'")
        tmux.run("select-pane", "-T", TITLE)
        deadline = time.monotonic() + 30
        while tmux.run("display", "-p", "#{pane_title}").strip() != "PWNED":
            assert time.monotonic() < deadline, "the raw sequence never set the title"
            time.sleep(0.1)
    finally:
        tmux.kill()
