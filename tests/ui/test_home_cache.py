"""The home screen lists the lessons from the catalog cache at once, and validates them again."""

from __future__ import annotations

import threading

import tutor.lesson.catalog
from tests.core.test_lesson_cache import lessons_dir
from tests.ui.support import screen_text, settle
from tutor.lesson.cache import CACHE_FILE
from tutor.tui.app import make_app
from tutor.tui.screens.home import LessonList

SIZE = (100, 44)  # tall enough for the bundled lessons, the fixture lessons and the quiz


async def test_cached_lessons_are_listed_before_they_are_parsed_again(tmp_path, monkeypatch):
    folder, data = lessons_dir(tmp_path), tmp_path / "data"
    first = make_app(data_dir=data, lessons_dirs=[folder])
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)  # no cache yet: parsed, listed, and the cache written
        assert "1  One" in screen_text(first)
    assert (data / CACHE_FILE).exists()

    parsing = threading.Event()
    release = threading.Event()
    real_load = tutor.lesson.catalog.load_catalog

    def slow_load(directories):
        parsing.set()
        release.wait(10)
        return real_load(directories)

    monkeypatch.setattr(tutor.lesson.catalog, "load_catalog", slow_load)
    second = make_app(data_dir=data, lessons_dirs=[folder])
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(second)
        assert "1  One" in text and "A small lesson." in text  # from the cache
        assert "broken.md (cannot be opened)" in text and "Loading" not in text
        assert parsing.wait(5) and not second.catalog_loaded  # validated meanwhile
        release.set()
        await settle(pilot)
        assert second.catalog_loaded
        assert "one" in second.screen.query_one(LessonList).cards


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
