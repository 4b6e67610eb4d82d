"""Markup in lessons, file names and saved progress is shown literally and runs nothing (issue 14).

The lesson ``tests/fixtures/hostile/markup.md`` holds markup in every string: a
title that opens with ``[/b]`` (a MarkupError when parsed), ``x[i]`` that markup
would swallow, and ``[@click=…]`` actions.  Each screen, the palette and the
notifications must show those strings as written, and nothing on screen may be
clickable into an action that came from a file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from textual.widgets._toast import Toast

from tests.ui.support import notice, screen_text, settle
from tutor.lesson.catalog import load_lesson
from tutor.tui.app import make_app
from tutor.tui.screens.home import HomeScreen, LessonList
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.quiz_block import QuizBlockView
from tutor.tui.widgets.step_outline import StepOutline


def screen_row(app, y: int) -> str:
    """Row ``y`` of the screen as text."""
    return screen_text(app).splitlines()[y]


FIXTURE = Path(__file__).parents[1] / "fixtures" / "hostile" / "markup.md"
SIZE = (200, 50)
HOSTILE_NAME = "[@click=app.quit]broken[red].md"
SAVED_KEY = "[@click=app.quit]k[/] [/b]"
SAVED_STATUS = "[/b] [@click=app.quit]done?[/]"


def lesson_strings(path: Path = FIXTURE) -> dict[str, str]:
    """Every string of the lesson that the screens show, read by the parser."""
    entry, _ = load_lesson(path)
    lesson = entry.lesson
    assert lesson is not None
    blocks = {type(part).__name__: part for step in lesson.steps for part in step.blocks}
    quiz = blocks["QuizBlock"]
    return {
        "title": lesson.title,
        "summary": lesson.summary,
        "derive caption": blocks["DeriveBlock"].caption,
        "train caption": blocks["TrainBlock"].caption,
        "gradcheck caption": blocks["GradcheckBlock"].caption,
        "hint 1": quiz.hints[0],
        "hint 2": quiz.hints[1],
        **{f"step {n}": step.title for n, step in enumerate(lesson.steps)},
    }


def clickable(app) -> set[str]:
    """The ``@click`` actions anywhere on screen, links of Markdown prose aside."""
    actions = set()
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            meta = segment.style.meta if segment.style is not None else {}
            action = meta.get("@click")
            if action and not str(action).startswith("link("):
                actions.add(str(action))
    return actions


def hostile_home(tmp_path: Path) -> tuple[Path, Path]:
    """A lessons folder with the fixture and a broken file with a hostile name; a data dir."""
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    text = FIXTURE.read_text().replace("'/tmp'", repr(str(tmp_path)))
    (lessons / "markup.md").write_text(text)
    (lessons / HOSTILE_NAME).write_text('+++\nid = "b"\n')
    data = tmp_path / "data"
    data.mkdir()
    saved = {
        "version": 1,
        "lessons": {
            "markup": {"runs": {"2:1": [{"knobs": {"lr": 1.0}, "status": SAVED_STATUS}]}},
            SAVED_KEY: {"step": -1},
        },
        "families": {},
    }
    (data / "progress.json").write_text(json.dumps(saved))
    return lessons, data


async def test_home_palette_and_notifications_show_markup_literally(tmp_path):
    lessons, data = hostile_home(tmp_path)
    strings = lesson_strings(lessons / "markup.md")
    app = make_app(data_dir=data, lessons_dirs=[lessons])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert f"9.9  {strings['title']}" in text
        assert strings["summary"] in text
        assert f"✗ {HOSTILE_NAME} (cannot be opened)" in text
        assert f"lessons.{SAVED_KEY}.step" in toasts(app)  # the notice on the saved file, literally
        assert clickable(app) == set()

        lessons = app.screen.query_one(LessonList)
        row = next(
            y for y in range(lessons.region.height) if strings["summary"] in screen_row(app, y)
        )
        column = screen_row(app, row).index(strings["summary"]) + strings["summary"].index("shot?")
        await pilot.click(offset=(column + 1, row))
        await settle(pilot)
        assert app.is_running and not list(tmp_path.glob("*.svg"))  # no screenshot was taken

        app.screen.notify(f"{strings['title']} and {SAVED_KEY}")  # a widget's notify: markup=True
        await settle(pilot)
        assert f"{strings['title']} and {SAVED_KEY}" in toasts(app)
        assert clickable(app) == set()

        await pilot.press("escape")  # back on the home screen if the click opened the lesson
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Using x")
        await settle(pilot)
        text = screen_text(app)
        assert f"Open lesson 9.9 {strings['title']}" in text
        assert strings["summary"] in text
        assert clickable(app) == set()
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running


def toasts(app) -> str:
    """The text of the notifications on screen, as drawn (before wrapping): the toasts, and
    on a lesson screen its notice line."""
    return "\n".join([*(toast.render().plain for toast in app.screen.query(Toast)), notice(app)])


async def shown(pilot, selector: str) -> str:
    """The screen text once the widget at ``selector`` is scrolled into view."""
    pilot.app.screen.query_one(selector).scroll_visible(animate=False, top=True)
    await settle(pilot)
    return screen_text(pilot.app)


async def test_every_lesson_screen_shows_markup_literally_and_clicks_run_nothing(tmp_path):
    lessons, data = hostile_home(tmp_path)
    strings = lesson_strings(lessons / "markup.md")
    app = make_app(data_dir=data, lessons_dirs=[lessons], start="lesson:markup")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        outline = screen.query_one(StepOutline)
        prompts = [outline.get_option_at_index(i).prompt.plain for i in range(4)]
        # titles wrap under themselves in the outline; a word too long for a line is hyphenated
        unwrapped = "".join(prompts[0].replace("-\n", "\n").split())
        assert unwrapped.endswith("".join(f"1 {strings['step 0']}".split()))
        seen = []
        for index in range(len(screen.lesson.steps)):
            screen.show_step(index)
            await settle(pilot)
            text = screen_text(app)
            assert f"Step {index + 1} of 4 · {strings[f'step {index}']}" in text
            assert clickable(app) == set(), index
            seen.append(text)
        assert "[@click=app.quit]not a click[/] and x[i]" in seen[0]  # prose: Markdown only
        assert strings["derive caption"] in seen[1]
        assert "Question x[i] [@click=app.quit]quit?[/] [/] with 1 and 0.5" in seen[3]

        screen.show_step(2)
        await settle(pilot)
        assert strings["train caption"] in await shown(pilot, "#train-caption")
        assert SAVED_STATUS in await shown(pilot, "#train-earlier")  # a status from progress.json
        assert strings["gradcheck caption"] in await shown(pilot, "GradcheckView .caption")
        assert clickable(app) == set()
        screen.show_step(3)
        await settle(pilot)

        view = screen.query_one(QuizBlockView)
        field = view.query_one("Input")
        field.focus()
        for attempt in (1, 2):
            field.value = "12345"
            await pilot.press("enter")
            await settle(pilot)
            assert f"Hint {attempt} of 2: {strings[f'hint {attempt}']}" in screen_text(app)
        assert clickable(app) == set()

        screen.action_help()
        await settle(pilot)
        assert "Keys" in screen_text(app) and clickable(app) == set()
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running


def test_the_fixture_validates_cleanly(tmp_path):
    """The hostile strings are all legal: validate has nothing to say, the UI must cope."""
    copy = tmp_path / "markup.md"
    shutil.copy(FIXTURE, copy)
    entry, _ = load_lesson(copy)
    assert entry.problems == ()


async def test_a_read_only_session_says_so_on_every_screen_and_saves_nothing(tmp_path):
    from tutor.store.progress_file import ProgressStore
    from tutor.tui.screens.base import ReadOnlyBanner

    lessons, data = hostile_home(tmp_path)
    holder = ProgressStore(data)
    holder.claim()  # another tutor is running on this data directory
    before = (data / "progress.json").read_bytes()
    app = make_app(data_dir=data, lessons_dirs=[lessons])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        reason = app.store.read_only
        assert reason is not None and "another backprop-tutor" in reason
        assert reason in toasts(app)
        (banner,) = app.screen.query(ReadOnlyBanner)
        assert banner.render().plain == reason
        app.open_lesson("markup")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen) and app.screen.query(ReadOnlyBanner)
        await pilot.press("n", "n")
        await settle(pilot)
    holder.release()
    assert (data / "progress.json").read_bytes() == before
