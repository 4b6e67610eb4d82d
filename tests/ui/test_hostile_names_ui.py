"""Names and strings from files reach the screen spelled out, never as control codes (issue 23).

A lesson file named with the escape sequence that sets a terminal's window title, a
broken one named with a clipboard write (OSC 52), a title with a carriage return and
a right-to-left override, a summary with a zero-width space, and a progress file
whose keys hold escape sequences: the home screen, the lesson screen's header and
the notifications show each as ``\\u001b``…, and no character of the screen is a
control, format or separator character.  (The tmux test in ``tests/e2e`` checks
the terminal's title itself.)
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from tests.helpers import wait_until
from tests.ui.support import screen_text, settle
from tutor.tui.app import make_app
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.lesson import LessonScreen

SIZE = (120, 40)
HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs"}
LESSON = (
    '+++\nid = "hostile"\ntitle = "T\\r\\u202eX"\nsummary = "S\\u200bZ \\u001b not allowed"\n'
    "+++\n\n## Step \u202eone\n\nProse with a carriage\r return and \u2066isolates\u2069.\n"
).replace(" \\u001b not allowed", "")


def leaks(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if c != "\n" and unicodedata.category(c) in HIDDEN]


async def test_hostile_names_and_strings_are_spelled_on_every_screen(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "a\x1b]0;PWNED\x07.md").write_text(LESSON, encoding="utf-8")
    (lessons / "b\x1b]52;c;SGVsbG8=\x07.md").write_text("", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    damaged = {"version": 2, "lessons": {"\x1b]0;KEY\x07": {"step": "\x1b[2J"}}}
    (home / "progress.json").write_text(json.dumps(damaged), encoding="utf-8")
    app = make_app(lessons_dirs=[lessons], data_dir=home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: "b\\u001b]52" in screen_text(app), what="the lesson list")
        shown = screen_text(app)
        assert isinstance(app.screen, HomeScreen)
        assert "T\\r\\u202eX" in shown and "S\\u200bZ" in shown
        assert leaks(shown) == []
        toasts = [n.message + n.title for n in app._notifications]
        assert toasts and all(leaks(text) == [] for text in toasts)
        app.open_lesson("hostile")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen), what="the lesson")
        await settle(pilot)
        shown = screen_text(app)
        assert "\\u202eone" in shown and "carriage\\r return" in shown
        assert leaks(shown) == []
        assert leaks(app.screen.title or "") == [] and leaks(app.screen.sub_title or "") == []


async def test_a_lesson_folder_of_link_loops_keeps_the_bundled_lessons_on_the_home_screen(
    tmp_path: Path,
) -> None:
    """Before, one loop made the home screen say "Could not load lessons" (issue 23)."""
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "loop.md").symlink_to("loop.md")
    (lessons / "exercises").symlink_to("exercises")
    (tmp_path / "loop").symlink_to("loop")
    app = make_app(lessons_dirs=[lessons, tmp_path / "loop"], data_dir=tmp_path / "home")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: "could not be read" in screen_text(app), what="the list")
        shown = screen_text(app)
        assert "Backpropagation: how a network learns" in shown
        assert "Could not load lessons" not in shown
        assert "2 could not be read" in shown  # the loop file and the looping folder
