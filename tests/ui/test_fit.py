"""What a step shows fits its window: the gradient-check verdict whole, a wide code block's
scrollbar in sight, and a footer that shows whole keys only (issue 24, item 3)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual.widgets import DataTable

from tests.helpers import wait_until
from tests.ui.support import Entry, bundled_entries, demo_lesson, screen_text, settle
from tutor.lesson.model import GradcheckBlock, Prose, Step
from tutor.tui.app import make_app
from tutor.tui.widgets.footer import KeyFooter
from tutor.tui.widgets.gradcheck_view import GradcheckView
from tutor.tui.widgets.prose import WideCode

WIDE_LINE = "x = 1  # " + " ".join(f"word{n}" for n in range(30)) + " END"


def _shade(style):
    """The colour a cell shows as its background (a reversed cell shows its foreground)."""
    return style.color if style.reverse else style.bgcolor


def _contrast(one, other) -> float:
    """How far apart two colours are in brightness (0 to 1)."""
    from textual.color import Color

    a, b = (Color.from_rich_color(c).brightness for c in (one, other))
    return abs(a - b)


def code_x(code) -> tuple[int, int]:
    return code.region.x, code.region.right


def fit_lesson():
    """The demo lesson with a planted-bug gradient check and a code block far too wide."""
    lesson = demo_lesson()
    steps = (
        Step("Bug", (GradcheckBlock("batch", 40, backprop_loss="squared_error"),), 39),
        Step("Wide", (Prose(f"Code:\n\n```python\n{WIDE_LINE}\n```\n\nAfter.", 50),), 49),
    )
    return dataclasses.replace(lesson, steps=lesson.steps + steps)


def fit_app(tmp_path: Path):
    lesson = fit_lesson()
    return make_app(
        data_dir=tmp_path, catalog=[Entry(Path("demo.md"), lesson)], start="lesson:demo"
    ), len(lesson.steps)


async def test_a_failed_gradient_check_shows_its_verdict_whole_at_80_columns(tmp_path):
    app, count = fit_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.show_step(count - 2)
        await settle(pilot)
        view = app.screen.body.query_one(GradcheckView)
        await wait_until(pilot, lambda: view.check is not None, what="the gradient check")
        await settle(pilot)
        assert not view.check.passed  # the planted bug is caught…
        table = view.query_one(DataTable)
        rows = [table.get_row_at(n) for n in range(table.row_count)]
        assert any(str(row[2]) == "MISMATCH" for row in rows)
        text = screen_text(app)
        assert "MISMATCH" in text and "FAILED" in text  # …and every verdict shows whole


async def test_a_code_block_too_wide_shows_a_coloured_scrollbar_across_its_width(tmp_path):
    app, count = fit_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.show_step(count - 1)
        await settle(pilot)
        code = app.screen.body.query_one(WideCode)
        assert code.virtual_size.width > code.scrollable_content_region.width
        assert code.show_horizontal_scrollbar and code.can_focus
        assert "END" not in screen_text(app)  # the end of the line is out of sight…
        bar = code.horizontal_scrollbar
        assert bar.region.width == code.region.width and bar.region.height == 1
        strips = app.screen._compositor.render_strips()
        row = strips[bar.region.y].crop(bar.region.x, bar.region.right)
        block = strips[code.region.y].crop(code.region.x, code.region.right)
        shown = {_shade(seg.style) for seg in row}  # what the eye sees: track and thumb
        block = {_shade(seg.style) for seg in strips[code.region.y].crop(*code_x(code))}
        assert len(shown) == 2 and not shown & block  # both stand out from the code's shade
        (shade,) = block
        assert min(_contrast(colour, shade) for colour in shown) > 0.1, (shown, shade)
        code.focus()
        await pilot.press("end")
        await settle(pilot)
        assert "END" in screen_text(app)  # scrolled to the end with the keyboard


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_footer_shows_only_whole_keys_in_binding_order_at_any_width(tmp_path):
    app, _ = fit_app(tmp_path)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        keys = [f"{k.display} {k.description}" for k in footer.keys]
        full = footer_line(app)
        assert all(key in full for key in keys)
        for width in (80, 60, 50, 40):
            await pilot.resize_terminal(width, 24)
            await settle(pilot)
            line = footer_line(app)
            shown = [key for key in keys if key in line]
            assert shown == keys[: len(shown)], (width, line)  # a prefix: priority kept
            rest = line
            for key in shown:
                rest = rest.replace(key, "", 1)
            # nothing is left of any other key: no cut "? Hel"
            for key in keys[len(shown) :]:
                assert key.split()[0] + " " + key.split()[1][:2] not in rest, (width, line)
            assert line.endswith("Commands")
            assert len(line) <= width
        assert len([k for k in keys if k in footer_line(app)]) < len(keys)


async def test_x_writes_out_paths_once_a_derivation_is_finished(tmp_path):
    from tutor.tui.widgets.derivation.view import DerivationView

    app, _ = fit_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.screen.show_step(3)  # the batch derivation: biases on four examples
        await settle(pilot)
        (view,) = app.screen.body.query(DerivationView)
        for _ in range(200):
            if view.finished:
                break
            await pilot.press("n")
            await settle(pilot)
        assert view.finished and "Derivation complete" in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
        assert view.walk.expanded  # the key was not refused…
        (index,) = view.walk.expanded
        target = view.walk.stages[index].target
        text = " ".join(str(view.query_one(".derivation-lines").render()).split())
        assert target == "dL/db1"  # the last product: a bias summed over the examples
        assert "dL/db1 entry by entry, one product per path" in text
        assert "dL/db1[1] = dL/dz1[1,1]·1 + dL/dz1[1,2]·1 + dL/dz1[1,3]·1 +" in text
        assert "dL/dz1[1,4]·1" in text and "x: hide its paths" in text
        assert app.screen.index == 3  # …and x did not leave the step


async def test_the_fork_and_diamond_diagrams_of_3_6_fit_beside_the_outline_at_80x24(tmp_path):
    """Where the routes split (at a1) and meet (at L, at z3) shows without scrolling."""
    from tutor.lesson.model import NetworkBlock

    app = make_app(data_dir=tmp_path, catalog=bundled_entries(), start="lesson:paths")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        steps = screen.lesson.steps
        for network, end in (("fork", "├▶ L"), ("diamond", "z3 ─σ─▶ y")):
            index = next(
                n
                for n, step in enumerate(steps)
                if any(isinstance(b, NetworkBlock) and b.id == network for b in step.parts)
            )
            screen.show_step(index)
            await settle(pilot)
            assert screen.query_one("#outline").display  # the outline takes its columns
            (diagram,) = [c for c in screen.body.query(WideCode) if end in c.code]
            assert diagram.virtual_size.width <= diagram.scrollable_content_region.width
            assert not diagram.show_horizontal_scrollbar, network


async def test_a_fit_due_after_its_page_was_taken_down_does_nothing(tmp_path):
    """Leaving a lesson takes its pages down children first; a fit the derivation view had
    asked for after the next refresh may run in between (it crashed the app: the product
    list it measures was gone)."""
    from tutor.tui.widgets.derivation.lines import DerivationLines
    from tutor.tui.widgets.derivation.view import DerivationView

    app, _ = fit_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.screen.show_step(3)
        await settle(pilot)
        (view,) = app.screen.body.query(DerivationView)
        await view.query_one(DerivationLines).remove()  # as pruning leaves it for a moment
        view._fit()  # raised NoMatches
        view._scroll_to_newest()
        await view.remove()  # then the view goes too
        await settle(pilot)
        assert app.return_code is None and not app.screen.body.query(DerivationView)
