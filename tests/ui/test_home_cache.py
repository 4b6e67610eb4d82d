"""The home screen lists the lessons from the catalog cache at once; a lesson is parsed when it
is opened."""

from __future__ import annotations

import os
import subprocess
import sys

import tutor.lesson.catalog
import tutor.lesson.parser
from tests.core.test_lesson_cache import lessons_dir
from tests.ui.support import screen_text, settle
from tutor.lesson.cache import CACHE_FILE
from tutor.tui.app import make_app
from tutor.tui.screens.lesson import LessonScreen

SIZE = (100, 44)  # tall enough for the bundled lessons, the fixture lessons and the quiz


async def test_cached_lessons_are_listed_and_only_the_one_opened_is_parsed(tmp_path, monkeypatch):
    folder, data = lessons_dir(tmp_path), tmp_path / "data"
    first = make_app(data_dir=data, lessons_dirs=[folder])
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)  # no cache yet: parsed, listed, and the cache written
        assert "1  One" in screen_text(first)
    assert (data / CACHE_FILE).exists()

    whole_catalog, files_parsed = [], []
    real_load = tutor.lesson.catalog.load_catalog
    real_parse = tutor.lesson.parser.parse_lesson_file

    def counted_load(directories):
        whole_catalog.append(directories)
        return real_load(directories)

    def counted_parse(path):
        files_parsed.append(path.name)
        return real_parse(path)

    monkeypatch.setattr(tutor.lesson.catalog, "load_catalog", counted_load)
    monkeypatch.setattr(tutor.lesson.parser, "parse_lesson_file", counted_parse)
    second = make_app(data_dir=data, lessons_dirs=[folder])
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(second)
        assert "1  One" in text and "A small lesson." in text  # from the cache
        assert "broken.md (cannot be opened)" in text and "Loading" not in text
        assert whole_catalog == [] and files_parsed == [] and not second.catalog_loaded
        await pilot.press("enter")  # the first lesson, "One"
        await settle(pilot)
        assert isinstance(second.screen, LessonScreen) and second.screen.lesson.id == "one"
        assert "Step 1 of" in screen_text(second)
        assert files_parsed == ["one.md"] and whole_catalog == []


async def test_a_lesson_changed_since_the_cache_is_listed_as_it_is_now(tmp_path):
    folder, data = lessons_dir(tmp_path), tmp_path / "data"
    first = make_app(data_dir=data, lessons_dirs=[folder])
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
    lesson = folder / "one.md"
    lesson.write_text(lesson.read_text().replace('title = "One"', 'title = "Renamed"'))
    second = make_app(data_dir=data, lessons_dirs=[folder])
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(second)
        assert "1  Renamed" in text and "1  One" not in text


def test_a_home_listed_from_the_cache_loads_no_numpy_no_engine_and_no_markdown(tmp_path):
    """Start-up cost: the lesson list from a fresh cache needs none of them, nor a code
    highlighter (a fresh interpreter); the first lesson opened loads what it shows."""
    script = """
import asyncio, sys
from tutor.tui.app import make_app

async def home():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.5)
        loaded = ("numpy", "tutor.engine", "markdown_it", "pygments")
        print(app.cached_cards is not None, *(name in sys.modules for name in loaded))

asyncio.run(home())
"""
    env = {**os.environ, "BACKPROP_TUTOR_HOME": str(tmp_path)}
    run = [sys.executable, "-c", script]
    subprocess.run(run, env=env, check=True, capture_output=True, timeout=120)  # writes the cache
    shown = subprocess.run(run, env=env, check=True, capture_output=True, text=True, timeout=120)
    assert shown.stdout.split() == ["True", "False", "False", "False", "False"]
