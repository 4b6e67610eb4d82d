"""A reveal or a step change repaints what changed, not the whole screen (issue 21)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from textual._compositor import Compositor
from textual.geometry import Size
from textual.screen import Screen

from tests.helpers import wait_until
from tests.ui.support import Entry, screen_text, settle
from tutor.lesson.model import DeriveBlock, Lesson
from tutor.lesson.parser import parse_lesson_text
from tutor.tui.app import make_app
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.derivation.graph_view import GraphView
from tutor.tui.widgets.derivation.lines import DerivationLines
from tutor.tui.widgets.derivation.view import DerivationView
from tutor.tui.widgets.prose import WideCode
from tutor.tui.widgets.step_outline import StepOutline


def first_derivation(lesson: Lesson) -> int:
    """The index of the lesson's first step with a derivation."""
    return next(
        n
        for n, step in enumerate(lesson.steps)
        if any(isinstance(p, DeriveBlock) for p in step.parts)
    )


@pytest.fixture
def full(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry for each repaint of the whole screen."""
    repaints: list[int] = []
    render_full_update = Compositor.render_full_update

    def counted(self, simplify=False):
        repaints.append(1)
        return render_full_update(self, simplify)

    monkeypatch.setattr(Compositor, "render_full_update", counted)
    return repaints


async def test_a_reveal_does_not_repaint_the_whole_screen(tmp_path, full):
    app = make_app(data_dir=tmp_path, start="lesson:backprop")  # a long derivation
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.show_step(first_derivation(screen.lesson))
        await settle(pilot)
        view = screen.body.query_one(DerivationView)
        for _ in range(3):
            before, shown = len(full), view.revealed
            await pilot.press("n")
            await settle(pilot)
            await pilot.pause(0.1)
            assert view.revealed == shown + 1  # a product was revealed…
            assert len(full) == before  # …and only what changed was painted


async def test_a_resize_lays_out_the_screen_in_view_once(tmp_path, monkeypatch):
    """Textual resizes every screen of the stack, each one resizes those beneath it, and it
    counts the screen beneath an opaque one as seen: the home screen under a lesson was laid
    out (twice) and the whole lesson screen repainted after.  Now the lesson screen is laid
    out once, the home screen not until it is shown again, at the new size, styled for it."""
    laid_out: Counter[str] = Counter()
    refresh_layout = Screen._refresh_layout

    def counted(self, size=None, scroll=False):
        if size is not None:  # a layout for a given size: a resize's (the others pass none)
            laid_out[type(self).__name__] += 1
        refresh_layout(self, size, scroll)

    app = make_app(data_dir=tmp_path, start="lesson:backprop")  # over the home screen
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        for width in (110, 120, 70):  # the same width class, then a narrower one
            laid_out.clear()
            await pilot.resize_terminal(width, 32)
            await settle(pilot)
            assert laid_out == {"LessonScreen": 1}
            assert app.screen.outer_size == Size(width, 32)
        await pilot.press("escape")  # home
        await settle(pilot)
        home = app.screen
        assert type(home).__name__ == "HomeScreen" and home.outer_size == Size(70, 32)
        assert home.has_class("-narrow") and not home.has_class("-wide")
        assert "backprop" in screen_text(app).lower()


async def test_a_resize_lays_a_derivation_page_out_once(tmp_path, monkeypatch, full):
    """A resize lays the lesson screen out once, its width class changed or not, and paints
    it whole once.  It took three to six layouts, each painted whole: the width classes came
    after the first layout; the product list, the outline's titles, a code block's scrollbar
    and the graph's shape each found their new width after a layout and asked for another;
    the home screen beneath was laid out too and the screen's own repaint request came
    after.  What the page shows then is what a page opened at that width shows."""
    laid_out: list[int] = []
    refresh_layout = Screen._refresh_layout

    def counted(self, size=None, scroll=False):
        if type(self).__name__ == "LessonScreen":
            laid_out.append(1)
        refresh_layout(self, size, scroll)

    def drawn(app) -> tuple[str, Size, str]:
        view = app.screen.body.query_one(DerivationView)
        lines = view.query_one(DerivationLines)
        return str(lines.content), lines.size, view.query_one(GraphView).render().plain

    app = make_app(data_dir=tmp_path, start="lesson:backprop")
    async with app.run_test(size=(100, 200)) as pilot:  # tall: the whole page in view
        await settle(pilot)
        screen = app.screen
        screen.show_step(first_derivation(screen.lesson))
        await settle(pilot)
        for _ in range(3):
            await pilot.press("n")
            await settle(pilot)
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        for width in (80, 120, 60, 100, 80):  # -normal, -wide, -narrow (no outline), …
            laid_out.clear()
            full.clear()
            await pilot.resize_terminal(width, 200)
            await settle(pilot)
            await pilot.pause(0.1)
            assert len(laid_out) == 1, width
            assert len(full) == 1, width
        resized = drawn(app)
        monkeypatch.undo()
    again = make_app(data_dir=tmp_path, start="lesson:backprop")  # the same step and reveals
    async with again.run_test(size=(80, 200)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: again.screen.body.query_one(DerivationView).ready)
        await settle(pilot)
        assert again.screen.body.query_one(DerivationView).revealed == 3
        assert drawn(again) == resized


async def test_a_step_change_redraws_only_the_outline_rows_that_changed(tmp_path):
    app = make_app(data_dir=tmp_path, start="lesson:backprop")  # 40 steps: a full outline
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        outline = app.screen.query_one(StepOutline)
        drawn: list[int] = []
        render = outline._get_option_render

        def counted(option, style):
            rendered = outline._option_render_cache.keys()
            if not any(key[0] is option for key in rendered):
                drawn.append(outline.options.index(option))
            return render(option, style)

        outline._get_option_render = counted
        for _ in range(2):
            await pilot.press("right_square_bracket")  # the next step, as a whole
            await settle(pilot)
        await pilot.pause(0.1)
        assert app.screen.index == 2
        assert set(drawn) <= {0, 1, 2}  # the rows whose mark changed, no other
        lines = [strip.text.split() for strip in outline.render_lines(outline.region.reset_offset)]
        rows = [lines[outline._index_to_line[index]] for index in range(4)]  # titles may wrap
        assert rows[0][:2] == ["✓", "1"] and rows[1][:2] == ["✓", "2"]
        assert rows[2][:2] == ["▶", "3"] and rows[3][0] == "4"


async def test_a_reveal_lays_nothing_out_and_keeps_the_view_s_size(tmp_path, monkeypatch):
    """The lines keep rows for the whole derivation: a reveal draws into them (issue 21)."""
    reflows: list[int] = []
    reflow = Compositor.reflow

    def counted(self, parent, size):
        reflows.append(1)
        return reflow(self, parent, size)

    monkeypatch.setattr(Compositor, "reflow", counted)
    app = make_app(data_dir=tmp_path, start="lesson:backprop")
    async with app.run_test(size=(100, 60)) as pilot:  # tall: the lines never need a scrollbar
        await settle(pilot)
        screen = app.screen
        screen.show_step(first_derivation(screen.lesson))
        await settle(pilot)
        view = screen.body.query_one(DerivationView)
        lines = view.query_one(DerivationLines)
        await pilot.press("n")  # the first reveal may scroll the step to show the view
        await settle(pilot)
        height = view.size.height
        while not view.finished:
            before, shown = len(reflows), view.revealed
            await pilot.press("n")
            await settle(pilot)
            await pilot.pause(0.1)
            assert not view.prompting  # this derivation asks for no prediction
            assert view.revealed == shown + 1
            newest = view.walk.stages[view.revealed - 1]
            label = getattr(newest, "target", None) or newest.label
            shown = screen_text(app)
            assert f"▶ {label} = " in shown  # the new line is on screen…
            assert len(reflows) == before  # …and nothing was laid out
            for row in (*graph_rows(view), *str(lines.content).splitlines()):
                assert row.strip() in shown  # every row that changed was painted again
            assert view.size.height == height
        assert lines.rows <= lines.size.height  # every line in view, no scrolling needed


async def test_the_next_page_built_out_of_view_keeps_the_page_in_view_in_its_order(tmp_path):
    """Building the next step's page must not move the page in view in the painting order:
    Textual repaints every widget whose order changed, so the terminal got the whole page
    again after each step had been drawn."""
    app = make_app(data_dir=tmp_path, start="lesson:backprop")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen

        def orders() -> dict[object, tuple]:
            placed = screen._compositor._full_map
            return {w: placed[w].order for w in screen.body.walk_children() if w in placed}

        await wait_until(pilot, lambda: 1 in screen.pages, what="the next page built")
        await settle(pilot)
        await pilot.pause(0.2)  # no build pending
        drawn: dict[object, tuple] = {}
        prefetch = screen._prefetch

        def noted() -> None:  # the page in view as drawn, just before the next is built
            drawn.update(orders() if screen.index + 1 not in screen.pages else {})
            prefetch()

        screen._prefetch = noted
        for step in range(1, 4):
            drawn.clear()
            await pilot.press("right_square_bracket")
            await wait_until(pilot, lambda s=step: s + 1 in screen.pages, what="next page built")
            await settle(pilot)
            now = orders()
            moved = [type(w).__name__ for w in drawn.keys() & now.keys() if drawn[w] != now[w]]
            assert drawn and not moved


def graph_rows(view: DerivationView) -> list[str]:
    """The rows of the view's graph as it draws them now."""
    return view.query_one(GraphView).render().plain.splitlines()


async def test_an_open_prediction_sits_right_under_the_newest_line(tmp_path):
    """The rows kept for the lines to come are given up while a prediction is asked."""
    app = make_app(data_dir=tmp_path, start="lesson:backprop")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        step = next(
            n
            for n, s in enumerate(screen.lesson.steps)
            for p in s.parts
            if p.__class__.__name__ == "DeriveBlock" and p.predict
        )
        screen.show_step(step)
        await settle(pilot)
        view = screen.body.query_one(DerivationView)
        lines = view.query_one(DerivationLines)
        while not view.prompting:
            await pilot.press("n")
            await settle(pilot)
        await pilot.pause(0.1)
        prompt = view.query_one(".prediction-prompt")
        assert lines.size.height == lines.rows  # no blank rows kept…
        assert prompt.region.y == lines.region.bottom + 1  # …the prompt's margin only
        await pilot.press("escape")  # skipped: the product is revealed, the rows kept again
        await settle(pilot)
        await pilot.pause(0.1)
        assert not view.prompting and lines.size.height > lines.rows


async def test_a_step_change_does_not_repaint_the_whole_screen(tmp_path, full):
    """The new title goes to the header alone (a screen's own title repaints every row)."""
    app = make_app(data_dir=tmp_path, start="lesson:backprop")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        for step in range(1, 4):
            await wait_until(pilot, lambda s=step: s in screen.pages, what="next page built")
            await settle(pilot)
            before = len(full)
            await pilot.press("right_square_bracket")
            await settle(pilot)
            assert screen.index == step and f"step {step + 1}/40" in screen_text(app)
            assert len(full) == before


PAGES_LESSON = """+++
id = "pages"
title = "Pages"
+++

## Prose

A paragraph with *emphasis* and `code`.

- a list item
- another one

## A narrow code block

Some text before it.

```python
x = 1
```

## A wide code block

```python
result = some_function_with_a_long_name(first_argument, second_argument, third_argument)
```

Text after it.

## The end

Done.
"""


async def test_a_page_built_out_of_view_is_laid_out_once_its_widgets_are_mounted(
    tmp_path, monkeypatch
):
    """Building the next page arranges the screen once with the page, not once per wave of
    mounting widgets, nor once more because every new widget got its first size, nor once
    more because a code block turned out too wide (its scrollbar is placed at once)."""
    arranged: list[int] = []
    reflow = Compositor.reflow

    def noted(self, parent, size):
        result = reflow(self, parent, size)
        pages = getattr(self.root, "pages", {})
        arranged.extend(1 for p in pages.values() if not p.showing and p in self._full_map)
        return result

    monkeypatch.setattr(Compositor, "reflow", noted)
    lesson = parse_lesson_text(PAGES_LESSON, Path("pages.md")).lesson
    app = make_app(
        data_dir=tmp_path, catalog=[Entry(Path("pages.md"), lesson)], start="lesson:pages"
    )
    build_ahead = LessonScreen._prefetch
    # built ahead only when the test says, so the count holds no layout of the step change
    # itself (on a loaded machine the next page was sometimes built before those were done)
    monkeypatch.setattr(LessonScreen, "_prefetch", lambda self: None)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = app.screen
        build_ahead(screen)
        for step in (1, 2):  # building step 2 (wide code), then step 3
            await wait_until(pilot, lambda s=step: s in screen.pages, what="next page built")
            await pilot.press("right_square_bracket")
            await settle(pilot)
            await pilot.pause(0.1)
            assert screen.index == step and step + 1 not in screen.pages
            arranged.clear()
            build_ahead(screen)
            await wait_until(pilot, lambda s=step: s + 1 in screen.pages, what="page built")
            await settle(pilot)
            await pilot.pause(0.2)
            assert len(arranged) == 1, step
        code = screen.pages[2].query_one(WideCode)  # the wide one, shown now
        assert code.show_horizontal_scrollbar and code.horizontal_scrollbar.region.height == 1
        assert code.horizontal_scrollbar.region.y == code.region.bottom - 1  # under the code
