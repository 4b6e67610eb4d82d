"""A tutor served to a class, through Pilot: whose tutor it is, and what ``e`` does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.ui.support import screen_text, settle
from tests.ui.test_exercise_view import app_at
from tutor.store.served import LEARNER_ENV, SERVED_ENV
from tutor.tui.app import make_app
from tutor.tui.screens.help import HelpScreen
from tutor.tui.screens.lesson import LessonScreen

SIZE = (100, 30)


@pytest.fixture
def served_to_ada(monkeypatch: pytest.MonkeyPatch) -> None:
    """As the class server starts a learner's tutor."""
    monkeypatch.setenv(SERVED_ENV, "1")
    monkeypatch.setenv(LEARNER_ENV, "Ada Lovelace")


def header(app) -> str:
    return screen_text(app).splitlines()[0]


@pytest.mark.usefixtures("served_to_ada")
async def test_the_learners_name_is_in_the_header_of_every_screen(tmp_path: Path) -> None:
    app = make_app(data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Ada Lovelace" in header(app)
        await pilot.press("enter")  # the first lesson
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        assert "Ada Lovelace" in header(app)
        assert "step 1/" in header(app)  # the step is still said beside the name
        await pilot.press("question_mark")
        await settle(pilot)
        assert "Ada Lovelace" in header(app)


@pytest.mark.usefixtures("served_to_ada")
async def test_served_the_footer_says_e_downloads_the_file(tmp_path: Path) -> None:
    app = app_at(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Your editor" not in footer
        assert "e Download" in footer
        await pilot.press("question_mark")  # the help lists the key as the footer says it
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = screen_text(app).splitlines()[1:-1]  # the help, above the footer
        assert not any("Your editor" in line for line in keys)
        assert any(re.search(r"\be +Download", line) for line in keys), keys


async def test_at_a_terminal_the_footer_says_e_opens_your_editor(tmp_path: Path) -> None:
    app = app_at(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "e Your editor" in screen_text(app).splitlines()[-1]
