"""The lesson player's keys and focus through Pilot: reading order, Esc, whole steps, sight.

The lesson is written as Markdown here and parsed like any lesson file; its step
"Ask and train" has a question above a training panel, as the bundled lesson's
step 8 has.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import Input

from tests.helpers import one_weight_network, wait_until
from tests.ui.support import Entry, bundled_entries, demo_catalog, notice, screen_text, settle
from tutor.lesson.parser import parse_lesson_text
from tutor.tui.app import make_app
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.derivation.graph_view import GraphView
from tutor.tui.widgets.derivation.view import DerivationView, PredictionInput
from tutor.tui.widgets.prose import WideCode
from tutor.tui.widgets.quiz_block import QuizBlockView
from tutor.tui.widgets.step_outline import StepOutline, outline_label
from tutor.tui.widgets.step_pages import (
    DERIVATION_VIEW,
    EXERCISE_VIEW,
    QUIZ_BLOCK_VIEW,
    TRAIN_VIEW,
)
from tutor.tui.widgets.train.view import TrainView

FILLER = "\n\n".join(f"Paragraph {n} of reading that pushes what follows down." for n in range(12))
LESSON = f"""+++
id = "keys"
title = "Keys"
+++

## Read

Just prose.

## Derive then ask

{one_weight_network("one", 0.3)}

```derive
network = "one"
```

{FILLER}

```quiz
id = "one-w"
question = "What is dL/dw?"
answer = "grad W1 of one"
hints = ["dL/dw = (y − t)·x."]
```

## Ask and train

```quiz
id = "one-a"
question = "What is the output y?"
answer = "value a1 of one"
hints = ["y = w·x."]
```

```train
network = "one"
epochs = 20
lr = 0.1
knobs = ["lr", "epochs"]
```

## End

The last words.
"""


def lesson_entry() -> Entry:
    parsed = parse_lesson_text(LESSON, Path("keys.md"))
    assert parsed.lesson is not None and not parsed.problems, parsed.problems
    return Entry(Path("keys.md"), parsed.lesson)


def keys_app(tmp_path):
    return make_app(data_dir=tmp_path, catalog=[lesson_entry()], start="lesson:keys")


def footer_text(app) -> str:
    return screen_text(app).splitlines()[-1]


async def go_to(pilot, index: int) -> LessonScreen:
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen)
    screen.show_step(index)
    await settle(pilot)
    return screen


async def test_tab_goes_to_the_question_then_the_panel_then_its_knobs(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 2)
        assert app.focused is None  # no panel takes the focus by itself
        quiz, panel = screen.body.query_one(QuizBlockView), screen.body.query_one(TrainView)
        await pilot.press("tab")
        assert app.focused is quiz.query_one("Input")
        await pilot.press(*"0.5")
        assert app.focused.value == "0.5" and panel.query_one("#knob-lr").value == "0.1"
        await pilot.press("tab")
        assert app.focused is panel
        await pilot.press("tab")
        assert app.focused is panel.query_one("#knob-lr")


async def test_escape_leaves_only_the_field_or_panel_and_then_the_lesson(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 2)
        panel = screen.body.query_one(TrainView)
        panel.query_one("#knob-epochs").focus()
        await pilot.pause()
        assert "esc Leave field" in footer_text(app) and "Next" not in footer_text(app)
        await pilot.press("enter")  # trains, and the focus goes to the panel
        await settle(pilot)
        assert app.focused is panel and panel.runs
        assert "esc Leave panel" in footer_text(app)
        await pilot.press("escape")
        assert app.focused is None and app.screen is screen
        assert "q Home" in footer_text(app) and "Next" in footer_text(app)
        screen.body.query_one(QuizBlockView).query_one("Input").focus()
        await pilot.press("q", "escape")  # q is typed; Esc leaves the field only
        assert app.screen is screen and app.focused is None
        await pilot.press("escape")  # nothing focused: back to the lessons
        await settle(pilot)
        assert app.screen is not screen


async def test_r_trains_and_a_goes_to_the_answer_wherever_the_focus_is(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 2)
        panel = screen.body.query_one(TrainView)
        screen.query_one(StepOutline).focus()
        await pilot.press("r")
        await settle(pilot)
        assert len(panel.runs) == 1
        await pilot.press("a")
        assert app.focused is screen.body.query_one(QuizBlockView).query_one("Input")
        await pilot.press("r")  # in the answer field r is text, not a second run
        await settle(pilot)
        assert app.focused.value == "r" and len(panel.runs) == 1


async def test_home_and_end_jump_steps_even_from_the_training_panel(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 2)
        screen.body.query_one(TrainView).focus()
        await pilot.press("end")
        await settle(pilot)
        assert screen.index == 3
        await pilot.press("home")
        await settle(pilot)
        assert screen.index == 0


async def test_p_steps_over_a_finished_derivation_and_brackets_move_whole_steps(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 1)
        view = screen.body.query_one(DerivationView)
        await pilot.press("n", "n")
        await settle(pilot)
        assert view.revealed == 2
        await pilot.press("p")  # unfinished: p hides the last product
        await settle(pilot)
        assert screen.index == 1 and view.revealed == 1
        while not view.finished:
            await pilot.press("n")
            await settle(pilot)
        total = view.revealed
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.index == 2
        await pilot.press("p")  # no derivation here: the previous step, whole
        await settle(pilot)
        assert screen.index == 1 and screen.body.query_one(DerivationView).revealed == total
        await pilot.press("p")  # finished: one key steps back over it
        await settle(pilot)
        assert screen.index == 0
        await pilot.press("shift+right", "left_square_bracket", "shift+right")
        await settle(pilot)
        assert screen.index == 1 and screen.body.query_one(DerivationView).revealed == total


async def test_n_shows_a_question_below_the_fold_before_leaving_the_step(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 1)
        view = screen.body.query_one(DerivationView)
        quiz = screen.body.query_one(QuizBlockView)
        while not view.finished:
            await pilot.press("n")
            await settle(pilot)
        assert not screen.body.in_view(quiz)
        await pilot.press("n")
        await settle(pilot)
        assert screen.index == 1 and screen.body.in_view(quiz)
        assert "What is dL/dw?" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert screen.index == 2


async def test_a_question_scrolled_into_view_by_hand_counts_as_seen(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 1)
        view = screen.body.query_one(DerivationView)
        while not view.finished:
            await pilot.press("n")
            await settle(pilot)
        screen.body.scroll_end(animate=False, immediate=True)
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert screen.index == 2


async def test_n_pressed_while_a_step_is_drawn_is_coalesced(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.index == 0
        for _ in range(4):  # four presses before the next frame: one step
            screen.action_next()
        assert screen.in_transition
        await settle(pilot)
        assert screen.index == 1 and not screen.in_transition
        await wait_until(pilot, lambda: notice(app), what="the notice of the dropped presses")
        assert notice(app) == (
            "You are on step 2 of 4: 3 more presses were made while it was drawn, and not taken."
        )
        await pilot.press("n")
        await settle(pilot)
        assert screen.body.query_one(DerivationView).revealed == 1  # the next press works again


async def test_keys_typed_on_after_a_question_closes_do_not_leave_the_step(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 2)
        quiz = screen.body.query_one(QuizBlockView)
        await pilot.press("a")
        for _ in range(3):
            await pilot.press(*"12345", "enter")  # y = w·x = 0.5: 12345 is wrong every time
        assert quiz.attempt is not None and quiz.attempt.over
        assert app.focused is None  # the field closed after the last try
        await pilot.press(*"[[1", "left", "]", "space", "p", "home")  # typing on, as into the field
        await settle(pilot)
        assert screen.index == 2 and app.screen is screen
        assert "keys typed on after it were not taken" in notice(app)
        await pilot.press("escape")  # Esc only leaves the closed field
        await settle(pilot)
        assert app.screen is screen and screen.index == 2
        await pilot.pause(1.1)  # a pause in the typing: keys are commands again
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.index == 3


async def test_a_step_left_with_a_bracket_counts_as_visited(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 2)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.index == 3 and 2 in app.progress.lesson("keys").finished_steps
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert 3 in app.progress.lesson("keys").finished_steps


async def test_feedback_scrolls_into_view(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 1)
        quiz = screen.body.query_one(QuizBlockView)
        await pilot.press("a")
        field = quiz.query_one("Input")
        assert app.focused is field
        screen.body.scroll_to_widget(field, animate=False, immediate=True, top=True)
        screen.body.scroll_relative(y=-(screen.body.size.height - 2), animate=False, immediate=True)
        await settle(pilot)  # the field sits on the last rows, its feedback would be below
        await pilot.press(*"12345", "enter")
        await settle(pilot)
        feedback = quiz.query_one(".quiz-feedback")
        assert feedback.region.height >= 2  # shown on the screen, not below the fold
        assert "Not quite" in screen_text(app)


async def test_outline_state_is_remembered_per_width_class(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        outline = app.screen.query_one(StepOutline)
        steps = app.screen.query_one("#step-view")
        assert outline.display and steps.display
        await pilot.press("o")  # hidden at 100 columns
        await settle(pilot)
        assert not outline.display
        await pilot.resize_terminal(50, 20)  # narrow: hidden by default
        await settle(pilot)
        assert not outline.display and steps.display
        await pilot.press("o")  # shown, over the whole width
        await settle(pilot)
        assert outline.display and not steps.display
        await pilot.resize_terminal(100, 30)  # wide again: still as hidden
        await settle(pilot)
        assert not outline.display and steps.display
        await pilot.resize_terminal(50, 20)
        await settle(pilot)
        assert outline.display and not steps.display


async def test_a_lesson_opened_on_a_narrow_terminal_starts_without_the_outline(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=[lesson_entry()])
    async with app.run_test(size=(40, 15)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # opened from the home screen, as a learner does
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        assert not app.screen.query_one(StepOutline).display
        assert app.screen.query_one("#step-view").display
        await pilot.resize_terminal(100, 30)  # wide: the outline's default there is shown
        await settle(pilot)
        assert app.screen.query_one(StepOutline).display


async def test_the_next_page_is_built_out_of_view_and_moving_to_it_only_moves_it_in(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        # the next step's page is built while the learner reads
        await wait_until(pilot, lambda: 1 in screen.pages, what="the next page built ahead")
        ahead = screen.pages[1]
        assert ahead.parent.styles.offset.y.value > app.size.height  # laid out, not drawn
        assert ahead.query_one(DerivationView)  # mounted, with its widgets
        await pilot.press("tab")  # Tab never reaches a page out of view
        assert app.focused is None or ahead not in app.focused.ancestors
        await pilot.press("escape", "n")
        await settle(pilot)
        assert screen.index == 1 and screen.body is ahead  # the same page, moved in
        assert ahead.parent.styles.offset.y.value == 0 and ahead.region.height > 0
        screen.show_step(3)  # far away: pages not next to step 4 are dropped
        await settle(pilot)
        await wait_until(pilot, lambda: set(screen.pages) <= {2, 3}, what="far pages dropped")
        screen.show_step(0)
        await settle(pilot)
        await wait_until(pilot, lambda: set(screen.pages) == {0, 1}, what="the next page built")
        screen.show_step(3)  # the last step: no next page, and the previous one not built
        await settle(pilot)
        await wait_until(pilot, lambda: set(screen.pages) == {3}, what="far pages dropped")
        await pilot.press("left_square_bracket")  # the previous one is built when asked for
        await settle(pilot)
        assert screen.index == 2 and screen.body.step == 2 and screen.body.region.height > 0


async def test_a_run_going_when_its_step_is_left_is_stopped_and_saved(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 2)
        panel = screen.body.query_one(TrainView)
        panel.query_one("#knob-epochs").value = "200000"
        screen.action_train()  # r, then ] before the run can end
        assert panel.running
        screen.action_next_step()
        await wait_until(  # the run's worker is cancelled: wait on the screen instead
            pilot,
            lambda: not screen.in_transition and "2:1" in screen.lesson_progress.runs,
            what="the stopped run saved",
        )
        assert screen.index == 3 and panel.runs[-1].status == "stopped"
        (run,) = screen.lesson_progress.runs["2:1"]
        assert run.status == "stopped"


@pytest.mark.parametrize("size", [(80, 24), (100, 32)])
async def test_the_graph_stays_in_view_while_its_products_are_revealed(tmp_path, size):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 2)  # the walkthrough derivation, with two predictions
        view = screen.body.query_one(DerivationView)
        graph = view.query_one(GraphView)
        while not view.finished:
            if isinstance(app.focused, PredictionInput):
                await pilot.press(*"0.5", "enter")  # a wrong answer, then the prompt stays
                await settle(pilot)
                assert graph.region.height == graph.outer_size.height, screen_text(app)
                await pilot.press("escape")
            else:
                await pilot.press("n")
            await settle(pilot)
            shown = graph.region  # on the screen: clipped to what is in view
            assert shown.height == graph.outer_size.height, (view.revealed, screen_text(app))


async def test_help_lists_only_this_apps_keys(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, 2)
        await pilot.press("a")  # in the answer field, Textual's editing keys are active too
        assert isinstance(app.focused, Input)
        generic = {active.binding.description for active in screen.active_bindings.values()}
        assert "Delete character left" in generic  # what the help used to list
        screen.action_help()
        await settle(pilot)
        text = screen_text(app)
        assert "Leave field" in text and "Commands" in text
        assert "Delete character left" not in text and "cursor" not in text.lower()
        await pilot.press("escape")
        await settle(pilot)
        screen.set_focus(None)
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "r" in text and "Train" in text and "Answer" in text and "Step back" in text
        assert "Quit" not in text  # Textual's ctrl+q is not this app's key


async def test_outline_titles_are_read_in_full_at_80_columns(tmp_path):
    titles = [
        "Multiply along a path, add across paths",  # "▶ 1 Multiply along" fills 18 cells
        "Practice: a three-layer network",
        "Two inputs: vectors and the computational graph",
        "Gradient descent: walking downhill",
    ]
    many = titles + [f"Step number {n} of a long lesson" for n in range(4, 31)]
    text = '+++\nid = "long"\ntitle = "Long"\n+++\n' + "".join(
        f"\n## {title}\n\nText.\n" for title in many
    )
    parsed = parse_lesson_text(text, Path("long.md"))
    entry = Entry(Path("long.md"), parsed.lesson)
    app = make_app(data_dir=tmp_path, catalog=[entry], start="lesson:long")
    async with app.run_test(size=(80, 24)) as pilot:
        for width in (80, 100, 80):  # opened at 80 columns, then wider and back: never cut
            await pilot.resize_terminal(width, 24)
            await settle(pilot)
            outline = app.screen.query_one(StepOutline)
            assert outline.display and outline.show_vertical_scrollbar  # 30 steps: it scrolls
            shown = screen_text(app)
            assert "…" not in shown
            column = [line.split("▕")[0][:-1] for line in shown.splitlines()[1:-1]]
            words = " ".join(" ".join(column).split())
            for number, title in enumerate(titles, 1):
                assert f"{number} {title}" in words


@pytest.mark.parametrize("lesson_id", ["backprop", "classification", "paths"])
async def test_no_bundled_outline_title_is_cut_at_80_columns(tmp_path, lesson_id):
    app = make_app(data_dir=tmp_path, catalog=bundled_entries(), start=f"lesson:{lesson_id}")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        outline = app.screen.query_one(StepOutline)
        rows = [str(outline.get_option_at_index(i).prompt) for i in range(outline.option_count)]
        width = outline.scrollable_content_region.width
        assert all(len(line) <= width for row in rows for line in row.splitlines()), width


async def test_below_80_columns_the_outline_starts_hidden(tmp_path):
    app = keys_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one(StepOutline).display
        assert app.screen.query_one("#step-view").display
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.screen.query_one(StepOutline).display


async def test_a_code_block_wider_than_the_step_scrolls_sideways(tmp_path):
    long_line = "result = " + " + ".join(f"term_{n}" for n in range(30)) + "  # THE END"
    text = (
        '+++\nid = "code"\ntitle = "Code"\n+++\n\n## Code\n\n'
        f"```python\nshort = 1\n{long_line}\n```\n\n```python\nfits = True\n```\n"
    )
    parsed = parse_lesson_text(text, Path("code.md"))
    app = make_app(
        data_dir=tmp_path, catalog=[Entry(Path("code.md"), parsed.lesson)], start="lesson:code"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        wide, narrow = app.screen.body.query(WideCode)
        assert wide.can_focus and not narrow.can_focus  # only a block too wide takes the focus
        assert "THE END" not in screen_text(app)
        await pilot.press("tab")
        assert app.focused is wide
        await pilot.press("end")
        await settle(pilot)
        assert wide.scroll_x == wide.max_scroll_x > 0 and "THE END" in screen_text(app)
        await pilot.press("home", "escape")
        await settle(pilot)
        assert wide.scroll_x == 0 and app.focused is None


async def test_a_long_outline_with_a_scrollbar_is_read_in_full_at_80_columns(tmp_path):
    """Lesson 3.7's fifteen long titles overflow the outline: its scrollbar takes room the
    titles were wrapped for, and they were cut with "…"."""
    app = make_app(data_dir=tmp_path, catalog=bundled_entries(), start="lesson:deep")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        outline = app.screen.query_one(StepOutline)
        assert outline.display
        column = [line.split("▕")[0] for line in screen_text(app).splitlines()[1:-1]]
        assert not any("…" in line for line in column), column


def test_an_outline_label_hangs_its_lines_under_the_title() -> None:
    assert outline_label(11, "Initialisation: Xavier and He", "▶", 16) == (
        "▶12 Initialisat-\n    ion: Xavier\n    and He"
    )


async def test_the_header_keeps_the_step_count_when_the_lesson_title_is_long(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=bundled_entries(), start="lesson:classification")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        steps = len(app.screen.lesson.steps)
        header = screen_text(app).splitlines()[0]
        assert f"3.5 · step 1/{steps}" in header, header


def test_the_kinds_of_block_a_page_is_asked_about_are_where_it_looks_for_them():
    """A page finds its blocks by module and class name, without importing the module (a
    module not imported has made no block): a renamed one would never be found."""
    for module, name in (DERIVATION_VIEW, TRAIN_VIEW, EXERCISE_VIEW, QUIZ_BLOCK_VIEW):
        assert issubclass(getattr(importlib.import_module(module), name), Widget)
