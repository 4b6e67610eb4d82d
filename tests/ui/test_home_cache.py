"""The home screen lists the lessons from the catalog cache at once; a lesson is parsed when it
is opened."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import tutor.lesson.catalog
import tutor.lesson.parser
from tests.core.test_lesson_cache import lessons_dir
from tests.helpers import one_weight_network
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

    whole_catalog, files_parsed, texts_parsed = [], [], []
    real_load = tutor.lesson.catalog.load_catalog
    real_parse = tutor.lesson.parser.parse_lesson_file
    real_parse_text = tutor.lesson.parser.parse_lesson_text

    def counted_load(directories):
        whole_catalog.append(directories)
        return real_load(directories)

    def counted_parse(path):
        files_parsed.append(path.name)
        return real_parse(path)

    def counted_parse_text(text, path, *, outline=False):
        texts_parsed.append((path.name, "outline" if outline else "whole"))
        return real_parse_text(text, path, outline=outline)

    monkeypatch.setattr(tutor.lesson.catalog, "load_catalog", counted_load)
    monkeypatch.setattr(tutor.lesson.parser, "parse_lesson_file", counted_parse)
    monkeypatch.setattr(tutor.lesson.parser, "parse_lesson_text", counted_parse_text)
    second = make_app(data_dir=data, lessons_dirs=[folder])
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(second)
        assert "1  One" in text and "A small lesson." in text  # from the cache
        assert "broken.md (cannot be opened)" in text and "Loading" not in text
        assert whole_catalog == [] and files_parsed == [] and not second.lessons.catalog_loaded
        assert texts_parsed == []
        await pilot.press("enter")  # the first lesson, "One": its first step has blocks
        await settle(pilot)
        assert isinstance(second.screen, LessonScreen) and second.screen.lesson.id == "one"
        assert "Step 1 of" in screen_text(second)
        # read once as an outline, then once whole for the blocks of its first step
        assert texts_parsed == [("one.md", "outline"), ("one.md", "whole")]
        assert second.screen.lesson.complete and second.screen.body.derivations()
        await pilot.press("q")  # home, and the lesson again: nothing is read again
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(second.screen, LessonScreen) and second.screen.lesson.complete
        assert texts_parsed == [("one.md", "outline"), ("one.md", "whole")]
        assert files_parsed == [] and whole_catalog == []


PROSE_FIRST = f"""+++
id = "prose"
title = "Prose first"
+++

## Words

Only words here.

## Numbers

{one_weight_network()}

```derive
network = "n"
```
"""


async def test_an_outline_is_read_whole_once_a_step_with_blocks_is_built(tmp_path):
    """A lesson whose first step is prose opens as an outline; its blocks are read when the
    step that has them is built (the next step, built ahead), once."""
    folder, data = tmp_path / "lessons", tmp_path / "data"
    folder.mkdir()
    (folder / "prose.md").write_text(PROSE_FIRST, encoding="utf-8")
    first = make_app(data_dir=data, lessons_dirs=[folder])
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)  # the cache written
    app = make_app(data_dir=data, lessons_dirs=[folder])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_lesson("prose")
        screen = app.screen
        assert isinstance(screen, LessonScreen) and not screen.lesson.complete
        assert [type(p).__name__ for p in screen.lesson.steps[1].parts] == ["Unread", "Unread"]
        await settle(pilot)
        assert "Only words here." in screen_text(app)
        for _ in range(100):  # step 2 is built ahead a moment later: the lesson read whole
            if screen.lesson.complete:
                break
            await pilot.pause(0.1)
        assert screen.lesson.complete and 1 in screen.pages
        await pilot.press("n")
        await settle(pilot)
        assert "Step 2 of 2" in screen_text(app) and screen.body.derivations()


@pytest.mark.parametrize(
    ("before", "after"),
    [('network = "n"', 'network = "gone"'), ('predict = ["dL/dW1"]', "bogus = 1")],
    ids=["a problem the checks find", "a problem the parser finds"],
)
async def test_a_lesson_changed_after_the_home_was_listed_is_checked_whole(tmp_path, before, after):
    """The cache vouched for the file at start; changed since, it is neither read as an outline
    nor parsed alone but checked with the whole catalog, which reports its problem."""
    folder, data = lessons_dir(tmp_path), tmp_path / "data"
    first = make_app(data_dir=data, lessons_dirs=[folder])
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
    app = make_app(data_dir=data, lessons_dirs=[folder])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.lessons.cached_cards is not None
        lesson = folder / "one.md"
        lesson.write_text(lesson.read_text().replace(before, after))
        app.open_lesson("one")
        await settle(pilot)
        assert not isinstance(app.screen, LessonScreen)  # broken now: not opened
        assert app.lessons.catalog_loaded  # the whole catalog checked, which reports the problem
        entry = next(e for e in app.lessons.catalog if e.path.name == "one.md")
        assert entry.lesson is None and entry.problems


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
        print(app.lessons.cached_cards is not None, *(name in sys.modules for name in loaded))

asyncio.run(home())
"""
    env = {**os.environ, "BACKPROP_TUTOR_HOME": str(tmp_path)}
    run = [sys.executable, "-c", script]
    subprocess.run(run, env=env, check=True, capture_output=True, timeout=120)  # writes the cache
    shown = subprocess.run(run, env=env, check=True, capture_output=True, text=True, timeout=120)
    assert shown.stdout.split() == ["True", "False", "False", "False", "False"]
