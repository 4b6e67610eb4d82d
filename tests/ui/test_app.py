"""The app shell through Pilot: home screen, damaged progress, small terminals, commands."""

from __future__ import annotations

import json

import pytest

from tests.helpers import wait_until
from tests.ui.support import demo_catalog, notice, screen_text, settle
from tutor.store.progress_file import ProgressStore
from tutor.tui.app import make_app
from tutor.tui.messages import CatalogLoaded
from tutor.tui.screens.home import QUIZ, HomeScreen, LessonList
from tutor.tui.screens.lesson import LessonScreen

SIZE = (100, 30)


def bar_cells(app) -> int:
    """How many cells of the first lesson's progress bar are filled (drawn in $success)."""
    lessons = app.screen.query_one(LessonList)
    prompt = lessons.get_option_at_index(0).prompt
    bar = prompt.plain.splitlines()[-1].split("  ")[0]
    assert set(bar) == {"━"} and len(bar) == 24
    return sum(
        span.end - span.start
        for span in prompt.spans
        if "success" in str(span.style) and prompt.plain[span.start : span.end].strip("━") == ""
    )


async def test_home_lists_lessons_broken_files_and_the_quiz(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        lessons = app.screen.query_one(LessonList)
        options = [lessons.get_option_at_index(i) for i in range(lessons.option_count)]
        assert [(o.id, o.disabled) for o in options] == [
            ("demo", False),
            ("broken-1", True),
            (QUIZ, False),
        ]
        text = screen_text(app)
        assert "1  Demo lesson" in text and "0/5 steps · not started" in text
        assert "broken.md:3: front matter: missing `title`" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("n", "n", "q")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "2/5 steps · resume at step 3" in screen_text(app)


async def test_home_loads_the_catalog_once_and_shows_what_it_announces(tmp_path):
    lesson = '+++\nid = "extra"\ntitle = "Extra lesson"\n+++\n\n## One\n\nText.\n'
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "extra.md").write_text(lesson, encoding="utf-8")
    app = make_app(data_dir=tmp_path, lessons_dirs=[tmp_path / "lessons"])
    messages = []
    assert not app.lessons.catalog_loaded and app.lessons.catalog == []
    tall = (SIZE[0], 40)  # the extra lesson is listed after the four bundled ones
    async with app.run_test(size=tall, message_hook=messages.append) as pilot:
        await settle(pilot)
        (loaded,) = [m for m in messages if isinstance(m, CatalogLoaded)]
        assert loaded.error is None and list(loaded.entries) == app.lessons.catalog
        assert "extra" in {e.lesson.id for e in app.lessons.catalog if e.lesson is not None}
        good = [e for e in app.lessons.catalog if e.lesson is not None]
        assert len(app.screen.query_one(LessonList).cards) == len(good)
        assert "Extra lesson" in screen_text(app)
        assert app.lessons.load_catalog() is app.lessons.catalog  # parsed once, then the same


async def test_a_catalog_that_cannot_load_is_reported(tmp_path, monkeypatch):
    import tutor.lesson.catalog

    def fail(directories):
        raise RuntimeError("boom")

    monkeypatch.setattr(tutor.lesson.catalog, "load_catalog", fail)
    app = make_app(data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Could not load lessons: boom" in screen_text(app)


async def test_broken_lesson_is_not_opened(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lessons = app.screen.query_one(LessonList)
        await pilot.press("down")  # the disabled broken entry is skipped
        assert lessons.get_option_at_index(lessons.highlighted).id == QUIZ
        row = next(y for y, line in enumerate(screen_text(app).splitlines()) if "broken.md" in line)
        await pilot.click(offset=(8, row))  # on the broken file's line
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_damaged_progress_is_set_aside_and_reported(tmp_path):
    (tmp_path / "progress.json").write_text("{not json", encoding="utf-8")
    app = make_app(data_dir=tmp_path, catalog=demo_catalog())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notices = [n.message for n in app._notifications]
        assert any("damaged" in message for message in notices)
        assert isinstance(app.screen, HomeScreen)
        assert app.progress.lessons == {}
    assert list(tmp_path.glob("progress.json.damaged-*"))


async def test_too_small_terminal_and_resizing(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for width, height in [(30, 10), (39, 30), (100, 11), (55, 20), (80, 24), (20, 5), SIZE]:
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            text = screen_text(app)
            small = width < 40 or height < 12
            assert ("Terminal too small" in text) == small, (width, height)
            outline = app.screen.query_one("#outline")
            if not small:
                assert outline.display == (width >= 60)
        await pilot.press("n")  # still works after all that
        await settle(pilot)
        assert app.screen.index == 1


async def test_narrow_terminal_outline_toggle(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=(50, 20)) as pilot:
        await settle(pilot)
        outline = app.screen.query_one("#outline")
        assert not outline.display
        await pilot.press("o")
        assert outline.display
        await pilot.press("o")
        assert not outline.display


async def test_quiz_entry_without_the_quiz_package_notifies(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "tutor.tui.screens.quiz", None)  # import fails
    app = make_app(data_dir=tmp_path, catalog=demo_catalog())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("quiz is not available" in n.message for n in app._notifications)


async def test_reset_progress_and_palette_commands(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Quiz", "Toggle dark/light", "Reset progress"} <= titles
        dark = app.current_theme.dark
        app.action_toggle_dark()
        assert app.current_theme.dark != dark
        before = (tmp_path / "progress.json").read_bytes()
        app.action_reset_progress()
        await settle(pilot)
        await pilot.press("escape")  # the confirmation: cancel changes nothing
        await settle(pilot)
        assert app.screen.index == 2
        app.action_reset_progress()
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.index == 0
    saved = json.loads((tmp_path / "progress.json").read_text())
    assert saved["lessons"]["demo"]["finished_steps"] == []
    (kept,) = tmp_path.glob("progress.json.before-reset-*")
    assert kept.read_bytes() == before


async def test_reset_progress_from_the_home_screen_redraws_the_list(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "n", "q")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "2/5 steps · resume at step 3" in screen_text(app)
        assert bar_cells(app) == round(24 * 2 / 5)
        app.action_reset_progress()
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "0/5 steps · not started" in screen_text(app)
        assert bar_cells(app) == 0


async def test_palette_offers_open_lesson(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"demo")  # the palette searches in the background
        await wait_until(pilot, lambda: "Open lesson 1 Demo lesson" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)


async def test_help_overlay_lists_keys(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "Next" in text and "Back" in text and "Outline" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
    assert ProgressStore(tmp_path).load().lessons["demo"].step == 0


async def test_an_unhandled_exception_is_kept_for_the_crash_log(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog())

    def boom() -> None:
        raise RuntimeError("boom [/b]")

    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.call_later(boom)
            await pilot.pause()
    assert isinstance(app.crash, RuntimeError) and app.return_code == 1


def test_the_tui_exits_70_and_names_the_crash_log(tmp_path, monkeypatch, capsys, private_home):
    import argparse

    import tutor.tui.app
    from tutor.commands.tui import run_tui

    app = make_app(data_dir=tmp_path, catalog=demo_catalog())
    monkeypatch.setattr(app, "run", lambda: setattr(app, "crash", RuntimeError("boom")))
    monkeypatch.setattr(tutor.tui.app, "make_app", lambda **kwargs: app)
    assert run_tui(argparse.Namespace(command=None, lessons=[])) == 70
    (log,) = private_home.glob("crash-*.log")
    assert "RuntimeError: boom" in log.read_text()
    assert capsys.readouterr().err.splitlines() == [
        "backprop-tutor: internal error: RuntimeError: boom",
        f"The details are in {log}; please attach that file to a report.",
    ]


async def test_finished_steps_past_a_lessons_end_are_not_counted(tmp_path):
    saved = {"version": 1, "lessons": {"demo": {"step": 4, "finished_steps": list(range(100_000))}}}
    (tmp_path / "progress.json").write_text(json.dumps(saved), encoding="utf-8")
    app = make_app(data_dir=tmp_path, catalog=demo_catalog())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "5/5 steps" in screen_text(app)  # the demo lesson has 5 steps, not 100,000
        assert bar_cells(app) == 24


async def test_home_marks_an_unfinished_prerequisite_but_opens_the_lesson(tmp_path):
    from dataclasses import replace

    from tests.ui.support import Entry, demo_lesson
    from tutor.lesson.progress_keys import block_key
    from tutor.store.progress import Answered

    demo = demo_lesson()
    later = replace(
        demo, id="later", title="Later lesson", number="2", prerequisites=("Perceptrons", "demo")
    )
    catalog = [Entry(demo.path, demo), Entry(demo.path.with_name("later.md"), later)]
    app = make_app(data_dir=tmp_path, catalog=catalog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert list(app.screen.query_one(LessonList).cards) == ["demo", "later"]
        assert "Before this: Perceptrons · ! 1 Demo lesson (not finished)" in screen_text(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "later"
        said = "This lesson builds on 1 Demo lesson, which you have not finished yet."
        assert notice(app) == said
        assert not app._notifications  # in the lesson's notice line, not over the step
        done = app.progress.lesson("demo")
        done.finished_steps = list(range(len(demo.steps)))
        await pilot.press("q")
        await settle(pilot)
        assert "! 1 Demo lesson (not finished)" in screen_text(app)  # predictions to answer
        for target in ("dL/dz2", "dL/dW1"):  # the demo's derive block is part 1 of step 2
            done.predictions_in(block_key(2, 1))[target] = Answered("1", "correct")
        app.screen.on_screen_resume()
        await settle(pilot)
        assert "Before this: Perceptrons · ✓ 1 Demo lesson" in screen_text(app)
        assert "(not finished)" not in screen_text(app)
