"""The real app under tmux: focus order, the Esc rules and coalesced ``n`` presses.

The bundled lesson's step "Did the step help?" has a question above a training
panel; keys go in through tmux as a learner types them.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.test_tmux import Tmux, console_script
from tests.helpers import HANG

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

LESSON = Path(__file__).parents[2] / "lessons" / "backprop.md"
ASK_AND_TRAIN = "Did the step help?"


def step_index(title: str) -> int:
    """The index of the step with ``title`` in the bundled lesson (its ``##`` headings)."""
    titles = re.findall(r"^## +(.*)$", LESSON.read_text("utf-8"), re.MULTILINE)
    return titles.index(title)


def start_at(tmp_path: Path, step: int) -> Tmux:
    script = console_script()
    if not script:
        pytest.skip("the backprop-tutor console script is not installed")
    home = tmp_path / "home"
    home.mkdir()
    progress = {"version": 1, "lessons": {"backprop": {"step": step}}}
    (home / "progress.json").write_text(json.dumps(progress), "utf-8")
    tmux = Tmux(home)
    tmux.start(f"{shlex.quote(script)} lesson backprop")
    tmux.wait_for(f"Step {step + 1} of")
    return tmux


def settled(tmux: Tmux, seconds: float = 0.8) -> str:
    """The screen once it has not changed for ``seconds``."""
    screen, since = tmux.screen(), time.monotonic()
    while time.monotonic() - since < seconds:
        time.sleep(0.1)
        now = tmux.screen()
        if now != screen:
            screen, since = now, time.monotonic()
    return screen


def footer(screen: str) -> str:
    return screen.rstrip("\n").splitlines()[-1]


def wait_for_screen(tmux: Tmux, condition: Callable[[str], bool], what: str) -> str:
    """The screen once ``condition(screen)`` holds (bounded by :data:`HANG`, a hang)."""
    deadline = time.monotonic() + HANG
    while time.monotonic() < deadline:
        screen = tmux.screen()
        if condition(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{what} never came; the screen was:\n{tmux.screen()}")


def wait_for_any(tmux: Tmux, *texts: str) -> str:
    """The screen once one of ``texts`` is on it."""
    return wait_for_screen(tmux, lambda s: any(t in s for t in texts), f"none of {texts}")


def wait_for_footer(tmux: Tmux, *keys: str) -> str:
    """The screen once its footer shows every one of ``keys``."""
    return wait_for_screen(
        tmux, lambda s: all(k in footer(s) for k in keys), f"a footer with {keys}"
    )


def test_tab_goes_to_the_question_before_the_panel(tmp_path):
    tmux = start_at(tmp_path, step_index(ASK_AND_TRAIN))
    try:
        wait_for_footer(tmux, "a Answer")  # the question is drawn and open
        tmux.keys("Tab")
        wait_for_footer(tmux, "esc Leave field")
        tmux.run("send-keys", "-l", "0.7945")
        tmux.keys("Enter")  # the question judges it: the answer went into its field
        wait_for_any(tmux, "✗", "✓")
        tmux.keys("Tab")
        wait_for_footer(tmux, "esc Leave panel")  # the panel, after the question
        tmux.keys("Tab")
        wait_for_footer(tmux, "⏎ Train", "esc Leave field")  # then its first knob
        screen = wait_for_any(tmux, "lr           0.1 ")  # shown in view, and unchanged
        assert "0.7945" not in screen
        assert "Traceback" not in tmux.screen()
    finally:
        tmux.kill()


def test_escape_leaves_the_field_then_the_panel_then_the_lesson(tmp_path):
    step = step_index(ASK_AND_TRAIN)
    tmux = start_at(tmp_path, step)
    try:
        wait_for_footer(tmux, "a Answer")  # the question is drawn and open
        tmux.keys("Tab", "Tab", "Tab")  # question, panel, the first knob
        wait_for_footer(tmux, "⏎ Train", "esc Leave field")
        tmux.keys("Enter")  # trains; the focus goes to the panel
        wait_for_footer(tmux, "esc Leave panel")
        tmux.keys("Escape")
        screen = wait_for_screen(
            tmux,
            lambda s: "q Home" in footer(s) and "esc Leave panel" not in footer(s),
            "the panel left",
        )
        assert f"step {step + 1}/" in screen
        tmux.keys("a")  # the answer field, from nowhere
        wait_for_footer(tmux, "esc Leave field")
        tmux.keys("Escape")
        screen = wait_for_screen(tmux, lambda s: "esc Leave" not in footer(s), "the field left")
        assert f"step {step + 1}/" in screen
        tmux.keys("Escape")  # nothing focused: back to the lesson list
        tmux.wait_for("Lessons")
    finally:
        tmux.kill()


def test_n_presses_during_a_step_change_do_not_skip_steps(tmp_path):
    tmux = start_at(tmp_path, 0)
    try:
        settled(tmux)
        tmux.keys("n", "n", "n", "n", "n")  # five presses at once
        screen = settled(tmux, 1.0)
        assert "Step 2 of" in screen and "Step 3 of" not in screen
        tmux.keys("n")
        tmux.wait_for("Step 3 of")
    finally:
        tmux.kill()
