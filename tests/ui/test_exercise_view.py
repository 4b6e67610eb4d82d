"""An exercise step through Pilot: the learner's copy, checks on save, the editor pane, help."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Markdown

from tests.helpers import wait_until
from tests.ui.support import bundled_entries, notice, screen_text, settle
from tutor.exercises.catalog import load_exercise
from tutor.lesson.model import ExerciseBlock
from tutor.store.locations import bundled_lessons_dir
from tutor.store.progress import Progress
from tutor.store.progress_file import ProgressStore
from tutor.tui.app import make_app
from tutor.tui.dialogs.confirm import ConfirmScreen
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.exercise_view import NO_SANDBOX_SERVED, ExerciseView
from tutor.tui.widgets.prose import Prose

SIZE = (100, 40)
BUNDLED = bundled_lessons_dir()
SOLUTION = BUNDLED / "exercises" / "sigmoid" / "solution.py"
STARTER = BUNDLED / "exercises" / "sigmoid" / "starter.py"


def step_of(exercise_id: str) -> int:
    from tutor.lesson.catalog import load_lesson

    entry, _ = load_lesson(BUNDLED / "backprop.md")
    return next(
        i
        for i, step in enumerate(entry.lesson.steps)
        if any(isinstance(b, ExerciseBlock) and b.exercise == exercise_id for b in step.blocks)
    )


def app_at(data: Path, exercise_id: str = "sigmoid", **kwargs):
    """The app opening the bundled lesson at the step with ``exercise_id``."""
    progress = Progress()
    progress.lesson("backprop").step = step_of(exercise_id)
    ProgressStore(data).save(progress)
    return make_app(data_dir=data, catalog=bundled_entries(), start="lesson:backprop", **kwargs)


def shown(app, selector: str) -> str:
    """The text a part of the exercise view shows."""
    return str(app.screen.body.query_one(ExerciseView).query_one(selector).content)


def status(app) -> str:
    return shown(app, ".exercise-status")


async def test_the_copy_is_made_checked_and_solved_on_save(tmp_path: Path) -> None:
    app = app_at(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        copy = tmp_path / "exercises" / "bundled" / "sigmoid" / "sigmoid.py"
        await wait_until(pilot, lambda: "checks pass" in status(app))
        assert copy.read_bytes() == STARTER.read_bytes()
        assert "Not started: 0 of 3 checks pass" in status(app)
        assert "def sigmoid_prime(z):" in shown(app, ".exercise-interface")
        assert str(copy) in shown(app, ".exercise-file")
        assert "Not written yet" in shown(app, ".exercise-report")
        copy.write_text(SOLUTION.read_text("utf-8"), "utf-8")
        await wait_until(pilot, lambda: "All 3 checks pass" in status(app))
        assert app.progress.exercises["sigmoid"].solved
        await app.workers.wait_for_complete()  # progress is written on a thread
        assert ProgressStore(tmp_path).load().exercises["sigmoid"].solved


async def test_the_task_is_drawn_as_lesson_prose(tmp_path: Path) -> None:
    """The task reads as the lesson's prose, by the same light widget (a run of text per
    paragraph and list, not Textual's Markdown with a widget per paragraph and bullet)."""
    app = app_at(tmp_path, "dense-layer")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "checks pass" in status(app))
        view = app.screen.body.query_one(ExerciseView)
        assert isinstance(view.query_one(".exercise-task"), Prose)
        assert not view.query(Markdown)
        text = screen_text(app)
        task = load_exercise(BUNDLED / "exercises" / "dense-layer").exercise.task
        # code spans shown without their backticks, list items as bullets
        assert "Write a class `DenseLayer`" in task and "Write a class DenseLayer" in text
        for method in ("__init__(self, W, b)", "forward(self, x)", "backward(self, grad_a)"):
            assert f"- `{method}`:" in task and f"• {method}:" in text


async def test_the_editor_pane_edits_and_saves_the_same_file(tmp_path: Path) -> None:
    app = app_at(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "checks pass" in status(app))
        view = app.screen.body.query_one(ExerciseView)
        await pilot.press("i")
        editor = view.query_one("#exercise-editor")
        assert view.has_class("-editing") and app.focused is editor
        assert editor.text == STARTER.read_text("utf-8")
        index = app.screen.index
        await pilot.press("n", "e")  # typed into the editor: no next step, no other editor
        assert app.screen.index == index and editor.text.startswith("ne")
        editor.load_text(SOLUTION.read_text("utf-8"))
        await pilot.press("ctrl+s")
        copy = tmp_path / "exercises" / "bundled" / "sigmoid" / "sigmoid.py"
        assert copy.read_text("utf-8") == SOLUTION.read_text("utf-8")
        await wait_until(pilot, lambda: "All 3 checks pass" in status(app))
        await pilot.press("escape")  # leaves the editor (as Esc leaves any field), not the lesson
        assert app.focused is None and app.screen.index == index
        await pilot.press("escape")  # with nothing focused, Esc is back to the lessons
        assert not isinstance(app.screen, LessonScreen)


async def test_hints_in_levels_and_the_solution_after_a_question(tmp_path: Path) -> None:
    app = app_at(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.body.query_one(ExerciseView)
        hints = view.session.exercise.hints
        await pilot.press("h")
        assert shown(app, ".exercise-hints").strip() == f"Hint 1 of {len(hints)}: {hints[0]}"
        await pilot.press(*["h"] * len(hints))
        assert app.progress.exercises["sigmoid"].hints == len(hints)
        await pilot.press("s", "r")  # train and stop elsewhere: nothing in an exercise step
        assert not isinstance(app.screen, ConfirmScreen)
        assert not app.progress.exercises["sigmoid"].solution_seen
        await pilot.press("v")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        numbered = shown(app, ".exercise-solution").splitlines()
        solution = SOLUTION.read_text("utf-8").splitlines()
        width = len(str(len(solution)))
        assert [line[: width + 1] for line in numbered] == [
            f"{n:>{width}} " for n in range(1, len(solution) + 1)
        ]
        assert [line[width + 1 :] for line in numbered] == solution
        assert app.progress.exercises["sigmoid"].solution_seen


async def test_without_an_editor_set_the_learner_is_told_what_to_do(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = app_at(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert "Set $VISUAL or $EDITOR" in notice(app)


async def test_the_exercise_keys_exist_only_on_an_exercise_step(tmp_path: Path) -> None:
    app = app_at(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Your editor" in screen_text(app)
        await pilot.press("home")
        await settle(pilot)
        assert "Your editor" not in screen_text(app)


async def test_an_exercise_from_outside_the_tutor_asks_once_before_it_runs(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    shutil.copytree(BUNDLED / "exercises" / "sigmoid", lessons / "exercises" / "sigmoid")
    (lessons / "own.md").write_text(
        '+++\nid = "own"\ntitle = "Own"\n+++\n\n## Code\n\n```exercise\nid = "sigmoid"\n```\n',
        "utf-8",
    )
    data = tmp_path / "data"
    key = load_exercise(lessons / "exercises" / "sigmoid").exercise.key
    app = make_app(data_dir=data, lessons_dirs=[lessons], start="lesson:own")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "outside the lessons that come with the tutor" in app.screen.question
        await pilot.press("n")
        await wait_until(pilot, lambda: status(app).startswith("Not run, and no file made yet"))
        assert not (data / "exercises").exists()  # nothing written before a yes
        assert key not in app.progress.exercises and "sigmoid" not in app.progress.exercises
        await pilot.press("R")  # starting over would make the file: the question comes first
        assert isinstance(app.screen, ConfirmScreen) and "outside" in app.screen.question
        await pilot.press("n")
        await pilot.pause(0.5)
        assert not (data / "exercises").exists()
        await pilot.press("c")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: "checks pass" in status(app))
        assert app.progress.exercises[key].trusted == str(
            (lessons / "exercises" / "sigmoid").resolve()
        )
        assert "sigmoid" not in app.progress.exercises  # the bundled exercise's is apart
        made = Path(app.progress.exercises[key].path)
        assert made.parent.parent.parent == data / "exercises" and made.name == "sigmoid.py"
        assert made.parent.parent.name.startswith("lessons-") and made.parent.name == "sigmoid"
    again = make_app(data_dir=data, lessons_dirs=[lessons], start="lesson:own")
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "checks pass" in status(again))
        assert not isinstance(again.screen, ConfirmScreen)


async def test_what_the_learners_code_prints_is_shown_as_text_not_markup(tmp_path: Path) -> None:
    app = app_at(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "checks pass" in status(app))
        copy = tmp_path / "exercises" / "bundled" / "sigmoid" / "sigmoid.py"
        copy.write_text('print("[bold red]not markup[/]")\n' + SOLUTION.read_text("utf-8"), "utf-8")
        await wait_until(pilot, lambda: "All 3 checks pass" in status(app))
        assert "[bold red]not markup[/]" in shown(app, ".exercise-report")


async def test_served_without_bubblewrap_no_check_runs_and_the_learner_is_told(
    tmp_path: Path, monkeypatch
) -> None:
    from tutor.store.served import SERVED_ENV

    monkeypatch.setenv(SERVED_ENV, "1")  # as the class server starts a learner's tutor
    monkeypatch.setenv("PATH", str(tmp_path))  # and no bwrap to be found
    monkeypatch.setenv("BACKPROP_TUTOR_SANDBOX", "process")  # not even when asked for
    app = app_at(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Checks are off" in status(app))
        assert status(app) == NO_SANDBOX_SERVED  # in the learner's words, not the server's
        assert "checks pass" not in shown(app, ".exercise-report")


async def test_a_file_with_a_control_character_is_not_put_in_the_editor(tmp_path: Path) -> None:
    """The editor would pass an ESC to the terminal as it is (issue 23): say where it is."""
    app = app_at(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "checks pass" in status(app))
        copy = tmp_path / "exercises" / "bundled" / "sigmoid" / "sigmoid.py"
        copy.write_text("x = 1\ny = '\x1b]2;PWNED\x07'\n", encoding="utf-8")
        view = app.screen.body.query_one(ExerciseView)
        await pilot.press("i")
        await wait_until(pilot, lambda: "\\u001b" in notice(app))
        assert "holds \\u001b on line 2" in notice(app)
        assert not view.has_class("-editing")
        assert "\x1b" not in view.query_one("#exercise-editor").text
